"""The provincial overview: the dashboard of one quarter and the 6/12-month rounds (reviewers and admins).

The numbers come from `reports.dashboard.selectors`; these views only pick the year and quarter, check the role
and render.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
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
from reports.dashboard import rounds, selectors


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


def _year_choices(selection):
    return [(y.year, str(y.year)) for y in selection.years]


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int)
    status = forms.ChoiceField(label=_("Show agencies"), required=False)
    q = forms.CharField(label=_("Agency name or code"), required=False, max_length=100)

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(selection)
        self.fields["quarter"].choices = [(p.quarter, p.label) for p in selection.periods]
        self.fields["status"].choices = [
            ("", _("All")),
            *selectors.Standing.choices,
            (selectors.OVERDUE, _("Overdue")),
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "d-print-none"
        self.helper.layout = Layout(
            Row(
                Column("year", css_class="col-12 col-sm-6 col-lg-2"),
                Column("quarter", css_class="col-12 col-sm-6 col-lg-4"),
                Column("status", css_class="col-6 col-lg-2"),
                Column("q", css_class="col-6 col-lg-2"),
                Column(
                    Submit("", _("Show"), css_class="btn-primary mt-lg-4 w-100"),
                    css_class="col-12 col-lg-2",
                ),
            )
        )


class RoundFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(selection)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "d-print-none"
        self.helper.layout = Layout(
            Row(
                Column("year", css_class="col-8 col-md-4"),
                Column(Submit("", _("Show"), css_class="btn-primary mt-4 w-100"), css_class="col-4 col-md-2"),
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
    # NUL cannot go into a PostgreSQL string: a crafted ?q=%00 would be a server error.
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    status = request.GET.get("status", "")
    context = {"selection": selection, "today": today, "q": q, "status": status}
    if selection.period is not None:
        form = DashboardFilterForm(
            selection=selection,
            initial={
                "year": selection.fiscal_year.year,
                "quarter": selection.period.quarter,
                "status": status,
                "q": q,
            },
        )
        context["form"] = form
        context.update(
            selectors.build_dashboard(
                request.user,
                selection,
                today=today,
                report_url=_report_link(request.user),
                q=q,
                status=status,
                page=request.GET.get("page", 1),
                late_page=request.GET.get("late_page", 1),
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
