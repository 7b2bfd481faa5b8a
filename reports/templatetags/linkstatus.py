"""The link monitor's findings on the reports' pages: "broken since …" beside an evidence link, an agency's
broken links on its home page and on the dashboard.

Each page reads the broken links once, on first use (one query, whatever the number of links shown), and
keeps them on the request: {% broken_link evidence.url as link %}, {% agency_broken_links agency as links %}.
"""

from django import template

from linkcheck import api as linkcheck_api
from reports.links import agency_owner

register = template.Library()


def _cached(context, key, load):
    request = context.get("request")
    if request is None:
        return load()
    if not hasattr(request, key):
        setattr(request, key, load())
    return getattr(request, key)


def cached_broken(request) -> dict:
    """Every broken link by URL, read once per request (what {% broken_link %} looks up)."""
    return _cached({"request": request}, "_linkcheck_broken", linkcheck_api.all_broken)


@register.simple_tag(takes_context=True)
def broken_link(context, url):
    """The broken Link for `url` (its broken_since and reason), or None."""
    if not url:
        return None
    return _cached(context, "_linkcheck_broken", linkcheck_api.all_broken).get(url.strip())


def cached_broken_count(request, agency) -> int:
    """How many of the agency's links are broken, from the counts read once per request."""
    return agency_broken_count({"request": request}, agency)


@register.simple_tag(takes_context=True)
def agency_broken_count(context, agency) -> int:
    """How many of the agency's links (evidence and OIT checklist) are broken."""
    counts = _cached(context, "_linkcheck_counts", linkcheck_api.broken_counts)
    return counts.get(agency_owner(agency), 0)


@register.simple_tag(takes_context=True)
def agency_broken_links(context, agency) -> list:
    """The agency's broken links, longest broken first (one query)."""
    return linkcheck_api.broken_for_owner(agency_owner(agency))
