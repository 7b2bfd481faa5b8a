"""The dashboard tells late from on-time submissions: late submitters beside the agencies not yet in, an
on-time rate per quarter and per agency."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from measures.thaidate import BANGKOK
from reports.dashboard import punctuality
from reports.models import QuarterlyReport
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    MeasureFactory,
    QuarterlyReportFactory,
    make_reviewer,
)

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")
Status = QuarterlyReport.Status


@pytest.fixture
def province():
    """Three agencies and Q1/2565 (due 15 Jan 2022): A on time, B two days late, C not in."""
    fiscal_year = FiscalYearFactory(year=2565, is_active=True)
    MeasureFactory(indicator__fiscal_year=fiscal_year, indicator__number=1)
    q1 = fiscal_year.periods.get(quarter=1)
    agencies = {code: AgencyFactory(code=code, name_th=f"สำนักงาน {code}") for code in "ABC"}
    when = datetime.datetime(2022, 1, 10, 9, tzinfo=BANGKOK)
    QuarterlyReportFactory(
        agency=agencies["A"], period=q1, status=Status.APPROVED, first_submitted_at=when, days_late=0
    )
    QuarterlyReportFactory(
        agency=agencies["B"],
        period=q1,
        status=Status.SUBMITTED,
        first_submitted_at=datetime.datetime(2022, 1, 17, 9, tzinfo=BANGKOK),
        days_late=2,
    )
    return fiscal_year, q1, agencies


@pytest.fixture
def page(client, province):
    client.force_login(make_reviewer())
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, tzinfo=BANGKOK), tick=False):
        response = client.get(URL, {"year": 2565, "quarter": 1})
    assert response.status_code == 200
    return response


def test_the_late_list_shows_agencies_that_submitted_late(page):
    html = page.content.decode()
    assert "ส่งหลังวันครบกำหนด" in html
    assert [r.agency.code for r in page.context["late_sent_page"].object_list] == ["B"]
    assert "ส่งช้า 2 วัน" in html


def test_the_late_list_still_shows_agencies_that_have_not_submitted(page):
    assert [a.code for a in page.context["late_page"].object_list] == ["C"]


def test_on_time_rate_per_quarter_counts_every_active_agency(page):
    rates = dict(page.context["on_time_per_period"])
    q1 = next(p for p in rates if p.quarter == 1)
    assert (rates[q1].on_time, rates[q1].late, rates[q1].not_submitted, rates[q1].percent) == (1, 1, 1, 33)
    assert all(rate is None for period, rate in rates.items() if period.quarter > 1)  # not due yet
    assert "33%" in page.content.decode()


def test_on_time_rate_per_agency_in_the_matrix(page):
    rows = {row.agency.code: row.on_time for row in page.context["matrix_rows"]}
    assert [(r.on_time, r.late, r.expected) for r in (rows["A"], rows["B"], rows["C"])] == [
        (1, 0, 1),
        (0, 1, 1),
        (0, 0, 1),
    ]
    assert "ตรงเวลา 1 จาก 1 ไตรมาสที่ครบกำหนด" in page.content.decode()


def test_a_rate_is_none_without_agencies():
    assert punctuality.Rate(0, 0, 0).percent is None


def test_the_round_says_which_quarters_came_in_late(client, province):
    client.force_login(make_reviewer())
    with time_machine.travel(datetime.datetime(2022, 4, 20, 9, tzinfo=BANGKOK), tick=False):
        response = client.get(reverse("reports:round", args=[6]), {"year": 2565})
    rows = {row.agency.code: [q[4] for q in row.quarters] for row in response.context["agency_rows"]}
    assert rows == {"A": [0, None], "B": [2, None], "C": [None, None]}
    assert "ส่งช้า 2 วัน" in response.content.decode()
