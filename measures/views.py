from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from measures.models import FiscalYear, Indicator, Measure, MeasureStep


def home(request):
    """The public front page: what the plan is, with the way in to it."""
    return render(request, "measures/home.html", {"fiscal_year": FiscalYear.objects.active()})


def plan(request, year=None):
    """The fiscal year's plan as the official table: indicator, measures, steps, responsible, monitoring."""
    if year is None:
        fiscal_year = FiscalYear.objects.active()
        if fiscal_year is None:
            raise Http404("No plan has been loaded yet.")
    else:
        fiscal_year = get_object_or_404(FiscalYear, year=year)
    indicators = (
        Indicator.objects.filter(fiscal_year=fiscal_year)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("order").prefetch_related(
                    Prefetch("steps", queryset=MeasureStep.objects.order_by("order"))
                ),
            )
        )
    )
    years = FiscalYear.objects.filter(indicators__isnull=False).distinct().values_list("year", flat=True)
    return render(
        request,
        "measures/plan.html",
        {"fiscal_year": fiscal_year, "indicators": indicators, "years": list(years)},
    )
