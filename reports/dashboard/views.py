"""The provincial overview: the dashboard of one quarter and the 6/12-month rounds (reviewers and admins).

The numbers come from `reports.dashboard.selectors` and the dashboard's agencies from its FilterSet
(`reports.dashboard.filters`); these views only pick the year and quarter, check the role and render.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from measures import thaidate
from measures.models import ReportingPeriod
from ops.pagecache import kept_page
from reports import access, roles
from reports.dashboard import filters, rounds, selectors
from reports.templatetags import linkstatus
from reports.templatetags.fragments import form_key, fragment_key


def _report_link(user):
    """How a row links to its report, decided once per request: the review page for reviewers when that
    page exists, else the report page; no link when neither URL is installed."""
    names = ["reports:review", "reports:report"] if roles.REVIEWER.allows(user) else ["reports:report"]
    for name in names:
        try:
            reverse(name, args=[0])
        except NoReverseMatch:
            continue
        return lambda pk, name=name: reverse(name, args=[pk])
    return lambda pk: None


class RoundFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y.year, str(y.year)) for y in selection.years]
        # Rendered by templates/reports/dashboard/includes/round_form.html.


@kept_page
@require_GET
@login_required
def dashboard_view(request):
    """One quarter of one fiscal year: standings, the agencies × indicators matrix, progress, trend, late
    agencies, reviewer turnaround and reminders sent."""
    access.require(request.user, roles.READER)
    today = thaidate.today()
    selection = selectors.select_period(request.GET.get("year"), request.GET.get("quarter"), today=today)
    if selection.period is None:
        context = {"selection": selection, "today": today, "q": "", "status": ""}
    else:
        filterset = filters.AgencyStandingFilter(request.GET, selection=selection, today=today)
        context = {"selection": selection, "today": today, "form": filterset.form, **filterset.cleaned}
        context.update(
            selectors.build_dashboard(
                request.user,
                filterset,
                today=today,
                report_url=_report_link(request.user),
                page=request.GET.get("page", 1),
                late_page=request.GET.get("late_page", 1),
                late_sent_page=request.GET.get("late_sent_page", 1),
            )
        )
    if context.get("form") is not None:
        context["form_key"] = form_key(context["form"])
    if context.get("matrix_rows"):
        context["matrix_key"] = _matrix_key(request, context["plan"], context["matrix_rows"])
    if context.get("trend_rows") is not None:
        context["progress_key"] = _trend_key(
            context["trend_rows"],
            context["trend_overall"],
            [(p.quarter, p == selection.period) for p in selection.periods],
            context["sent_per_period"],
            [(i.pk, i.number, i.name, c.done, c.total) for i, c in context["progress"]],
            (context["spark_width"], context["spark_height"]),
        )
    return render(request, "reports/dashboard/dashboard.html", context)


def _matrix_key(request, plan, rows) -> str:
    """The digest of everything the matrix table shows ({% fragment %}): its columns and, per row, the agency,
    its link, standing, lateness, broken links, punctuality and cells."""
    return fragment_key(
        [(i.number, i.name) for i in plan.indicators],
        [
            (
                row.agency.pk,
                row.agency.name,
                row.report_url,
                row.standing.value,
                row.overdue,
                row.agency.report_days_late,
                linkstatus.cached_broken_count(request, row.agency),
                (row.on_time.on_time, row.on_time.expected) if row.on_time else None,
                [(c.done, c.total, c.has_report) for c in row.cells],
            )
            for row in rows
        ],
    )


@kept_page
@require_GET
@login_required
def round_view(request, months):
    """The 6-month (Q1–Q2) or 12-month (Q1–Q4) round of a fiscal year, per agency and per indicator."""
    access.require(request.user, roles.READER)
    if months not in rounds.ROUND_QUARTERS:
        raise Http404("There are 6- and 12-month rounds only.")
    today = thaidate.today()
    selection = selectors.select_period(request.GET.get("year"), today=today)
    round_label = {6: ReportingPeriod.Round.SIX_MONTHS, 12: ReportingPeriod.Round.TWELVE_MONTHS}[months].label
    context = {"selection": selection, "today": today, "months": months, "round_label": round_label}
    if selection.fiscal_year is not None:
        context["form"] = RoundFilterForm(selection=selection, initial={"year": selection.fiscal_year.year})
        context.update(
            rounds.build_round(
                request.user,
                selection,
                months,
                today=today,
                report_url=_report_link(request.user),
                page=request.GET.get("page", 1),
            )
        )
    if context.get("form") is not None:
        context["form_key"] = form_key(context["form"])
    if context.get("agency_rows") is not None:
        context["indicators_key"] = _trend_key(
            context["indicator_rows"],
            context["overall"],
            [p.quarter for p in context["round_periods"]],
            [(sent, approved) for _p, sent, approved in context["sent_per_period"]],
            context["agency_count"],
        )
        context["agencies_key"] = fragment_key(
            "round agencies",
            [p.quarter for p in context["round_periods"]],
            context["latest_period"].quarter if context["latest_period"] else None,
            [
                (
                    row.agency.pk,
                    row.agency.name,
                    [
                        (p.pk, standing.value, overdue, url, days)
                        for p, standing, overdue, url, days in row.quarters
                    ],
                    (row.latest.done, row.latest.total, row.latest.has_report),
                )
                for row in context["agency_rows"]
            ],
        )
    return render(request, "reports/dashboard/round.html", context)


def _trend_key(rows, overall, *more) -> str:
    """The digest of a table of trend rows ({% fragment %}): each indicator, its cells and percents."""

    def values(row):
        cells = [(c.done, c.total, c.has_report) if c else None for c in row.cells]
        indicator = (row.indicator.number, row.indicator.name) if row.indicator else None
        return (indicator, cells, row.percents)

    return fragment_key("trend", [values(row) for row in rows], values(overall), *more)
