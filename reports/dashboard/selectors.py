"""The provincial dashboard: every number computed live in the database (the rounds: reports.dashboard.rounds).

Each figure is one aggregate query over the whole province (annotate/aggregate with conditional
counts), never a query per agency or per cell, so a page runs the same number of queries for 33
agencies as for 2,500. Only the matrix rows and the late list are paginated; the counts, the
per-indicator progress and the trend always cover every active agency.

An agency's *standing* in a period is one of: not started (no report, or a draft with nothing saved in it
yet: `standing_of`, the one place this is written), draft, submitted, returned, approved. It is *overdue*
when the period's due date has passed (today in Asia/Bangkok) and its report is neither submitted nor
approved. The small selectors below are the dashboard's pieces; `build_dashboard` puts them together.
"""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from measures import thaidate
from measures.models import (
    Agency,
    FiscalYear,
    Indicator,
    Measure,
    ReportingPeriod,
    period_under_review,
)
from reports.dashboard import punctuality
from reports.dashboard.cells import SPARK_HEIGHT, SPARK_WIDTH, Cell, TrendRow
from reports.dashboard.turnaround import turnaround
from reports.models import MeasureProgress, QuarterlyReport, ReminderLog
from reports.roles import reporter_memberships

Status = QuarterlyReport.Status
PAGE_SIZE = 50
LATE_PAGE_SIZE = 50
RECENT_REMINDERS = 20


class Standing(models.TextChoices):
    """Where an agency stands in a period; the report statuses plus "not started"."""

    NOT_STARTED = "not_started", pgettext_lazy("report standing", "Not started")
    DRAFT = Status.DRAFT.value, _("Draft")
    SUBMITTED = Status.SUBMITTED.value, _("Submitted")
    RETURNED = Status.RETURNED.value, _("Returned for revision")
    APPROVED = Status.APPROVED.value, _("Approved")


# Standings that still owe the province a report (overdue once the due date has passed).
OPEN_STANDINGS = (Standing.NOT_STARTED, Standing.DRAFT, Standing.RETURNED)
# The filter value for "overdue" in the matrix filter (not a standing: it overlaps three of them).
OVERDUE = "overdue"


# --- choosing the year and the quarter -------------------------------------------------------------------


@dataclass
class Selection:
    years: list
    fiscal_year: FiscalYear | None
    periods: list
    period: ReportingPeriod | None


def _as_int(value) -> int | None:
    try:
        return int(thaidate.to_arabic_digits(str(value)))
    except (TypeError, ValueError):
        return None


def select_period(year=None, quarter=None, *, today: datetime.date | None = None) -> Selection:
    """The fiscal year and period a page shows: the ones asked for, else the active year and the quarter
    being reported on (`measures.models.period_under_review`, as the review inbox). Two queries.
    """
    today = today or thaidate.today()
    has_plan = Exists(Indicator.objects.filter(fiscal_year=OuterRef("pk")))
    years = list(FiscalYear.objects.annotate(has_plan=has_plan).order_by("-year"))
    wanted = _as_int(year)
    fiscal_year = next((y for y in years if y.year == wanted), None)
    if fiscal_year is None:
        # FiscalYear.objects.active(), without another query.
        fiscal_year = next((y for y in years if y.is_active), None) or next(
            (y for y in years if y.has_plan), None
        )
    if fiscal_year is None:
        return Selection(years, None, [], None)
    periods = list(ReportingPeriod.objects.filter(fiscal_year=fiscal_year).order_by("quarter"))
    for p in periods:
        p.fiscal_year = fiscal_year  # labels and __str__ without a query each
    wanted_quarter = _as_int(quarter)
    period = next((p for p in periods if p.quarter == wanted_quarter), None)
    if period is None:
        period = period_under_review(periods, today)
    return Selection(years, fiscal_year, periods, period)


# --- standings -------------------------------------------------------------------------------------------


def has_saved_progress(report_ref: str = "pk") -> Exists:
    """Whether the report (`OuterRef(report_ref)`) has a measure with a status or a result saved."""
    return Exists(
        MeasureProgress.objects.filter(report_id=OuterRef(report_ref)).exclude(status="", result="")
    )


