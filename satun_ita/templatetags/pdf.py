"""Filters for printable documents (``{% load pdf %}``, registered in the settings' template libraries).

{{ text|digits:thai_digits }}   Arabic digits as Thai digits when the document asks for them (?digits=thai)
"""

import re

from django import template
from django.utils.safestring import SafeData, mark_safe

from measures.thaidate import to_thai_digits

register = template.Library()

# Markup inside already-safe HTML: its attributes (hrefs, numbers of a list's start) keep their digits.
_TAG = re.compile(r"(<[^>]*>)")


@register.filter
def digits(value, thai):
    """`value` with Thai digits when `thai` is true, else unchanged (for official text, never for URLs).

    Safe HTML stays safe, and only its text changes, not its tags.
    """
    if value is None:
        return ""
    if not thai:
        return value
    if isinstance(value, SafeData):
        pieces = _TAG.split(str(value))
        return mark_safe("".join(p if p.startswith("<") else to_thai_digits(p) for p in pieces))  # noqa: S308
    return to_thai_digits(value)
