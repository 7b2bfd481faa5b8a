"""Load a year's readiness data from CSV (formats in data/README.md), with the catalogue loaders' rules:
every row checked before writing, one transaction, idempotent, a malformed file names its line."""

import datetime
from pathlib import Path

from django.db import transaction

from measures.models import FiscalYear
from measures.plan_copy import shift_years
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


# A year's readiness files in a data directory (data/ita-2565-portal-pages.csv, …), in the order they load.
YEAR_FILES = (
    ("ita-{year}-portal-pages.csv", load_portal_pages),
    ("ita-{year}-oit-window.csv", load_window),
)


@transaction.atomic
def load_year(directory, *, year: int) -> dict[str, list[str]]:
    """Load every readiness file of the year found in `directory`; {file name: changes}. Idempotent."""
    loaded = {}
    for pattern, loader in YEAR_FILES:
        path = Path(directory) / pattern.format(year=year)
        if path.exists():
            loaded[path.name] = loader(path.read_bytes(), year=year)
    return loaded


@transaction.atomic
def lend_year(source: FiscalYear, target: FiscalYear) -> list[str]:
    """Give `target`, a year lent `source`'s catalogue (items with the same codes, as the demo's current year),
    what it lacks of `source`'s readiness data: the portal pages, by item code, when it has none; the
    answering window moved by the years between them, when it has none. Idempotent; an admin's own data is
    kept."""
    changes = []
    if not PortalPage.objects.filter(item__fiscal_year=target).exists():
        items = {item.code: item for item in OITItem.objects.filter(fiscal_year=target)}
        for page in PortalPage.objects.filter(item__fiscal_year=source).select_related("item"):
            if page.item.code in items:
                PortalPage.objects.create(item=items[page.item.code], page=page.page)
                changes.append(f"{page.item.code} answered by the portal's {page.page} page")
    window = AnswerWindow.objects.filter(fiscal_year=source).first()
    if window is not None and not AnswerWindow.objects.filter(fiscal_year=target).exists():
        years = target.year - source.year
        lent = AnswerWindow.objects.create(
            fiscal_year=target,
            opens_on=shift_years(window.opens_on, years),
            closes_on=shift_years(window.closes_on, years),
        )
        changes.append(f"answering window {lent.opens_on} – {lent.closes_on}")
    return changes
