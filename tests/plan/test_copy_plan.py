"""copy_plan 2565 2566: next year's plan from this year's, the old year untouched."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from measures.models import FiscalYear, Measure, MeasureStep, ReportingPeriod
from measures.plan_copy import shift_years
from tests.factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, MeasureFactory
from tests.plan.data import OFFICIAL_TITLE, make_plan

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("copy_plan", *map(str, args), stdout=out)
    return out.getvalue()


def plan_rows(year):
    return {
        "measures": list(
            Measure.objects.filter(indicator__fiscal_year__year=year)
            .order_by("indicator__number", "order")
            .values_list(
                "indicator__number", "order", "text", "parts", "responsible", "monitoring", "applies_to_all"
            )
        ),
        "steps": list(
            MeasureStep.objects.filter(measure__indicator__fiscal_year__year=year)
            .order_by("measure__indicator__number", "measure__order", "order")
            .values_list("measure__indicator__number", "measure__order", "order", "text", "sub_points")
        ),
        "periods": list(
            ReportingPeriod.objects.filter(fiscal_year__year=year)
            .order_by("quarter")
            .values_list("quarter", "start_date", "end_date", "due_date")
        ),
    }


@pytest.fixture
def plan_2565():
    fiscal_year = make_plan(2565, measures_per_indicator=2, title=OFFICIAL_TITLE, results_text="ผลปี ๒๕๖๕")
    due = fiscal_year.periods.get(quarter=2)
    due.due_date = datetime.date(2022, 4, 20)  # an edited due date travels with the copy
    due.save()
    return fiscal_year


def test_copy_creates_the_same_plan_in_the_target_year(plan_2565):
    run(2565, 2566)
    source, copy = plan_rows(2565), plan_rows(2566)
    assert copy["measures"] == source["measures"]
    assert copy["steps"] == source["steps"]
    assert len(copy["measures"]) == 20


def test_copied_due_dates_and_periods_move_one_year(plan_2565):
    run(2565, 2566)
    moved = [
        (quarter, shift_years(start, 1), shift_years(end, 1), shift_years(due, 1))
        for quarter, start, end, due in plan_rows(2565)["periods"]
    ]
    assert plan_rows(2566)["periods"] == moved
    assert ReportingPeriod.objects.get(fiscal_year__year=2566, quarter=2).due_date == datetime.date(
        2023, 4, 20
    )


def test_each_copied_measure_is_linked_to_its_original(plan_2565):
    run(2565, 2566)
    for copy in Measure.objects.filter(indicator__fiscal_year__year=2566).select_related(
        "copied_from__indicator"
    ):
        original = copy.copied_from
        assert original.indicator.fiscal_year_id == plan_2565.pk
        assert (original.indicator.number, original.order, original.text) == (
            copy.indicator.number,
            copy.order,
            copy.text,
        )


def test_the_old_year_is_left_untouched(plan_2565):
    before = plan_rows(2565)
    year_before = FiscalYear.objects.filter(year=2565).values_list("title", "results_text", "is_active").get()
    run(2565, 2566)
    assert plan_rows(2565) == before
    assert (
        FiscalYear.objects.filter(year=2565).values_list("title", "results_text", "is_active").get()
        == year_before
    )


def test_the_title_names_the_new_year_and_the_results_are_not_copied(plan_2565):
    run(2565, 2566)
    copy = FiscalYear.objects.get(year=2566)
    assert copy.title.endswith("พ.ศ. ๒๕๖๖")
    assert copy.results_text == ""
    assert not copy.is_active


def test_agencies_a_measure_applies_to_are_copied(plan_2565):
    agency = AgencyFactory()
    measure = Measure.objects.filter(indicator__fiscal_year=plan_2565).first()
    measure.applies_to_all = False
    measure.save()
    measure.agencies.set([agency])
    run(2565, 2566)
    copy = Measure.objects.get(copied_from=measure)
    assert (copy.applies_to_all, list(copy.agencies.all())) == (False, [agency])


def test_a_target_year_that_already_has_a_plan_is_refused(plan_2565):
    other = FiscalYearFactory(year=2566)
    MeasureFactory(indicator=IndicatorFactory(fiscal_year=other, number=1), text="แผนเดิม")
    with pytest.raises(CommandError, match="2566 already has a plan"):
        run(2565, 2566)
    assert list(Measure.objects.filter(indicator__fiscal_year=other).values_list("text", flat=True)) == [
        "แผนเดิม"
    ]


def test_a_target_year_without_a_plan_yet_receives_the_copy(plan_2565):
    FiscalYear.objects.create(year=2566)  # e.g. made when its OIT items were loaded
    run(2565, 2566)
    assert Measure.objects.filter(indicator__fiscal_year__year=2566).count() == 20


def test_a_source_year_without_a_plan_is_refused(db):
    with pytest.raises(CommandError, match="2564 has no plan to copy"):
        run(2564, 2565)
    assert not FiscalYear.objects.exists()


def test_29_february_moves_to_28_february():
    assert shift_years(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
