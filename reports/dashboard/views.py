"""The provincial overview: the dashboard of one quarter and the 6/12-month rounds (reviewers and admins).

The numbers come from `reports.dashboard.selectors` and the dashboard's agencies from its FilterSet
(`reports.dashboard.filters`); these views only pick the year and quarter, check the role and render.
"""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from measures import thaidate
from measures.models import ReportingPeriod
from reports import access, roles
from reports.dashboard import filters, rounds, selectors


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
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "d-print-none"
        self.helper.layout = Layout(
            Row(
                Column("year", css_class="col-8 col-md-4"),
                Column(
                    StrictButton(_("Show"), type="submit", css_class="btn-primary mt-4 w-100"),
                    css_class="col-4 col-md-2",
                ),
            )
        )


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
    return render(request, "reports/dashboard/dashboard.html", context)


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
    return render(request, "reports/dashboard/round.html", context)
