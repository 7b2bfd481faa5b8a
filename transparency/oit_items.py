"""Which OIT items of the ITA the portal's public pages answer in a fiscal year.

The single source is the `oit` app's data (oit.readiness.models.PortalPage, loaded per year by
import_oit_portal_pages), the same mapping that prefills the agencies' OIT checklists. A year's items are its own
rows, looked up by the year, never by another's: a year that borrows another's catalogue (the demo's current
year, lent FY 2565's) has the items and mapping lent to it, and a year with no mapping names no item.
Each function costs one query.
"""

from django.utils.translation import gettext_lazy as _

from oit.readiness.models import PortalPage

PLAN = PortalPage.Page.PLAN
# The per-agency pages, in the order the agency home lists them.
PAGE_LABELS = {
    "year": _("Results of the year's measures"),
    "r6": _("6-month round"),
    "r12": _("12-month round"),
}


def _pages(fiscal_year):
    return (
        PortalPage.objects.filter(item__fiscal_year=fiscal_year)
        .select_related("item")
        .order_by("item__order")
    )


def items_for(fiscal_year) -> dict[str, list]:
    """{page kind ("plan", "year", "r6", "r12"): the OIT items it answers in the fiscal year, in ITA order}."""
    found: dict[str, list] = {}
    if fiscal_year is not None:
        for page in _pages(fiscal_year):
            found.setdefault(page.page, []).append(page.item)
    return found


def items_for_page(fiscal_year, kind) -> list:
    """The OIT items the page `kind` answers in the fiscal year (none when the year maps none)."""
    if fiscal_year is None:
        return []
    return [page.item for page in _pages(fiscal_year).filter(page=kind)]
