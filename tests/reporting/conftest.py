"""Personas and a small plan for the agency-reporting tests.

alice reports for agency A (the report under test), bob reports for agency B, rita is a provincial reviewer,
and the anonymous client is not logged in.
"""

import pytest

from reports import workflow
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MeasureFactory,
    make_admin,
    make_reporter,
    make_reviewer,
)


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
def agency():
    return AgencyFactory(code="AGA", name_th="สำนักงานเอ จังหวัดสตูล")


@pytest.fixture
def other_agency():
    return AgencyFactory(code="AGB", name_th="สำนักงานบี จังหวัดสตูล")


@pytest.fixture
def alice(agency):
    return make_reporter(agency, username="alice", first_name="อลิส", last_name="ใจดี")


@pytest.fixture
def carol(agency):
    """A second reporter of agency A, for concurrent edits."""
    return make_reporter(agency, username="carol", first_name="แครอล", last_name="ขยัน")


@pytest.fixture
def bob(other_agency):
    return make_reporter(other_agency, username="bob")


@pytest.fixture
def rita():
    return make_reviewer(username="rita")


@pytest.fixture
def admin_user():
    return make_admin(username="root")


@pytest.fixture
def report(agency, period, measures, alice):
    return workflow.get_or_create_report(agency=agency, period=period, user=alice)


@pytest.fixture
def progress(report):
    """The report's progress rows in plan order."""
    return list(report.progress.order_by("measure__indicator__number", "measure__order"))
