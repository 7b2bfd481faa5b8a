"""The dashboard and the rounds run a fixed number of SQL queries, whatever the number of agencies and measures.

The same pinned count for 33 agencies × 10 measures and for 330 agencies × 30 measures: no query per agency,
per indicator or per cell.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.dashboard_data import BKK, build_bulk_province
from tests.factories import make_reviewer

pytestmark = pytest.mark.django_db

# session, user, the user's permissions (2), the header's unread notices, then the page's own queries (the last
# three: late submissions counted (their rows, when there are some: none here), on time per quarter, per agency),
# and the agencies' broken links (linkcheck, one query); first of all the data version (ops.versions: the page is
# kept whole until it changes, see tests/ops/test_pagecache.py for a kept page's queries).
DASHBOARD_QUERIES = 24
ROUND_QUERIES = 16
SIZES = [(33, 10), (330, 30)]


@pytest.fixture(autouse=True)
def on_20_january_2022():
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, 0, tzinfo=BKK), tick=False):
        yield


@pytest.mark.parametrize(("agencies", "measures"), SIZES)
def test_dashboard_query_count_does_not_grow(client, django_assert_num_queries, agencies, measures):
    build_bulk_province(agencies, measures)
    client.force_login(make_reviewer())
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("reports:dashboard"), {"year": 2565, "quarter": 1})
    assert response.status_code == 200
    assert response.context["counts"]["total"] == agencies
    assert response.context["counts"]["overdue"] > 0  # the late list and its contacts are rendered too
    assert len(response.context["matrix_rows"]) == min(agencies, 50)


@pytest.mark.parametrize(("agencies", "measures"), SIZES)
def test_round_query_count_does_not_grow(client, django_assert_num_queries, agencies, measures):
    build_bulk_province(agencies, measures, quarters=(1, 2, 3, 4))
    client.force_login(make_reviewer())
    for months in (6, 12):
        with django_assert_num_queries(ROUND_QUERIES):
            response = client.get(reverse("reports:round", args=[months]), {"year": 2565})
        assert response.status_code == 200
        assert response.context["agency_count"] == agencies
