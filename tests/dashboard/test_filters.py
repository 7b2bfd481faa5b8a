"""The dashboard's FilterSet for agency standing, called as the page (and its downloads) call it: with a query
string, giving the same agencies and rows as the screen."""

import datetime

import pytest
import time_machine
from django.http import QueryDict
from django.urls import reverse

from reports.dashboard import filters, selectors
from tests.dashboard_data import BKK, build_province
from tests.factories import make_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_20_january_2022():
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, 0, tzinfo=BKK), tick=False):
        yield


@pytest.fixture
def province():
    return build_province()


def _codes(query: str) -> list[str]:
    filterset = filters.agency_standing(QueryDict(query))
    return [agency.code for agency in filterset.qs]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("year=2565&quarter=1", ["AGA", "AGB", "AGC", "AGD", "AGE", "AGF"]),
        ("year=2565&quarter=1&status=overdue", ["AGC", "AGD", "AGE", "AGF"]),
        ("year=2565&quarter=1&status=not_started", ["AGE", "AGF"]),
        (
            "year=2565&quarter=1&q=%E0%B8%AB%E0%B8%99%E0%B9%88%E0%B8%A7%E0%B8%A2%E0%B8%87%E0%B8%B2%E0%B8%99%20C",
            ["AGC"],
        ),
        ("year=2565&quarter=2&status=overdue", []),  # Q2 is not due yet
        ("year=2565&quarter=1&status=bogus", ["AGA", "AGB", "AGC", "AGD", "AGE", "AGF"]),
    ],
)
def test_the_filterset_narrows_the_quarters_agencies(province, query, codes):
    assert _codes(query) == codes


def test_the_filterset_gives_the_rows_the_page_shows(client, province):
    reviewer = make_reviewer(username="reviewer")
    client.force_login(reviewer)
    page = client.get(reverse("reports:dashboard"), {"year": 2565, "quarter": 1, "status": "overdue"})
    filterset = filters.agency_standing(QueryDict("year=2565&quarter=1&status=overdue"))
    period = filterset.selection.period
    rows = selectors.matrix_rows(
        reviewer,
        list(filterset.qs),
        period,
        selectors.load_plan(period.fiscal_year),
        today=datetime.date(2022, 1, 20),
        report_url=lambda pk: None,
    )
    shown = page.context["matrix_rows"]
    assert [(r.agency.code, r.standing, r.overdue, [(c.done, c.total) for c in r.cells]) for r in rows] == [
        (r.agency.code, r.standing, r.overdue, [(c.done, c.total) for c in r.cells]) for r in shown
    ]


def test_without_reporting_periods_there_is_nothing_to_filter(db):
    assert filters.agency_standing(QueryDict("")) is None


def test_the_form_shows_the_quarter_chosen_by_default(province):
    filterset = filters.agency_standing(QueryDict(""))
    assert filterset.form["year"].value() == filterset.selection.fiscal_year.year
    assert filterset.form["quarter"].value() == filterset.selection.period.quarter
