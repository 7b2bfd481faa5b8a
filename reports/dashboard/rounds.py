"""The 6- and 12-month rounds (Q1–Q2, Q1–Q4) the provincial office reports to the Governor and the provincial
anti-corruption committee: each agency's standing per quarter and each indicator's progress over the round.

Built from the dashboard's pieces (reports.dashboard.selectors), with the same rule: a fixed number of queries whatever
the number of agencies and measures.
"""

import datetime
from dataclasses import dataclass

from measures.models import Agency
from reports.dashboard.cells import Cell
from reports.dashboard.selectors import (
    OPEN_STANDINGS,
    PAGE_SIZE,
    Selection,
    Standing,
    done_by_agency_and_indicator,
    done_by_period_and_indicator,
    has_saved_progress,
    is_past_due,
    load_plan,
    paginate,
    reports_by_period,
    standing_of,
    trend,
)
from reports.models import QuarterlyReport

Status = QuarterlyReport.Status

ROUND_QUARTERS = {6: 2, 12: 4}  # months -> last quarter of the round


def round_periods(selection: Selection, months: int) -> list:
    last = ROUND_QUARTERS[months]
    return [p for p in selection.periods if p.quarter <= last]


@dataclass
class RoundAgencyRow:
    agency: Agency
    quarters: list  # (period, Standing, overdue, report_url, days late or None) per period of the round
    latest: Cell  # measures done / applicable in the round's latest quarter


def build_round(
    user, selection: Selection, months: int, *, today: datetime.date, report_url, page: int | str = 1
) -> dict:
    """Each agency's standing per quarter of the round and its measures done in the round's latest quarter;
    each indicator's measures done per quarter. A fixed number of queries."""
    fiscal_year = selection.fiscal_year
    periods = round_periods(selection, months)
    plan = load_plan(fiscal_year)
    agency_page = paginate(Agency.objects.active().order_by("order", "code"), PAGE_SIZE, page)
    agency_count = agency_page.paginator.count
    page_agencies = list(agency_page.object_list)
    ids = [a.pk for a in page_agencies]
    reports = {
        (r["agency_id"], r["period_id"]): r
        for r in QuarterlyReport.objects.for_user(user)
        .filter(agency_id__in=ids, period__in=periods)
        .annotate(
            has_progress=has_saved_progress("pk"),
            standing=standing_of(report_id="pk", report_status="status", has_progress="has_progress"),
        )
        .values("pk", "agency_id", "period_id", "standing", "days_late")
    }
    latest = periods[-1] if periods else None
    done = done_by_agency_and_indicator(user, ids, periods[-1:], plan) if latest else {}

    rows = []
    for agency in page_agencies:
        quarters = []
        for p in periods:
            report = reports.get((agency.pk, p.pk))
            standing = Standing(report["standing"]) if report else Standing.NOT_STARTED
            overdue = is_past_due(p, today) and standing in OPEN_STANDINGS
            url = report_url(report["pk"]) if report else None
            quarters.append((p, standing, overdue, url, report["days_late"] if report else None))
        latest_done = sum(v for (a, pid, _i), v in done.items() if a == agency.pk)
        has_report = latest is not None and (agency.pk, latest.pk) in reports
        rows.append(RoundAgencyRow(agency, quarters, Cell(latest_done, plan.measure_count, has_report)))

    year_done = done_by_period_and_indicator(user, fiscal_year, plan)
    indicator_rows, overall = trend(plan, periods, year_done, agency_count, today)
    per_period = reports_by_period(user, fiscal_year)
    return {
        "months": months,
        "round_periods": periods,
        "latest_period": latest,
        "plan": plan,
        "agency_count": agency_count,
        "agency_page": agency_page,
        "agency_rows": rows,
        "indicator_rows": indicator_rows,
        "overall": overall,
        # Per quarter: reports sent in (submitted or approved) and approved.
        "sent_per_period": [
            (
                p,
                sum(per_period.get(p.pk, {}).get(s, 0) for s in (Status.SUBMITTED, Status.APPROVED)),
                per_period.get(p.pk, {}).get(Status.APPROVED, 0),
            )
            for p in periods
        ],
    }