def standing_of(*, report_id: str, report_status: str, has_progress: str) -> Case:
    """An agency's standing from its report, as SQL: the one place "not started" is written.

    Not started is no report at all, or a draft with nothing saved in it yet (opening the report page creates
    the draft); otherwise the standing is the report's status. The arguments name the annotations holding the
    report's id, its status and `has_saved_progress()`.
    """
    return Case(
        When(**{f"{report_id}__isnull": True}, then=Value(Standing.NOT_STARTED.value)),
        When(
            Q(**{report_status: Status.DRAFT}) & Q(**{has_progress: False}),
            then=Value(Standing.NOT_STARTED.value),
        ),
        default=F(report_status),
        output_field=models.CharField(),
    )


def agencies_with_standing(period: ReportingPeriod):
    """Active agencies annotated with their report of `period` (report_id, report_status) and `standing`.

    One LEFT JOIN to the period's reports and an EXISTS over the report's progress rows. An agency no measure of
    the year applies to is not asked to report, so it is not counted.
    """
    return (
        Agency.objects.active()
        .with_measures_in(period.fiscal_year_id)
        .annotate(
            this_report=FilteredRelation("reports", condition=Q(reports__period=period)),
            report_id=F("this_report__id"),
            report_status=F("this_report__status"),
            report_days_late=F("this_report__days_late"),
            has_progress=has_saved_progress("report_id"),
            standing=standing_of(
                report_id="report_id", report_status="report_status", has_progress="has_progress"
            ),
        )
    )


def is_past_due(period: ReportingPeriod, today: datetime.date) -> bool:
    return period.due_date < today


def standing_counts(period: ReportingPeriod, today: datetime.date, agencies=None) -> dict:
    """{standing: n, "overdue": n, "total": n} over the active agencies: one query, grouped by standing (the
    standing's CASE and its EXISTS are written and evaluated once, not once per count)."""
    counts = dict.fromkeys(Standing.values, 0)
    # `agencies`: `agencies_with_standing(period)` already built (the dashboard's filter has it): building that
    # queryset again costs more Python than running it.
    agencies = agencies_with_standing(period) if agencies is None else agencies
    rows = agencies.order_by().values_list("standing").annotate(n=Count("pk"))
    counts.update(dict(rows))
    counts["total"] = sum(counts.values())
    counts[OVERDUE] = sum(counts[s.value] for s in OPEN_STANDINGS) if is_past_due(period, today) else 0
    return counts


def filter_standing(queryset, status: str, period: ReportingPeriod, today: datetime.date):
    if status == OVERDUE:
        if not is_past_due(period, today):
            return queryset.none()
        return queryset.filter(standing__in=[s.value for s in OPEN_STANDINGS])
    if status in Standing.values:
        return queryset.filter(standing=status)
    return queryset


# --- the plan of a year ----------------------------------------------------------------------------------


@dataclass
class Plan:
    indicators: list
    measures_per_indicator: dict  # indicator id -> number of measures
    indicator_of_measure: dict  # measure id -> indicator id
    # Measures for a chosen set of agencies (Measure.applies_to_all off): measure id -> the active agencies' ids.
    # The others apply to every active agency.
    chosen: dict = field(default_factory=dict)

    @property
    def measure_count(self) -> int:
        return len(self.indicator_of_measure)

    def _chosen_in(self, indicator_id):
        return [
            agencies
            for m, agencies in self.chosen.items()
            if indicator_id in (None, self.indicator_of_measure[m])
        ]

    def measures_for(self, agency_id, indicator_id=None) -> int:
        """How many measures (of one indicator, or of the plan) the agency reports on."""
        total = self.measure_count if indicator_id is None else self.measures_per_indicator[indicator_id]
        return total - sum(1 for agencies in self._chosen_in(indicator_id) if agency_id not in agencies)

    def applicable(self, agency_count: int, indicator_id=None) -> int:
        """Measure–agency pairs to report on over `agency_count` active agencies: the denominator of progress."""
        total = self.measure_count if indicator_id is None else self.measures_per_indicator[indicator_id]
        chosen = self._chosen_in(indicator_id)
        return (total - len(chosen)) * agency_count + sum(len(agencies) for agencies in chosen)


def load_plan(fiscal_year: FiscalYear) -> Plan:
    """Indicators and which measure belongs to which: two small queries (the plan has a few dozen rows), a third
    only when some measure applies to a chosen set of agencies."""
    indicators = list(Indicator.objects.filter(fiscal_year=fiscal_year).order_by("number"))
    rows = list(
        Measure.objects.filter(indicator__fiscal_year=fiscal_year).values_list(
            "pk", "indicator_id", "applies_to_all"
        )
    )
    per_indicator = dict.fromkeys((i.pk for i in indicators), 0)
    for _measure_id, indicator_id, _all in rows:
        per_indicator[indicator_id] += 1
    limited = [pk for pk, _indicator_id, applies_to_all in rows if not applies_to_all]
    chosen: dict = {pk: set() for pk in limited}
    if limited:
        pairs = Measure.agencies.through.objects.filter(measure_id__in=limited, agency__is_active=True)
        for measure_id, agency_id in pairs.values_list("measure_id", "agency_id"):
            chosen[measure_id].add(agency_id)
    return Plan(indicators, per_indicator, {pk: indicator_id for pk, indicator_id, _all in rows}, chosen)


