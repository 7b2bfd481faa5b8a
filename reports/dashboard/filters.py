"""Which agencies the dashboard lists: one FilterSet for agency standing, for the page and its downloads alike.

    filterset = agency_standing(request.GET)            # the year and quarter asked for, else the defaults
    if filterset is not None:                            # None before any fiscal year has reporting periods
        agencies = filterset.qs                          # active agencies with `standing`, as the page lists them
        rows = selectors.matrix_rows(user, agencies, filterset.selection.period, plan, today=…, report_url=…)

The queryset is the quarter's active agencies annotated by `selectors.agencies_with_standing`, in agency order,
narrowed by `status` (a standing, or "overdue") and `q` (part of the agency's Thai or English name or code).
An unknown status or quarter is ignored, as the page always did.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from measures import thaidate
from reports.dashboard import selectors

MAX_SEARCH = 100


class SearchField(forms.CharField):
    """Free text for a search: NUL dropped (PostgreSQL refuses it in a string), at most MAX_SEARCH characters."""

    widget = forms.TextInput(attrs={"maxlength": MAX_SEARCH})

    def to_python(self, value):
        return super().to_python((value or "").replace("\x00", ""))[:MAX_SEARCH]


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class DashboardFilterForm(forms.Form):
    """The year and the quarter (which choose the period, see `selectors.select_period`) and the filters."""

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int)

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y.year, str(y.year)) for y in selection.years]
        self.fields["quarter"].choices = [(p.quarter, p.label) for p in selection.periods]
        # Rendered by templates/reports/dashboard/includes/filter_form.html.


class AgencyStandingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Show agencies"), method="filter_status", empty_label=_("All")
    )
    q = SearchFilter(label=_("Agency name or code"), method="filter_q")

    class Meta:
        fields = ["status", "q"]
        form = DashboardFilterForm

    def __init__(self, data, *, selection: selectors.Selection, today: datetime.date):
        """`selection` must have a period. The form shows the year and quarter chosen, whatever was asked."""
        self.selection, self.today = selection, today
        data = data.copy()
        data["year"], data["quarter"] = selection.fiscal_year.year, selection.period.quarter
        queryset = selectors.agencies_with_standing(selection.period).order_by("order", "code")
        super().__init__(data, queryset=queryset)
        self.filters["status"].extra["choices"] = [
            *selectors.Standing.choices,
            (selectors.OVERDUE, _("Overdue")),
        ]

    def get_form_class(self):
        form_class = super().get_form_class()
        selection = self.selection

        class Form(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, selection=selection, **kwargs)

        return Form

    def filter_queryset(self, queryset):
        # The form's year and quarter chose the queryset; only the declared filters narrow it.
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_status(self, queryset, _name, value):
        return selectors.filter_standing(queryset, value, self.selection.period, self.today)

    def filter_q(self, queryset, _name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name_th__icontains=value) | Q(name_en__icontains=value) | Q(code__icontains=value)
        )

    @property
    def cleaned(self) -> dict:
        """The filter values in use ("" for none, or for one the form refused)."""
        self.is_valid()  # a refused field is left out of cleaned_data, the others are kept
        data = self.form.cleaned_data
        return {"status": data.get("status") or "", "q": data.get("q") or ""}

    def known_count(self, counts: dict) -> int | None:
        """How many agencies the filtered list has, when the standing counts already say (no search typed)."""
        status, q = self.cleaned["status"], self.cleaned["q"]
        if q:
            return None
        return counts.get(status, counts["total"]) if status else counts["total"]


def agency_standing(data, *, today: datetime.date | None = None) -> AgencyStandingFilter | None:
    """The dashboard's filter for a query string (`request.GET`): the year and quarter it asks for (else the
    active year's quarter under review) and its filters. None when no fiscal year has reporting periods."""
    today = today or thaidate.today()
    selection = selectors.select_period(data.get("year"), data.get("quarter"), today=today)
    if selection.period is None:
        return None
    return AgencyStandingFilter(data, selection=selection, today=today)
