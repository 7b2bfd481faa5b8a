"""The agency home: the year's four quarters with status and due dates, and the way into the report."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from measures.models import ReportingPeriod
from measures.thaidate import BANGKOK
from reports import workflow
from reports.models import QuarterlyReport
from tests.factories import FiscalYearFactory, QuarterlyReportFactory, UserFactory
from tests.reporting.helpers import login

pytestmark = pytest.mark.django_db
HOME = reverse("reports:agency_home")


def on(day: str):
    """Travel to 10:00 Bangkok time on an ISO date."""
    return time_machine.travel(
        datetime.datetime.fromisoformat(day).replace(hour=10, tzinfo=BANGKOK), tick=False
    )


def start_url(period):
    return reverse("reports:start_report", args=[period.pk])


def test_reporter_sees_agency_and_four_quarters_with_thai_due_dates(client, alice, measures):
    with on("2022-01-05"):
        html = login(client, alice).get(HOME).content.decode()
    assert "สำนักงานเอ จังหวัดสตูล" in html
    for quarter in range(1, 5):
        assert f"ไตรมาส {quarter}" in html
    for due in ("15 ม.ค. 2565", "15 เม.ย. 2565", "15 ก.ค. 2565", "15 ต.ค. 2565"):
        assert due in html


@pytest.mark.parametrize(
    ("day", "text"),
    [("2022-01-05", "อีก 10 วัน"), ("2022-01-15", "ครบกำหนดส่งวันนี้"), ("2022-01-20", "เลยกำหนดส่ง 5 วัน")],
)
def test_days_to_the_q1_due_date_in_thai(client, alice, measures, day, text):
    with on(day):
        response = login(client, alice).get(HOME)
    q1 = next(row for row in response.context["rows"] if row.period.quarter == 1)
    assert q1.due_text == text
    assert text in response.content.decode()


def test_current_quarter_is_the_one_due_next_among_started_quarters(client, alice, measures):
    login(client, alice)
    with on("2022-01-05"):
        assert client.get(HOME).context["current_row"].period.quarter == 1  # Q1 report due 15 Jan


def test_headline_is_the_next_quarter_once_the_last_one_is_submitted(client, alice, report):
    QuarterlyReport.objects.filter(pk=report.pk).update(status=QuarterlyReport.Status.SUBMITTED)
    with on("2022-01-20"):
        assert login(client, alice).get(HOME).context["current_row"].period.quarter == 2


def test_headline_is_an_overdue_quarter_not_submitted_before_the_quarter_due_next(client, alice, measures):
    with on("2022-01-20"):
        response = login(client, alice).get(HOME)
    assert response.context["current_row"].period.quarter == 1
    assert "เลยกำหนดส่ง – ต้องรายงานทันที" in response.content.decode()


def test_headline_is_a_returned_report_before_an_overdue_or_approved_one(client, alice, agency, measures):
    periods = {p.quarter: p for p in ReportingPeriod.objects.filter(fiscal_year__year=2565)}
    QuarterlyReportFactory(agency=agency, period=periods[4], status=QuarterlyReport.Status.APPROVED)
    QuarterlyReportFactory(agency=agency, period=periods[2], status=QuarterlyReport.Status.RETURNED)
    with on("2022-10-20"):
        response = login(client, alice).get(HOME)
    # Q1 and Q3 are overdue and not started, Q4 approved: the returned Q2 comes first.
    assert response.context["current_row"].period.quarter == 2
    assert "ถูกส่งกลับ – ต้องแก้ไขทันที" in response.content.decode()


def test_status_of_existing_reports_is_shown_as_text(client, alice, report):
    QuarterlyReport.objects.filter(pk=report.pk).update(status=QuarterlyReport.Status.RETURNED)
    with on("2022-01-05"):
        html = login(client, alice).get(HOME).content.decode()
    assert "ส่งกลับให้แก้ไข" in html and "ยังไม่เริ่มรายงาน" in html
    assert report.get_absolute_url() in html


def test_a_submitted_quarter_shows_when_it_was_sent_instead_of_a_countdown(client, alice, report):
    QuarterlyReport.objects.filter(pk=report.pk).update(
        status=QuarterlyReport.Status.SUBMITTED,
        submitted_at=datetime.datetime(2022, 1, 3, 3, tzinfo=datetime.UTC),
    )
    with on("2022-01-20"):
        response = login(client, alice).get(HOME)
    q1 = next(row for row in response.context["rows"] if row.period.quarter == 1)
    assert q1.due_text == ""
    assert "3 ม.ค. 2565 10:00 น." in response.content.decode()


def test_get_never_creates_a_report(client, alice, measures):
    with on("2022-01-05"):
        login(client, alice).get(HOME)
    assert not QuarterlyReport.objects.exists()


def test_starting_the_current_report_creates_it_once_and_opens_it(client, alice, agency, period, measures):
    login(client, alice)
    with on("2022-01-05"):
        response = client.post(start_url(period))
        again = client.post(start_url(period))
    report = QuarterlyReport.objects.get()
    assert (report.agency, report.period, report.status) == (agency, period, QuarterlyReport.Status.DRAFT)
    assert report.progress.count() == 2
    assert response.url == again.url == report.get_absolute_url()


def test_due_today_is_counted_in_bangkok_when_it_is_still_the_day_before_in_utc(client, alice, measures):
    # 18:00 UTC on 14 January is 01:00 on 15 January in Bangkok: Q1's due day.
    with time_machine.travel(datetime.datetime(2022, 1, 14, 18, tzinfo=datetime.UTC), tick=False):
        html = login(client, alice).get(HOME).content.decode()
    assert "ครบกำหนดส่งวันนี้" in html and "อีก 1 วัน" not in html


def test_a_quarter_opens_at_midnight_in_bangkok_while_it_is_still_the_day_before_in_utc(
    client, alice, fiscal_year, measures
):
    q2 = fiscal_year.periods.get(quarter=2)  # starts 1 January 2022
    with time_machine.travel(datetime.datetime(2021, 12, 31, 17, 30, tzinfo=datetime.UTC), tick=False):
        response = login(client, alice).post(start_url(q2))
    assert QuarterlyReport.objects.filter(period=q2).exists()
    assert response.url == QuarterlyReport.objects.get(period=q2).get_absolute_url()


def test_a_quarter_that_has_not_started_cannot_be_started(client, alice, fiscal_year, measures):
    with on("2022-01-05"):
        response = login(client, alice).post(start_url(fiscal_year.periods.get(quarter=3)))
    assert response.status_code == 302 and response.url == HOME
    assert not QuarterlyReport.objects.exists()


def test_year_picker_lists_years_and_selects_one(client, alice, measures):
    FiscalYearFactory(year=2566)
    login(client, alice)
    with on("2022-01-05"):
        html = client.get(HOME).content.decode()
        assert "?year=2566" in html and "?year=2565" in html
        assert client.get(HOME, {"year": "2566"}).context["fiscal_year"].year == 2566
        assert client.get(HOME, {"year": "2599"}).status_code == 404


@pytest.mark.parametrize("year", ["๒๕๖๙", "99999999999999999999"])
def test_a_year_that_is_no_fiscal_year_is_not_found(client, alice, measures, year):
    with on("2022-01-05"):
        assert login(client, alice).get(HOME, {"year": year}).status_code == 404


@pytest.mark.parametrize("year", ["²", "abc"])
def test_a_year_that_is_no_number_shows_the_active_year(client, alice, measures, year):
    """A superscript two is a digit to str.isdigit() that int() refuses: it is ignored like any non-number."""
    with on("2022-01-05"):
        assert login(client, alice).get(HOME, {"year": year}).context["fiscal_year"].year == 2565


def test_a_year_in_thai_digits_is_read(client, alice, measures):
    with on("2022-01-05"):
        assert login(client, alice).get(HOME, {"year": "๒๕๖๕"}).context["fiscal_year"].year == 2565


def test_the_active_year_is_the_default(client, alice, measures):
    FiscalYearFactory(year=2566)
    with on("2022-01-05"):
        assert login(client, alice).get(HOME).context["fiscal_year"].year == 2565


def test_reviewers_are_not_reporters(client, rita):
    response = login(client, rita).get(HOME)
    if response.status_code == 302:  # once the dashboard exists, reviewers are sent there
        assert response.url == reverse("reports:dashboard")
    else:
        assert response.status_code == 403
        assert "หน้านี้สำหรับผู้รายงานของส่วนราชการ" in response.content.decode()


def test_users_without_an_agency_are_refused(client):
    assert login(client, UserFactory()).get(HOME).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_reviewers_cannot_start_reports(client, rita, period, measures):
    assert login(client, rita).post(start_url(period)).status_code == 403
    assert not QuarterlyReport.objects.exists()


def test_anonymous_cannot_start_reports(client, period, measures):
    response = client.post(start_url(period))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not QuarterlyReport.objects.exists()


def test_start_refuses_get(client, alice, period):
    assert login(client, alice).get(start_url(period)).status_code == 405


def test_home_refuses_post(client, alice):
    assert login(client, alice).post(HOME).status_code == 405


def test_reporters_land_on_their_agency_home_after_login(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "satun2565"}, follow=True)
    assert response.redirect_chain[-1][0] == HOME


def test_workflow_created_report_is_linked_from_home(client, alice, agency, fiscal_year, measures):
    q2 = workflow.get_or_create_report(agency=agency, period=fiscal_year.periods.get(quarter=2), user=alice)
    with on("2022-01-20"):
        html = login(client, alice).get(HOME).content.decode()
    assert q2.get_absolute_url() in html
