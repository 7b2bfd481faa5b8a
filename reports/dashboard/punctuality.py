"""On time or late: the dashboard's on-time rates (per quarter, per agency over the fiscal year) and the list
of agencies that submitted late. Built on the report's first submission (`first_submitted_at`, `days_late`,
set once by the workflow against the period's due date in Asia/Bangkok).

The on-time rate of a quarter counts reports first submitted by the due date among all active agencies, so an
agency that never submitted counts as not on time; quarters not yet due are not rated. Each figure is one query.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from measures.models import Agency
from reports.models import QuarterlyReport


@dataclass
class Rate:
    on_time: int
    late: int
    expected: int  # agencies (per quarter) or quarters due (per agency)

    @property
    def not_submitted(self) -> int:
        return max(0, self.expected - self.on_time - self.late)

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.expected) if self.expected else None


def _submitted(user):
    return QuarterlyReport.objects.for_user(user).filter(days_late__isnull=False).order_by()


def _tally():
    return {"on_time": Count("pk", filter=Q(days_late=0)), "late": Count("pk", filter=Q(days_late__gt=0))}


def due_periods(periods, today: datetime.date) -> list:
    return [p for p in periods if p.due_date < today]


def rate_per_period(user, periods, agency_count: int, today: datetime.date) -> list[tuple]:
    """(period, Rate or None when not due yet) for each period: one grouped query."""
    tallies = {
        row["period_id"]: row
        for row in _submitted(user).filter(period__in=periods).values("period_id").annotate(**_tally())
    }
    due = set(due_periods(periods, today))
    result = []
    for period in periods:
        row = tallies.get(period.pk, {})
        rate = Rate(row.get("on_time", 0), row.get("late", 0), agency_count) if period in due else None
        result.append((period, rate))
    return result


def rate_per_agency(user, agency_ids, periods, today: datetime.date) -> dict[int, Rate]:
    """{agency id: Rate over the fiscal year's quarters already due}: one grouped query for a page of agencies."""
    due = due_periods(periods, today)
    if not due:
        return {}
    tallies = {
        row["agency_id"]: row
        for row in _submitted(user)
        .filter(agency_id__in=agency_ids, period__in=due)
        .values("agency_id")
        .annotate(**_tally())
    }
    return {
        pk: Rate(tallies.get(pk, {}).get("on_time", 0), tallies.get(pk, {}).get("late", 0), len(due))
        for pk in agency_ids
    }


def late_submissions(user, period):
    """The period's reports first submitted after the due date, the latest first, with their agency."""
    active = Agency.objects.active().values("pk")
    return (
        _submitted(user)
        .filter(period=period, days_late__gt=0, agency__in=active)
        .select_related("agency")
        .order_by("-days_late", "agency__order", "agency__code")
    )
