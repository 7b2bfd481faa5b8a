"""The OIT checklist: each agency's answers for a year with the portal's prefills, the province's readiness,
the answer sheet, and the checklist's links for the link monitor.

An item's *effective* answer is the agency's saved answer, or — for an item one of the portal's public pages
answers (PortalPage) and that the agency has not answered — the prefill: มี with that page's URL. An item is
**ready** when its effective answer is มี with a URL that the link monitor does not report broken. The
predicted OIT completeness is the share of the year's items that are ready, placed in the year's grade bands: a
prediction of what the evaluators could find, not their score (they also judge each page's content).
"""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from linkcheck import api as linkcheck_api
from linkcheck import registry
from measures.models import Agency
from oit.models import GradeBand, OITItem
from oit.readiness.models import AnswerWindow, ChecklistAnswer, PortalPage

Answer = ChecklistAnswer.Answer
OWNER_PREFIX = "agency:"  # the same owners as the evidence links (reports/links.py): one e-mail per agency

PAGE_URL_NAMES = {
    PortalPage.Page.YEAR: "transparency:agency",
    PortalPage.Page.R6: "transparency:agency_r6",
    PortalPage.Page.R12: "transparency:agency_r12",
}


def agency_owner(agency) -> str:
    return f"{OWNER_PREFIX}{agency.code}"


def portal_url(page: str, fiscal_year, agency, *, site_url: str) -> str | None:
    """The absolute URL of the portal's public page `page` for the agency and year; None when this instance
    has no such page (the public side is not installed), so nothing is prefilled."""
    try:
        if page == PortalPage.Page.PLAN:
            path = reverse("plan_year", args=[fiscal_year.year])
        else:
            path = reverse(PAGE_URL_NAMES[page], kwargs={"year": fiscal_year.year, "code": agency.code})
    except NoReverseMatch:
        return None
    return site_url.rstrip("/") + path


class State:
    """What an item's cell says (the matrix and the checklist use the same words and colours)."""

    READY = "ready"
    BROKEN = "broken"
    NO = "no"
    MISSING = "missing"


NOT_READY = (State.BROKEN, State.NO, State.MISSING)  # in the order the readiness page lists them


@dataclass
class Row:
    item: OITItem
    answer: str  # Answer value or ""
    url: str
    explanation: str
    saved: ChecklistAnswer | None
    prefilled: bool
    broken: object = None  # linkcheck Link when the URL is broken

    @property
    def saved_by(self) -> str:
        user = self.saved.updated_by if self.saved else None
        return (user.get_full_name() or user.username) if user else "–"

    @property
    def state(self) -> str:
        if self.answer == Answer.YES and self.url:
            return State.BROKEN if self.broken is not None else State.READY
        if self.answer == Answer.NO:
            return State.NO
        return State.MISSING


def year_items(fiscal_year):
    return list(
        OITItem.objects.filter(fiscal_year=fiscal_year).select_related("portal_page").order_by("order")
    )


def _rows(items, saved: dict, agency, fiscal_year, site_url: str) -> list[Row]:
    rows = []
    for item in items:
        answer = saved.get(item.pk)
        page = getattr(item, "portal_page", None)
        if answer is not None:
            rows.append(Row(item, answer.answer, answer.url, answer.explanation, answer, False))
        elif page is not None and (url := portal_url(page.page, fiscal_year, agency, site_url=site_url)):
            rows.append(Row(item, Answer.YES, url, "", None, True))
        else:
            rows.append(Row(item, "", "", "", None, False))
    return rows


def checklist(agency, fiscal_year, *, site_url: str) -> list[Row]:
    """Every item of the year for the agency, in ITAS's order, with broken links marked (3 queries)."""
    items = year_items(fiscal_year)
    saved = {
        a.item_id: a
        for a in ChecklistAnswer.objects.for_agency_year(agency, fiscal_year).select_related("updated_by")
    }
    rows = _rows(items, saved, agency, fiscal_year, site_url)
    broken = linkcheck_api.broken_links(row.url for row in rows if row.url)
    for row in rows:
        row.broken = broken.get(row.url.strip()) if row.url else None
    return rows


