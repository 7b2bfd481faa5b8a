"""The exports run a fixed number of queries, whatever the number of agencies and results."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import QuarterlyReport
from tests.exports.conftest import make_report
from tests.factories import AgencyFactory


def _more_agencies(province, count):
    q1 = province["year"].periods.get(quarter=1)
    for n in range(count):
        agency = AgencyFactory(code=f"X{n:03d}")
        make_report(agency, q1, province["measures"], QuarterlyReport.Status.APPROVED, f"ผล {n}", evidence=3)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


# Session, user and its permissions (4); fiscal year, periods, plan (3) and its OIT items, indicator figures (the included
# reports are a subquery), agencies' reports, agencies, most evidence, lead agency, results and evidence (2).
# The PDF adds its content key (four aggregates, reports/exports/tasks.py).
QUERIES = {"/exports/2565/r12.xlsx": 17, "/exports/2565/q1/print/": 17, "/exports/2565/q1.pdf": 21}


@pytest.mark.parametrize("url", list(QUERIES))
def test_query_count_is_pinned(as_user, rita, url, django_assert_num_queries):
    client = as_user(rita)
    client.get("/exports/2565/q1.xlsx")  # the session is loaded once; the count below is of one request
    with django_assert_num_queries(QUERIES[url]):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)


@pytest.mark.parametrize("url", list(QUERIES))
def test_query_count_does_not_grow_with_the_agencies(as_user, rita, province, url):
    client = as_user(rita)
    before = _count(client, url)
    _more_agencies(province, 6)
    assert _count(client, url) == before