def done_by_period_and_indicator(user, fiscal_year: FiscalYear, plan: Plan) -> dict:
    """{(period id, indicator id): measures done} over the active agencies' reports of the year: one query.

    Grouped by measure in the database and folded into indicators here, so the big progress table is not
    joined to the plan.
    """
    rows = (
        MeasureProgress.objects.for_user(user)
        .filter(
            report__period__fiscal_year=fiscal_year,
            report__agency__is_active=True,
            status=MeasureProgress.Status.DONE,
        )
        .values_list("report__period_id", "measure_id")
        .annotate(done=Count("*"))
        .order_by()
    )
    result: dict = {}
    for period_id, measure_id, done in rows:
        key = (period_id, plan.indicator_of_measure.get(measure_id))
        result[key] = result.get(key, 0) + done
    return result


def done_by_agency_and_indicator(user, agency_ids, periods, plan: Plan) -> dict:
    """{(agency id, period id, indicator id): measures done} for a page of agencies: one query."""
    rows = (
        MeasureProgress.objects.for_user(user)
        .filter(
            report__period__in=periods,
            report__agency_id__in=agency_ids,
            status=MeasureProgress.Status.DONE,
        )
        .values_list("report__agency_id", "report__period_id", "measure_id")
        .annotate(done=Count("*"))
        .order_by()
    )
    result: dict = {}
    for agency_id, period_id, measure_id, done in rows:
        key = (agency_id, period_id, plan.indicator_of_measure.get(measure_id))
        result[key] = result.get(key, 0) + done
    return result


# --- trend ---------------------------------------------------------------------------------------------


def trend(plan: Plan, periods, done: dict, agency_count: int, today) -> tuple[list, TrendRow]:
    rows = []
    for indicator in plan.indicators:
        applicable = plan.applicable(agency_count, indicator.pk)
        cells = [
            Cell(done.get((p.pk, indicator.pk), 0), applicable) if p.start_date <= today else None
            for p in periods
        ]
        rows.append(TrendRow(indicator, cells, [c.percent if c else None for c in cells]))
    total = plan.applicable(agency_count)
    overall_cells = [
        Cell(sum(v for (pid, _i), v in done.items() if pid == p.pk), total) if p.start_date <= today else None
        for p in periods
    ]
    overall = TrendRow(None, overall_cells, [c.percent if c else None for c in overall_cells])
    return rows, overall


