"""Which OIT item of the ITA each per-agency public page answers in a fiscal year (data of the `oit` app)."""

from django.utils.translation import gettext_lazy as _

PAGE_LABELS = {
    "year": _("Results of the year's measures"),
    "r6": _("6-month round"),
    "r12": _("12-month round"),
}


def items_for(fiscal_year) -> dict:
    """{page kind: OIT item} for the fiscal year; empty until the ITA's items are loaded for it."""
    return {}


def item_for(fiscal_year, kind):
    return items_for(fiscal_year).get(kind)
