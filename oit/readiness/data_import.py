"""Load a year's readiness data from CSV (formats in data/README.md), with the catalogue loaders' rules:
every row checked before writing, one transaction, idempotent, a malformed file names its line."""

import datetime

from django.db import transaction

from measures.models import FiscalYear
from measures.thaidate import to_arabic_digits
from oit.catalogue_import import CatalogueFormatError, CatalogueImportError, read_rows
from oit.models import OITItem
from oit.readiness.models import AnswerWindow, PortalPage


@transaction.atomic
def load_portal_pages(data: bytes, *, year: int) -> list[str]:
    """item,page: which of the portal's public pages answers an OIT item (page: plan, year, r6 or r12).

    The year's pages become exactly the file's."""
    rows = read_rows(data, ("item", "page"))
    items = {item.code: item for item in OITItem.objects.filter(fiscal_year__year=year)}
    if not items:
        raise CatalogueImportError(f"fiscal year {year} has no OIT items yet (import_oit_items first)")
    wanted: dict[str, str] = {}
    for row in rows:
        code, page = row.values["item"].strip().upper(), row.values["page"].strip().lower()
        if code not in items:
            raise CatalogueFormatError(row.line, f"item {code!r} is not an OIT item of {year}")
        if page not in PortalPage.Page.values:
            raise CatalogueFormatError(
                row.line, f"page {page!r} must be one of {', '.join(PortalPage.Page.values)}"
            )
        if code in wanted:
            raise CatalogueFormatError(row.line, f"item {code} appears twice")
        wanted[code] = page
    changes = []
    existing = {
        p.item.code: p for p in PortalPage.objects.filter(item__fiscal_year__year=year).select_related("item")
    }
    for code, page in wanted.items():
        current = existing.pop(code, None)
        if current is None:
            PortalPage.objects.create(item=items[code], page=page)
            changes.append(f"{code} answered by the portal's {page} page")
        elif current.page != page:
            current.page = page
            current.save(update_fields=["page"])
            changes.append(f"{code} now answered by the portal's {page} page")
    for code, page in existing.items():
        page.delete()
        changes.append(f"{code} no longer answered by a portal page")
    return changes


def _date(row, column) -> datetime.date:
    text = to_arabic_digits(row.values[column].strip())
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CatalogueFormatError(row.line, f"{column} {text!r} must be a date YYYY-MM-DD (C.E.)") from None


@transaction.atomic
def load_window(data: bytes, *, year: int) -> list[str]:
    """opens,closes: the dates (YYYY-MM-DD, C.E.) the year's OIT items are answered in ITAS; one row."""
    rows = read_rows(data, ("opens", "closes"))
    if len(rows) != 1:
        raise CatalogueFormatError(rows[1].line if len(rows) > 1 else 1, "the file must have exactly one row")
    opens, closes = _date(rows[0], "opens"), _date(rows[0], "closes")
    if closes < opens:
        raise CatalogueFormatError(rows[0].line, "the window closes before it opens")
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise CatalogueImportError(f"fiscal year {year} does not exist yet")
    window = AnswerWindow.objects.filter(fiscal_year=fiscal_year).first()
    if window is not None and (window.opens_on, window.closes_on) == (opens, closes):
        return []
    AnswerWindow.objects.update_or_create(
        fiscal_year=fiscal_year, defaults={"opens_on": opens, "closes_on": closes}
    )
    return [f"answering window {opens} – {closes}"]