def reports_by_period(user, fiscal_year: FiscalYear) -> dict:
    """{period id: {status: n}} of the active agencies' reports of the year: one query."""
    rows = (
        QuarterlyReport.objects.for_user(user)
        .filter(period__fiscal_year=fiscal_year, agency__is_active=True)
        .values_list("period_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result: dict = {}
    for period_id, status, n in rows:
        result.setdefault(period_id, {})[status] = n
    return result


# --- reminders -------------------------------------------------------------------------------------------


def reminders_sent(period: ReportingPeriod) -> dict:
    """Reminder e-mails logged for the period: counts per stage (one query) and the latest few (one query)."""
    by_stage = dict(
        ReminderLog.objects.filter(period=period).values_list("stage").annotate(n=Count("pk")).order_by()
    )
    stages = [(stage, by_stage.get(stage.value, 0)) for stage in ReminderLog.Stage]
    recent = list(
        ReminderLog.objects.filter(period=period)
        .select_related("agency")
        .order_by("-sent_at", "-pk")[:RECENT_REMINDERS]
    )
    return {"stages": stages, "total": sum(by_stage.values()), "recent": recent}


# --- the dashboard, piece by piece -----------------------------------------------------------------------


def paginate(queryset, size: int, number, count: int | None = None):
    """A page of `queryset`; when the count is already known (from the standing counts) no COUNT query runs."""
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    page = paginator.get_page(number)
    page.object_list = list(page.object_list)
    return page


@dataclass
class MatrixRow:
    agency: Agency
    standing: Standing
    overdue: bool
    report_url: str | None
    cells: list
    on_time: object = None  # punctuality.Rate over the fiscal year's quarters already due


def matrix_rows(user, agencies, period: ReportingPeriod, plan: Plan, *, today, report_url) -> list[MatrixRow]:
    """One row per agency of `agencies` (from `agencies_with_standing`, e.g. a page of the dashboard's filter):
    its standing, whether it is overdue, its report's link and one cell per indicator. One query for the cells."""
    past_due = is_past_due(period, today)
    done = done_by_agency_and_indicator(user, [a.pk for a in agencies], [period], plan)
    return [
        MatrixRow(
            agency=agency,
            standing=Standing(agency.standing),
            overdue=past_due and agency.standing in OPEN_STANDINGS,
            report_url=report_url(agency.report_id) if agency.report_id else None,
            cells=[
                Cell(
                    done.get((agency.pk, period.pk, indicator.pk), 0),
                    plan.measures_for(agency.pk, indicator.pk),
                    has_report=agency.report_id is not None,
                )
                for indicator in plan.indicators
            ],
        )
        for agency in agencies
    ]


def year_progress(user, selection: Selection, plan: Plan, agency_count: int, today) -> dict:
    """Progress per indicator in the selected quarter, the trend over the year's quarters (one grouped query
    for both) and the reports sent in per quarter (one query)."""
    periods = selection.periods
    year_done = done_by_period_and_indicator(user, selection.fiscal_year, plan)
    trend_rows, overall = trend(plan, periods, year_done, agency_count, today)
    period_index = periods.index(selection.period)
    per_period = reports_by_period(user, selection.fiscal_year)
    return {
        "progress": [(row.indicator, row.cells[period_index] or Cell(0, 0)) for row in trend_rows],
        "trend_rows": trend_rows,
        "trend_overall": overall,
        "sent_per_period": [
            sum(per_period.get(p.pk, {}).get(s, 0) for s in (Status.SUBMITTED, Status.APPROVED))
            for p in periods
        ],
    }


def late_agencies(period: ReportingPeriod, today, page, count: int):
    """A page of the agencies whose report is overdue, with their reporters' contacts (one query each)."""
    late = Agency.objects.none()
    if is_past_due(period, today):
        late = (
            agencies_with_standing(period)
            .filter(standing__in=[s.value for s in OPEN_STANDINGS])
            .order_by("order", "code")
            .prefetch_related(Prefetch("members", queryset=reporter_memberships(), to_attr="reporters"))
        )
    late_page = paginate(late, LATE_PAGE_SIZE, page, count)
    for agency in late_page.object_list:
        agency.standing_label = Standing(agency.standing).label
    return late_page


def build_dashboard(user, filterset, *, today, report_url, page=1, late_page=1, late_sent_page=1) -> dict:
    """Everything the dashboard shows for the quarter of `filterset` (a `filters.AgencyStandingFilter`); a fixed
    number of queries whatever the data size. `report_url(report_id)` builds the link of a matrix row."""
    selection = filterset.selection
    period = selection.period
    plan = load_plan(selection.fiscal_year)
    counts = standing_counts(period, today, filterset.queryset)
    matrix_page = paginate(filterset.qs, PAGE_SIZE, page, filterset.known_count(counts))
    past_due = is_past_due(period, today)
    rows = matrix_rows(user, matrix_page.object_list, period, plan, today=today, report_url=report_url)
    agency_rates = punctuality.rate_per_agency(
        user, [row.agency.pk for row in rows], selection.periods, today
    )
    for row in rows:
        row.on_time = agency_rates.get(row.agency.pk)
    return {
        "plan": plan,
        "counts": counts,
        "standings": [(s, counts[s.value]) for s in Standing],
        "past_due": past_due,
        "days_left": (period.due_date - today).days,
        "matrix_page": matrix_page,
        "matrix_rows": rows,
        **year_progress(user, selection, plan, counts["total"], today),
        "late_page": late_agencies(period, today, late_page, counts[OVERDUE]),
        "late_sent_page": paginate(
            punctuality.late_submissions(user, period), LATE_PAGE_SIZE, late_sent_page
        ),
        "on_time_per_period": punctuality.rate_per_period(user, selection.periods, counts["total"], today),
        "days_overdue": (today - period.due_date).days if past_due else 0,
        "turnaround": turnaround(user, selection.fiscal_year, period),
        "reminders": reminders_sent(period),
        "spark_width": SPARK_WIDTH,
        "spark_height": SPARK_HEIGHT,
    }
