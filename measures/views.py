from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from measures import thaidate
from measures.models import FiscalYear, Indicator
from measures.plan_table import default_plan_year, plan_groups, plan_indicators, plan_rows, plan_years


@require_safe
def home(request):
    """The public front page: what the plan is, with the way in to it."""
    return render(request, "measures/home.html", {"plan_year": default_plan_year(plan_years())})


@require_safe
def plan(request, year=None):
    """The fiscal year's plan as the official table: indicator, measures, steps, responsible, monitoring.

    Without a year: the active fiscal year, or the newest with a plan. A year without a plan is a 404.
    """
    years = plan_years()
    if year is None:
        year = default_plan_year(years)
    if year not in years:
        raise Http404("No plan for this fiscal year.")
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    rows = plan_rows(plan_indicators(fiscal_year))
    return render(
        request,
        "measures/plan.html",
        {
            "fiscal_year": fiscal_year,
            "rows": rows,
            "groups": plan_groups(rows),
            "years": sorted(years),  # the year picker reads oldest to newest
            "group_choices": Indicator.Group.choices,
            "printed_on": thaidate.today(),
        },
    )
