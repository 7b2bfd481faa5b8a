"""{% itas_links agency fiscal_year %}: the agency's public addresses to give the NACC's ITAS, with the OIT item
each answers that year and a copy button (for the agency's own home page)."""

from django import template

from transparency import oit_items
from transparency.views import agency_url

register = template.Library()


@register.inclusion_tag("transparency/includes/itas_links.html", takes_context=True)
def itas_links(context, agency, fiscal_year):
    request = context["request"]
    links = []
    if agency is not None and fiscal_year is not None:
        items = oit_items.items_for(fiscal_year)
        for kind, label in oit_items.PAGE_LABELS.items():
            links.append(
                {
                    "kind": kind,
                    "label": label,
                    "url": request.build_absolute_uri(agency_url(fiscal_year.year, agency.code, kind)),
                    "item": items.get(kind),
                }
            )
    return {"links": links, "fiscal_year": fiscal_year}
