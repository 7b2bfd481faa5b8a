"""The 6-month (Q1–Q2) and 12-month (Q1–Q4) rounds against the hand-counted province (tests/dashboard_data.py)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reports.dashboard.cells import CellState
from reports.dashboard.selectors import Standing
from tests.dashboard_data import BKK, build_province
from tests.factories import make_admin, make_reporter, make_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_20_january_2022():
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, 0, tzinfo=BKK), tick=False):
        yield


@pytest.fixture
def province():
    return build_province()


@pytest.fixture
def reviewer_client(client):
    client.force_login(make_reviewer(username="reviewer"))
    return client


def _get(client, months, **params):
    return client.get(reverse("reports:round", args=[months]), {"year": 2565, **params})


def _quarters(response, letter):
    row = next(r for r in response.context["agency_rows"] if r.agency.code == f"AG{letter}")
    return [(standing, overdue) for _period, standing, overdue, _url, _late in row.quarters], row.latest


def test_anonymous_is_sent_to_login(client, province):
    response = _get(client, 6)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_reporter_is_forbidden(client, province):
    client.force_login(make_reporter(province.agencies["A"]))
    assert _get(client, 6).status_code == 403


def test_admin_sees_the_rounds(client, province):
    client.force_login(make_admin(username="admin"))
    assert _get(client, 12).status_code == 200


def test_post_is_not_allowed(reviewer_client, province):
    assert reviewer_client.post(reverse("reports:round", args=[6])).status_code == 405


def test_only_6_and_12_month_rounds_exist(reviewer_client, province):
    assert _get(reviewer_client, 3).status_code == 404


def test_six_month_round_covers_q1_and_q2(reviewer_client, province):
    response = _get(reviewer_client, 6)
    assert [p.quarter for p in response.context["round_periods"]] == [1, 2]
    assert response.context["latest_period"] == province.q2


def test_twelve_month_round_covers_the_four_quarters(reviewer_client, province):
    response = _get(reviewer_client, 12)
    assert [p.quarter for p in response.context["round_periods"]] == [1, 2, 3, 4]


def test_round_labels_are_thai(reviewer_client, province):
    assert "รอบ 6 เดือน" in _get(reviewer_client, 6).content.decode()
    assert "รอบ 12 เดือน" in _get(reviewer_client, 12).content.decode()


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        ("A", [(Standing.APPROVED, False), (Standing.APPROVED, False)]),
        ("B", [(Standing.SUBMITTED, False), (Standing.NOT_STARTED, False)]),
        ("C", [(Standing.RETURNED, True), (Standing.NOT_STARTED, False)]),
        ("D", [(Standing.DRAFT, True), (Standing.NOT_STARTED, False)]),
        ("E", [(Standing.NOT_STARTED, True), (Standing.NOT_STARTED, False)]),
        ("F", [(Standing.NOT_STARTED, True), (Standing.NOT_STARTED, False)]),
    ],
)
def test_each_agency_per_quarter_of_the_round(reviewer_client, province, letter, expected):
    quarters, _latest = _quarters(_get(reviewer_client, 6), letter)
    assert quarters == expected


def test_measures_done_in_the_latest_quarter_of_the_round(reviewer_client, province):
    response = _get(reviewer_client, 6)
    _q, a_latest = _quarters(response, "A")
    assert (a_latest.done, a_latest.total, a_latest.state) == (1, 3, CellState.PARTIAL)
    _q, b_latest = _quarters(response, "B")
    assert (b_latest.done, b_latest.total, b_latest.state) == (0, 3, CellState.NO_REPORT)


def test_inactive_agencies_are_left_out(reviewer_client, province):
    response = _get(reviewer_client, 6)
    assert "AGG" not in [r.agency.code for r in response.context["agency_rows"]]
    assert response.context["agency_count"] == 6


def test_each_indicator_per_quarter_of_the_round(reviewer_client, province):
    response = _get(reviewer_client, 12)
    cells = [
        [(c.done, c.total) if c else None for c in row.cells] for row in response.context["indicator_rows"]
    ]
    # Q3 and Q4 have not started on 20 Jan 2022.
    assert cells == [[(3, 6), (1, 6), None, None], [(4, 12), (0, 12), None, None]]
    assert [(c.done, c.total) for c in response.context["overall"].cells[:2]] == [(7, 18), (1, 18)]


def test_reports_sent_in_per_quarter(reviewer_client, province):
    response = _get(reviewer_client, 6)
    assert [(p.quarter, sent, approved) for p, sent, approved in response.context["sent_per_period"]] == [
        (1, 2, 1),
        (2, 1, 1),
    ]


def test_rows_link_to_reports(reviewer_client, province):
    quarters = next(
        r for r in _get(reviewer_client, 6).context["agency_rows"] if r.agency.code == "AGB"
    ).quarters
    assert quarters[0][3] == f"/review/{province.reports['B'].pk}/"
    assert quarters[1][3] is None
