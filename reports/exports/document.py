"""The consolidated provincial report: what the XLSX, the PDF and the print page all show.

For a fiscal year and a scope (one quarter, the 6-month round Q1–Q2, the 12-month round Q1–Q4):
a cover, a summary per indicator and per agency, the plan table in the official six columns with every
agency's result under each measure, and the province's closing ผลการดำเนินการ.

Approved reports by default; `include_submitted` adds submitted ones, marked as not yet approved. Drafts and
returned reports never appear. Everything is read through `for_user()`, so a reporter's document holds their
own agency only.

`build_document()` runs a fixed number of queries whatever the number of agencies; the results themselves
are read by `iter_results()` (chunked, one evidence query per chunk), so the XLSX of 2,500 agencies streams
without holding them all.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Max, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from measures import thaidate
from measures.models import Agency, FiscalYear, ReportingPeriod
from measures.plan_table import plan_indicators, plan_rows
from measures.templatetags.plan import item_text
from reports import roles
from reports.models import Evidence, MeasureProgress, QuarterlyReport

Status = QuarterlyReport.Status
CHUNK = 2000


@dataclass(frozen=True)
class Scope:
    code: str  # q1 … q4, r6, r12 (the address)
    quarters: tuple[int, ...]

    @property
    def is_round(self) -> bool:
        return self.code.startswith("r")

    @property
    def label(self) -> str:
        """'ไตรมาสที่ 2' or 'รอบ 6 เดือน (ไตรมาสที่ 1–2)'."""
        if self.is_round:
            return _("%(months)s-month round (quarters 1–%(last)s)") % {
                "months": 3 * len(self.quarters),
                "last": self.quarters[-1],
            }
        return _("Quarter %(quarter)s") % {"quarter": self.quarters[0]}


SCOPES = {
    "q1": Scope("q1", (1,)),
    "q2": Scope("q2", (2,)),
    "q3": Scope("q3", (3,)),
    "q4": Scope("q4", (4,)),
    "r6": Scope("r6", (1, 2)),
    "r12": Scope("r12", (1, 2, 3, 4)),
}

STATUS_LABELS = {
    Status.APPROVED: gettext_lazy("Approved"),
    Status.SUBMITTED: gettext_lazy("Submitted, not yet approved"),
}


def included_statuses(include_submitted: bool) -> tuple[str, ...]:
    return (Status.APPROVED, Status.SUBMITTED) if include_submitted else (Status.APPROVED,)


def timeliness(report: QuarterlyReport | None) -> str:
    """'On time', 'N days late' (first submission against the due date), or '' when never submitted."""
    if report is None or report.days_late is None:
        return ""
    if report.days_late == 0:
        return _("On time")
    days = report.days_late
    return ngettext("%(days)s day late", "%(days)s days late", days) % {"days": days}


@dataclass
class IndicatorSummary:
    indicator: object
    measures: int
    reported: int = 0  # agencies with an included report saying something on the indicator
    approved: int = 0  # of them, agencies whose report is approved
    done: int = 0  # results marked done
    results: int = 0  # results included


@dataclass
class AgencyQuarter:
    period: ReportingPeriod
    report: QuarterlyReport | None

    @property
    def status_label(self) -> str:
        if self.report is None:
            return _("Not submitted")
        return self.report.get_status_display()

    @property
    def timeliness(self) -> str:
        return timeliness(self.report)


@dataclass
class AgencySummary:
    agency: Agency
    quarters: list  # AgencyQuarter per period of the scope


@dataclass
class ConsolidatedReport:
    fiscal_year: FiscalYear
    scope: Scope
    periods: list
    agency: Agency | None  # the one agency asked for (?agency=), else None: every agency in the user's scope
    province: str
    include_submitted: bool
    exported_on: datetime.date
    indicator_summaries: list
    agency_summaries: list
    rows: list  # measures.plan_table.PlanRow, in plan order
    max_evidence: int
    reports: object = None  # the included reports' ids, a subquery (no list of ids, whatever their number)

    @property
    def title(self) -> str:
        # The plan's title as the document has it, without its section number ("๓. แนวทาง …").
        plan = " ".join(item_text(self.fiscal_year.title or "").split())
        if not plan:
            plan = _(
                "Guidelines and measures to promote integrity and transparency, fiscal year B.E. %(year)s"
            ) % {"year": self.fiscal_year.year}
        return _("Report on the implementation of the %(plan)s") % {"plan": plan}

    @property
    def result_count(self) -> int:
        return sum(s.results for s in self.indicator_summaries)

    @property
    def subtitle(self) -> str:
        text = self.scope.label
        if self.agency is not None:
            text = f"{text} · {self.agency.name}"
        return text

    @property
    def exported_on_text(self) -> str:
        return thaidate.local_date(self.exported_on)

    def filename(self, extension: str) -> str:
        agency = f"-{self.agency.code}" if self.agency is not None else ""
        return f"ita-{self.fiscal_year.year}-{self.scope.code}{agency}.{extension}"

    def results(self, *, chunk_size: int = CHUNK, release: bool = False):
        return iter_results(self.reports, chunk_size=chunk_size, release=release)

    def results_by_measure(self) -> dict:
        """measure id → its results, for the PDF and print page (all results in memory)."""
        return {
            measure_id: list(group)
            for measure_id, group in groupby(self.results(), key=lambda progress: progress.measure_id)
        }


def included_reports(user, fiscal_year, scope: Scope, *, agency=None, include_submitted=False):
    reports = QuarterlyReport.objects.for_user(user).filter(
        period__fiscal_year=fiscal_year,
        period__quarter__in=scope.quarters,
        status__in=included_statuses(include_submitted),
    )
    if agency is not None:
        reports = reports.filter(agency=agency)
    return reports


def iter_results(reports, *, chunk_size: int = CHUNK, release: bool = False):
    """The results (MeasureProgress) of the included reports in plan order: measure, agency, quarter; each with
    its report, agency, period and evidence loaded (one query per chunk for the evidence).

    `release`, for a reader that is done with a result once it has the next one (the XLSX): its evidence is
    let go then. A prefetched evidence item points back to its result (result → evidence → result, a
    reference cycle), so without this every chunk read would wait for Python's cyclic collector, which runs
    less and less often as the heap grows: the memory of a national year grew with its rows."""
    results = _results_query(reports, chunk_size)
    return _released(results) if release else results


def _released(results):
    for progress in results:
        yield progress
        progress._prefetched_objects_cache = {}


def _results_query(reports, chunk_size: int):
    return (
        MeasureProgress.objects.filter(report__in=reports)
        .select_related("report__agency", "report__period", "measure__indicator")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk")))
        .order_by(
            "measure__indicator__number",
            "measure__order",
            "report__agency__order",
            "report__agency__code",
            "report__period__quarter",
        )
        .iterator(chunk_size=chunk_size)
    )


def build_document(
    user,
    fiscal_year: FiscalYear,
    scope: Scope,
    *,
    agency: Agency | None = None,
    include_submitted: bool = False,
    today: datetime.date | None = None,
) -> ConsolidatedReport:
    """Everything but the results themselves, in a fixed number of queries."""
    periods = list(
        ReportingPeriod.objects.filter(fiscal_year=fiscal_year, quarter__in=scope.quarters).order_by(
            "quarter"
        )
    )
    for period in periods:
        period.fiscal_year = fiscal_year

    reports = included_reports(user, fiscal_year, scope, agency=agency, include_submitted=include_submitted)
    reports = reports.values("pk")

    rows = plan_rows(plan_indicators(fiscal_year))
    indicators = []
    for row in rows:
        if not indicators or indicators[-1].indicator.pk != row.indicator.pk:
            indicators.append(IndicatorSummary(row.indicator, measures=0))
        if row.measure is not None:
            indicators[-1].measures += 1
    said = ~Q(status="") | ~Q(result="")
    figures = {
        f["measure__indicator"]: f
        for f in MeasureProgress.objects.filter(report__in=reports)
        .values("measure__indicator")
        .annotate(
            reported=Count("report__agency", distinct=True, filter=said),
            approved=Count("report__agency", distinct=True, filter=said & Q(report__status=Status.APPROVED)),
            done=Count("pk", filter=Q(status=MeasureProgress.Status.DONE)),
            results=Count("pk"),
        )
    }
    for summary in indicators:
        f = figures.get(summary.indicator.pk)
        if f:
            summary.reported, summary.approved = f["reported"], f["approved"]
            summary.done, summary.results = f["done"], f["results"]

    agency_summaries = _agency_summaries(user, fiscal_year, periods, agency)
    max_evidence = (
        MeasureProgress.objects.filter(report__in=reports)
        .annotate(n=Count("evidence"))
        .aggregate(m=Max("n"))["m"]
        or 0
    )
    lead = Agency.objects.filter(is_lead=True).first()
    return ConsolidatedReport(
        fiscal_year=fiscal_year,
        scope=scope,
        periods=periods,
        agency=agency,
        province=lead.name if lead else "",
        include_submitted=include_submitted,
        exported_on=today or thaidate.today(),
        indicator_summaries=indicators,
        agency_summaries=agency_summaries,
        rows=rows,
        max_evidence=max_evidence,
        reports=reports,
    )


def _agency_summaries(user, fiscal_year, periods, agency) -> list:
    """Every active agency with a measure to report on that year (that the user may see, or the one asked for),
    with its report's status and timeliness in each period of the scope. Two queries."""
    reports = QuarterlyReport.objects.for_user(user).filter(period__in=periods)
    agencies = Agency.objects.active().with_measures_in(fiscal_year).order_by("order", "code")
    if agency is not None:
        agencies = agencies.filter(pk=agency.pk)
        reports = reports.filter(agency=agency)
    elif not roles.can_view_all(user):
        agencies = agencies.none()  # fails closed: a reporter's document always names their agency
    by_key = {
        (r.agency_id, r.period_id): r for r in reports.only("pk", "agency", "period", "status", "days_late")
    }
    return [AgencySummary(a, [AgencyQuarter(p, by_key.get((a.pk, p.pk))) for p in periods]) for a in agencies]
