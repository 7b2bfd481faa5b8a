"""The database keeps bad plan rows out, whatever the form or importer does."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from measures.models import Agency, FiscalYear, Indicator, Measure, MeasureStep, ReportingPeriod
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MeasureFactory,
    MeasureStepFactory,
)

pytestmark = pytest.mark.django_db


def assert_rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_indicator_number_is_unique_within_a_fiscal_year():
    year = FiscalYearFactory()
    IndicatorFactory(fiscal_year=year, number=3)
    assert_rejected(lambda: Indicator.objects.create(fiscal_year=year, number=3, name_th="ซ้ำ", group="IIT"))


def test_the_same_indicator_number_is_allowed_in_another_year():
    IndicatorFactory(fiscal_year=FiscalYearFactory(year=2565), number=3)
    IndicatorFactory(fiscal_year=FiscalYearFactory(year=2566), number=3)
    assert Indicator.objects.filter(number=3).count() == 2


@pytest.mark.parametrize("number", [0, 11])
def test_indicator_number_must_be_1_to_10(number):
    year = FiscalYearFactory()
    assert_rejected(
        lambda: Indicator.objects.create(fiscal_year=year, number=number, name_th="x", group="OIT")
    )


@pytest.mark.parametrize("quarter", [0, 5])
def test_quarter_must_be_1_to_4(quarter):
    year = FiscalYearFactory(periods=False)
    day = datetime.date(2022, 1, 1)
    assert_rejected(
        lambda: ReportingPeriod.objects.create(
            fiscal_year=year, quarter=quarter, start_date=day, end_date=day, due_date=day
        )
    )


def test_a_quarter_appears_once_per_fiscal_year():
    year = FiscalYearFactory()
    assert_rejected(lambda: ReportingPeriod.objects.create(fiscal_year=year, quarter=2))


def test_period_end_must_not_be_before_its_start():
    year = FiscalYearFactory(periods=False)
    assert_rejected(
        lambda: ReportingPeriod.objects.create(
            fiscal_year=year,
            quarter=1,
            start_date=datetime.date(2021, 12, 31),
            end_date=datetime.date(2021, 10, 1),
            due_date=datetime.date(2022, 1, 15),
        )
    )


def test_due_date_must_not_be_before_the_period_starts():
    year = FiscalYearFactory(periods=False)
    assert_rejected(
        lambda: ReportingPeriod.objects.create(
            fiscal_year=year,
            quarter=1,
            start_date=datetime.date(2021, 10, 1),
            end_date=datetime.date(2021, 12, 31),
            due_date=datetime.date(2021, 9, 30),
        )
    )


def test_only_one_agency_can_be_the_lead():
    AgencyFactory(code="PROV", is_lead=True)
    assert_rejected(lambda: Agency.objects.create(code="CDD", name_th="สำนักงานพัฒนาชุมชน", is_lead=True))
    AgencyFactory(code="LAND", is_lead=False)
    assert Agency.objects.filter(is_lead=True).count() == 1


def test_agency_code_is_unique():
    AgencyFactory(code="PROV")
    assert_rejected(lambda: Agency.objects.create(code="PROV", name_th="ซ้ำ"))


def test_only_one_fiscal_year_can_be_active():
    FiscalYearFactory(year=2565, is_active=True)
    assert_rejected(lambda: FiscalYear.objects.create(year=2566, is_active=True))
    FiscalYear.objects.create(year=2567, is_active=False)
    assert FiscalYear.objects.filter(is_active=True).count() == 1


def test_fiscal_year_must_be_buddhist_era():
    assert_rejected(lambda: FiscalYear.objects.create(year=2022))


def test_fiscal_year_is_unique():
    FiscalYearFactory(year=2565)
    assert_rejected(lambda: FiscalYear.objects.create(year=2565))


def test_measure_order_is_unique_within_an_indicator():
    measure = MeasureFactory(order=1)
    assert_rejected(lambda: Measure.objects.create(indicator=measure.indicator, order=1, text="ซ้ำ"))


def test_step_order_is_unique_within_a_measure():
    step = MeasureStepFactory(order=1)
    assert_rejected(lambda: MeasureStep.objects.create(measure=step.measure, order=1, text="ซ้ำ"))
