"""Filters for reviewers' lists: one FilterSet per list, feeding the table and its pagination alike."""

import datetime

import django_filters
from django import forms
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.models import Agency, FiscalYear, ReportingPeriod, period_under_review
from reports.models import QuarterlyReport

Status = QuarterlyReport.Status

# Reports waiting for a decision first, then those with the agency, then finished ones.
STATUS_RANK = {Status.SUBMITTED: 0, Status.RETURNED: 1, Status.DRAFT: 2, Status.APPROVED: 3}


def period_value(period: ReportingPeriod) -> str:
    """The inbox's URL value for one quarter: '2566-2'."""
    return f"{period.fiscal_year.year}-{period.quarter}"


def default_period(periods: list[ReportingPeriod], today: datetime.date | None = None):
    """The period an inbox opens on: the active fiscal year's quarter under review (latest closed, else Q1).

    `periods` is every period with its fiscal year loaded (the filter's choices), so this costs one query
    for the active year and nothing more.
    """
    active = FiscalYear.objects.active()
    if active is None:
        return None
    return period_under_review([p for p in periods if p.fiscal_year_id == active.pk], today)


class PeriodChoiceFilter(django_filters.ChoiceFilter):
    """A fiscal year ('2566', every quarter) or one quarter of it ('2566-2'), grouped by year."""

    @staticmethod
    def periods() -> list[ReportingPeriod]:
        return list(
            ReportingPeriod.objects.select_related("fiscal_year").order_by("-fiscal_year__year", "quarter")
        )

    @classmethod
    def period_choices(cls, periods: list[ReportingPeriod]):
        groups: dict[int, list[tuple[str, str]]] = {}
        for period in periods:
            year = period.fiscal_year.year
            if year not in groups:
                groups[year] = [(str(year), _("Whole fiscal year %(year)s") % {"year": year})]
            groups[year].append((period_value(period), period.label))
        return [(_("Fiscal year %(year)s") % {"year": year}, options) for year, options in groups.items()]

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        year, _sep, quarter = value.partition("-")
        qs = qs.filter(period__fiscal_year__year=int(year))
        return qs.filter(period__quarter=int(quarter)) if quarter else qs


class InboxFilterForm(forms.Form):
    """The inbox's filter form: one row of selects and a button, submitted by GET."""

    # Rendered by templates/reports/review/includes/filter_form.html.


class ReviewInboxFilter(django_filters.FilterSet):
    period = PeriodChoiceFilter(
        label=gettext_lazy("Period"), choices=(), empty_label=gettext_lazy("All periods")
    )
    agency = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Agency"),
        queryset=Agency.objects.order_by("order", "code"),
        empty_label=gettext_lazy("All agencies"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Status.choices, empty_label=gettext_lazy("All statuses")
    )

    class Meta:
        model = QuarterlyReport
        fields = ["period", "agency", "status"]
        form = InboxFilterForm

    def __init__(self, data=None, *args, **kwargs):
        """Without a `period` in the query string (a first visit), open on the default period."""
        self.periods = PeriodChoiceFilter.periods()
        if data is not None and "period" not in data:
            default = default_period(self.periods)
            if default is not None:
                data = data.copy()
                data["period"] = period_value(default)
        super().__init__(data, *args, **kwargs)
        self.filters["period"].extra["choices"] = PeriodChoiceFilter.period_choices(self.periods)


def inbox_queryset(user):
    """Reports the user may read, waiting ones first and the longest-waiting first among them."""
    rank = Case(
        *(When(status=status, then=Value(position)) for status, position in STATUS_RANK.items()),
        default=Value(len(STATUS_RANK)),
        output_field=IntegerField(),
    )
    return (
        QuarterlyReport.objects.for_user(user)
        .select_related("agency", "period__fiscal_year")
        .annotate(status_rank=rank)
        .order_by(
            "status_rank",
            F("submitted_at").asc(nulls_last=True),
            "-period__fiscal_year__year",
            "-period__quarter",
            "agency__order",
            "agency__code",
            "pk",
        )
    )


def waiting_elsewhere(user, filterset: ReviewInboxFilter) -> list[tuple[ReportingPeriod, int]]:
    """Reports waiting for a decision in periods other than the one the inbox shows: [(period, n)] in the
    period filter's order (latest year first, its quarters in order); one query. Empty when the inbox shows
    every period.

    The inbox opens on the quarter under review; a report still waiting from an earlier quarter must not be
    out of sight because of that. The agency filter, if any, applies here too.
    """
    data = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    value = data.get("period")
    if not value:
        return []
    year, _sep, quarter = value.partition("-")
    shown = {
        p.pk
        for p in filterset.periods
        if str(p.fiscal_year.year) == year and (not quarter or str(p.quarter) == quarter)
    }
    waiting = QuarterlyReport.objects.for_user(user).filter(status=Status.SUBMITTED).exclude(period__in=shown)
    if data.get("agency"):
        waiting = waiting.filter(agency=data["agency"])
    counts = dict(waiting.values_list("period").annotate(n=Count("pk")).order_by())
    return [(p, counts[p.pk]) for p in filterset.periods if p.pk in counts]
