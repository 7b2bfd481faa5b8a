"""Reviewer turnaround on the dashboard: median days from an agency's submission to the province's decision."""

import datetime
import statistics

from django.db import connection, models
from django.db.models import Count, ExpressionWrapper, F, Q

from measures.models import FiscalYear, ReportingPeriod
from reports.models import QuarterlyReport

Status = QuarterlyReport.Status


class Median(models.Aggregate):
    """PostgreSQL's PERCENTILE_CONT(0.5) of an interval (other databases take the Python path)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = models.DurationField()


def _days(value: datetime.timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 86400


def turnaround(user, fiscal_year: FiscalYear, period: ReportingPeriod) -> dict:
    """Median days from submission to the reviewer's decision, for the period and for the year: one query.

    Per report, its latest decision (approve or return) against the submission it decided: reports whose
    decided_at is before submitted_at were resubmitted and are waiting again, so they do not count.
    On PostgreSQL the medians are computed by the database; elsewhere in Python over one values_list.
    """
    decided = QuarterlyReport.objects.for_user(user).filter(
        period__fiscal_year=fiscal_year,
        agency__is_active=True,
        status__in=[Status.APPROVED, Status.RETURNED],
        submitted_at__isnull=False,
        decided_at__gte=F("submitted_at"),
    )
    if connection.vendor == "postgresql":
        duration = ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=models.DurationField())
        in_period = Q(period=period)
        result = decided.aggregate(
            year_median=Median(duration),
            year_count=Count("pk"),
            period_median=Median(duration, filter=in_period),
            period_count=Count("pk", filter=in_period),
        )
        return {
            "period": _days(result["period_median"]),
            "period_count": result["period_count"],
            "year": _days(result["year_median"]),
            "year_count": result["year_count"],
        }
    year, this = [], []
    for period_id, submitted_at, decided_at in decided.values_list("period_id", "submitted_at", "decided_at"):
        days = (decided_at - submitted_at).total_seconds() / 86400
        year.append(days)
        if period_id == period.pk:
            this.append(days)
    return {
        "period": statistics.median(this) if this else None,
        "period_count": len(this),
        "year": statistics.median(year) if year else None,
        "year_count": len(year),
    }