@transaction.atomic
def save_answers(agency, changes: list[tuple[OITItem, dict]], *, user) -> int:
    """Write the changed items' answers (each dict: answer, url, explanation) as `user`; returns how many."""
    existing = {
        a.item_id: a
        for a in ChecklistAnswer.objects.select_for_update().filter(
            agency=agency, item__in=[item for item, _values in changes]
        )
    }
    for item, values in changes:
        answer = existing.get(item.pk) or ChecklistAnswer(agency=agency, item=item)
        answer.answer = values["answer"]
        answer.url = values["url"].strip()
        answer.explanation = values["explanation"].strip()
        answer.updated_by = user
        answer.full_clean()
        answer.save()
    return len(changes)


# --- readiness ---------------------------------------------------------------------------------------------


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class AgencyReadiness:
    agency: Agency
    cells: list  # Row per item, in the items' order
    counts: Counter
    total: int
    predicted: Decimal  # percent of the items ready
    band: object  # GradeBand or None

    @property
    def missing(self) -> list:
        return [row for row in self.cells if row.state != State.READY]

    @property
    def missing_by_state(self) -> list[tuple[str, list]]:
        """The items not ready, grouped by state (broken links first, then ไม่มี, then not answered)."""
        groups = [(state, [row for row in self.cells if row.state == state]) for state in NOT_READY]
        return [(state, rows) for state, rows in groups if rows]

    @property
    def is_ready(self) -> bool:
        return self.total > 0 and self.counts[State.READY] == self.total


@dataclass
class Readiness:
    fiscal_year: object
    items: list
    agencies: list  # AgencyReadiness
    bands: list
    window: AnswerWindow | None

    @property
    def ready_count(self) -> int:
        return sum(1 for a in self.agencies if a.is_ready)

    @property
    def average(self) -> Decimal | None:
        if not self.agencies:
            return None
        return _quantize(sum((a.predicted for a in self.agencies), Decimal(0)) / len(self.agencies))

    @property
    def average_band(self):
        return band_for(self.bands, self.average) if self.average is not None else None

    def per_item(self) -> list[tuple[OITItem, Counter]]:
        """Each item with how many agencies are in each state for it."""
        return [(item, Counter(a.cells[i].state for a in self.agencies)) for i, item in enumerate(self.items)]


def band_for(bands, score):
    """The band with the highest lower bound not above `score` (bands as GradeBand rows, any order)."""
    eligible = [band for band in bands if band.min_score <= score]
    return max(eligible, key=lambda band: band.min_score) if eligible else None


def readiness(fiscal_year, *, site_url: str, agencies=None) -> Readiness:
    """The province's readiness for the year: every active agency × item (5 queries, whatever the size)."""
    agencies = list(agencies if agencies is not None else Agency.objects.active().order_by("order", "code"))
    items = year_items(fiscal_year)
    saved: dict[int, dict] = {}
    for answer in ChecklistAnswer.objects.filter(item__fiscal_year=fiscal_year, agency__in=agencies):
        saved.setdefault(answer.agency_id, {})[answer.item_id] = answer
    bands = list(GradeBand.objects.filter(fiscal_year=fiscal_year))
    table = [
        (agency, _rows(items, saved.get(agency.pk, {}), agency, fiscal_year, site_url)) for agency in agencies
    ]
    broken = linkcheck_api.broken_links(row.url for _agency, rows in table for row in rows if row.url)
    result = []
    for agency, rows in table:
        for row in rows:
            row.broken = broken.get(row.url.strip()) if row.url else None
        counts = Counter(row.state for row in rows)
        predicted = _quantize(Decimal(100) * counts[State.READY] / len(items)) if items else Decimal(0)
        result.append(
            AgencyReadiness(agency, rows, counts, len(items), predicted, band_for(bands, predicted))
        )
    window = AnswerWindow.objects.filter(fiscal_year=fiscal_year).first()
    return Readiness(fiscal_year, items, result, bands, window)


# --- the link monitor --------------------------------------------------------------------------------------


def checklist_links():
    """(url, owner) for every saved checklist URL (prefills are the portal's own pages and are not saved)."""
    rows = ChecklistAnswer.objects.exclude(url="").values_list("url", "agency__code")
    for url, code in rows.iterator(chunk_size=2000):
        yield url, f"{OWNER_PREFIX}{code}"


def register() -> None:
    registry.register_source(checklist_links)
