"""The public pages and open-data files run a fixed number of SQL queries whatever the data's size."""

import pytest

from reports import workflow
from tests.factories import AgencyFactory, IndicatorFactory, MeasureFactory, make_reporter
from tests.transparency.conftest import Flow

pytestmark = pytest.mark.django_db


def _grow(fiscal_year, reviewer, agencies, extra_measures):
    """More agencies, each with approved quarters 1 and 2 (one reopened), and more measures."""
    indicator = IndicatorFactory(fiscal_year=fiscal_year, number=5)
    measures = [MeasureFactory(indicator=indicator, order=n + 1) for n in range(extra_measures)]
    for n in range(agencies):
        agency = AgencyFactory(code=f"X{n}")
        flow = Flow(agency, make_reporter(agency=agency), reviewer, fiscal_year, measures)
        flow.published("ผล", quarter=1)
        workflow.reopen(flow.published("ผล", quarter=2), reviewer, reason="แก้")


def _drain(response):
    if response.streaming:
        b"".join(response.streaming_content)
    return response


@pytest.fixture(params=["small", "large"])
def data(request, flow, fiscal_year, reviewer):
    flow.published("ผล", quarter=1)
    if request.param == "large":
        _grow(fiscal_year, reviewer, agencies=6, extra_measures=4)
    return request.param


# fiscal year + years with a plan, agency, periods, measures, reports, the OIT items the page answers
AGENCY_PAGE_QUERIES = 7


@pytest.mark.parametrize("suffix", ["", "r6/"])
def test_the_agency_page_runs_a_fixed_number_of_queries(client, data, suffix, django_assert_num_queries):
    with django_assert_num_queries(AGENCY_PAGE_QUERIES):
        assert client.get(f"/public/2565/agency/AGA/{suffix}").status_code == 200


# years with a plan, fiscal year, the version (event, count, agencies, measures), measures, reports
RESULTS_QUERIES = 9


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_results_run_a_fixed_number_of_queries(client, data, fmt, django_assert_num_queries):
    with django_assert_num_queries(RESULTS_QUERIES):
        assert _drain(client.get(f"/open-data/2565/results.{fmt}")).status_code == 200


def test_the_year_page_runs_a_fixed_number_of_queries(client, data, django_assert_num_queries):
    # years with a plan, fiscal year, periods, quarters published, agencies count and page, their reports,
    # the quarter's approved count, indicators
    with django_assert_num_queries(9):
        assert client.get("/public/2565/?quarter=1").status_code == 200


def test_the_indicator_page_runs_a_fixed_number_of_queries(client, data, django_assert_num_queries):
    with django_assert_num_queries(7):
        assert client.get("/public/2565/indicator/1/?quarter=1").status_code == 200


def test_plan_and_agencies_run_a_fixed_number_of_queries(client, data, django_assert_num_queries):
    # version: fiscal year, measures, steps; the file: years with a plan, fiscal year, measures, steps
    with django_assert_num_queries(7):
        assert _drain(client.get("/open-data/2565/plan.csv")).status_code == 200
    with django_assert_num_queries(2):
        assert _drain(client.get("/open-data/agencies.csv")).status_code == 200
