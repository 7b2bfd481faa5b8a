"""{% fragment key %}…{% endfragment %}: a piece of a page rendered once per content, kept in this process's memory.

`key` is a digest of everything the piece shows (`fragment_key(...)` below builds one from plain values), so a
cached piece is never stale: changing any shown value makes a new key. The pages' CSRF token is the one thing a
piece may show that is not in its key: it is rendered as a placeholder and the request's own token is put in on
the way out, so one user's token never reaches another. With `key` empty the piece is rendered and not kept.
"""

import hashlib

from django import template
from django.core.cache import caches
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ops.pagecache import CSRF_PLACEHOLDER

register = template.Library()


def fragment_key(*values) -> str:
    """A digest of the values a fragment shows (and of the active language)."""
    return hashlib.blake2b(repr((get_language(), values)).encode(), digest_size=16).hexdigest()


def form_key(form) -> str:
    """The digest of what a small form shows: each field's label, value, errors and choices ('' for a form with
    a model choice, whose choices would cost a query to read here)."""
    from django import forms

    parts = []
    for field in form:
        if isinstance(field.field, forms.ModelChoiceField):
            return ""
        choices = getattr(field.field, "choices", None)
        parts.append(
            (
                field.html_name,
                str(field.label),
                str(field.help_text),
                field.value(),
                [str(error) for error in field.errors],
                [(str(value), str(label)) for value, label in choices] if choices is not None else None,
            )
        )
    return fragment_key("form", type(form).__name__, form.is_bound, parts)


class FragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        key = self.key.resolve(context)
        if not key or "csrf_token" not in context:  # no request's token to put in: render it afresh
            return self.nodelist.render(context)
        cache = caches["fragments"]
        cache_key = f"fragment:{self.origin.template_name}:{self.token.lineno}:{key}"
        html = cache.get(cache_key)
        if html is None:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                html = self.nodelist.render(context)
            cache.set(cache_key, html)
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, str(context["csrf_token"]))
        return mark_safe(html)  # noqa: S308 - rendered by the template engine (escaped there), kept as it was


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment key %} takes one argument")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))
