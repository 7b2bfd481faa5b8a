"""Display helpers for the plan's free text: {{ fiscal_year.results_text|plan_text }}."""

import re

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join

from measures.plan_import import numbered_items

register = template.Library()

# The numbering a list item may still carry from the document: "๑.", "1)", "(๑)", "(1)", "- ".
_ITEM_MARKER = re.compile(r"^\s*(?:\(?[0-9๐-๙]{1,3}[.)]|[-•–])\s*")
# A line that is a list item: "- …", "• …" or "– …"; an indented one belongs to the item above.
_BULLET = re.compile(r"^[-•–]\s+")


def _join(pieces):
    return format_html_join("", "{}", ((piece,) for piece in pieces))


@register.filter
def item_text(value):
    """Text without the leading number the page shows itself: "(๑) ไม่ให้…" -> "ไม่ให้…", "๓. แนวทาง…" -> "แนวทาง…"."""
    return _ITEM_MARKER.sub("", str(value), count=1)


@register.filter
def plan_text(value):
    """Plain text as HTML: dash lines become a list (indented dash lines a nested list), others paragraphs.

    Everything is escaped; only the list and paragraph markup is added.
    """
    blocks = []  # ("p", text) or ("ul", [(text, [sub-item texts])])
    for line in str(value or "").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        bullet = _BULLET.match(stripped)
        if bullet is None:
            blocks.append(("p", stripped))
            continue
        text = stripped[bullet.end() :]
        in_list = bool(blocks) and blocks[-1][0] == "ul"
        if line[:1].isspace() and in_list:
            blocks[-1][1][-1][1].append(text)
            continue
        if not in_list:
            blocks.append(("ul", []))
        blocks[-1][1].append((text, []))

    pieces = []
    for kind, content in blocks:
        if kind == "p":
            pieces.append(format_html("<p>{}</p>", content))
            continue
        items = []
        for text, children in content:
            nested = (
                format_html("<ul>{}</ul>", _join(format_html("<li>{}</li>", c) for c in children))
                if children
                else ""
            )
            items.append(format_html("<li>{}{}</li>", text, nested))
        pieces.append(format_html("<ul>{}</ul>", _join(items)))
    return _join(pieces)


@register.filter
def cell_text(value):
    """A plan cell's text: a "๑. … ๒. …" run as an ordered list (the page numbers it), else the text as is.

    The responsible and monitoring cells keep the document's wording in one text; the importer's own reading
    of numbered runs decides what is a list, so "ไตรมาสละ ๑ ครั้ง" stays a quantity.
    """
    text = str(value or "")
    numbered = numbered_items(text)
    if numbered is None or numbered[0] != 1 or len(numbered[1]) < 2:
        return linebreaksbr(text)
    return format_html(
        '<ol class="plan-parts">{}</ol>', _join(format_html("<li>{}</li>", item) for item in numbered[1])
    )
