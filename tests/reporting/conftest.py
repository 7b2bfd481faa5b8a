"""A small plan and agency A's report for the agency-reporting tests (the personas: tests/conftest.py)."""

import pytest

from reports import workflow
from tests.factories import FiscalYearFactory, IndicatorFactory, MeasureFactory


@pytest.fixture
def fiscal_year():
    return FiscalYearFactory(year=2565)


@pytest.fixture
def period(fiscal_year):
    return fiscal_year.periods.get(quarter=1)


@pytest.fixture
def measures(fiscal_year):
    """Two indicators with one measure each, created out of plan order on purpose."""
    second = MeasureFactory(indicator=IndicatorFactory(fiscal_year=fiscal_year, number=2), text="มาตรการสอง")
    first = MeasureFactory(indicator=IndicatorFactory(fiscal_year=fiscal_year, number=1), text="มาตรการหนึ่ง")
    return [first, second]


@pytest.fixture
def report(agency, period, measures, alice):
    return workflow.get_or_create_report(agency=agency, period=period, user=alice)


@pytest.fixture
def progress(report):
    """The report's progress rows in plan order."""
    return list(report.progress.order_by("measure__indicator__number", "measure__order"))
