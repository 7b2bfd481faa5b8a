"""On time or late: each report keeps when it was first submitted and how many days late that was."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from measures.thaidate import BANGKOK
from reports import workflow
from reports.models import MeasureProgress, QuarterlyReport, days_late
from tests.factories import (
    AgencyFactory,
    LinkEvidenceFactory,
    MeasureFactory,
    ReportingPeriodFactory,
    make_reporter,
    make_reviewer,
)

pytestmark = pytest.mark.django_db
DUE = datetime.date(2022, 1, 15)


@pytest.fixture
def period():
    period = ReportingPeriodFactory(quarter=1)
    period.due_date = DUE
    period.save(update_fields=["due_date"])
    return period


@pytest.fixture
def agency():
    return AgencyFactory(code="PROV")


@pytest.fixture
def reporter(agency):
    return make_reporter(agency)


@pytest.fixture
def report(period, agency):
    MeasureFactory(indicator__fiscal_year=period.fiscal_year, indicator__number=1)
    report = workflow.get_or_create_report(agency=agency, period=period)
    for progress in report.progress.all():
        progress.status = MeasureProgress.Status.DONE
        progress.result = "ดำเนินการแล้ว"
        progress.save()
        LinkEvidenceFactory(progress=progress)
    return report


def _submit_at(report, user, when):
    with time_machine.travel(when, tick=False):
        return workflow.submit(report, user)


def test_a_new_report_is_neither_on_time_nor_late(report):
    assert report.first_submitted_at is None
    assert report.days_late is None
    assert report.submitted_on_time is None


def test_submitted_on_the_due_day_late_in_the_evening_in_bangkok_is_on_time(report, reporter):
    # 23:30 in Bangkok on the due day is 16:30 UTC: still the due day in Thailand.
    when = datetime.datetime(2022, 1, 15, 23, 30, tzinfo=BANGKOK)
    report = _submit_at(report, reporter, when)
    report.refresh_from_db()
    assert report.first_submitted_at == when
    assert report.days_late == 0
    assert report.submitted_on_time is True


def test_submitted_just_after_midnight_in_bangkok_is_one_day_late(report, reporter):
    # 00:10 on 16 January in Bangkok is still 15 January in UTC.
    report = _submit_at(report, reporter, datetime.datetime(2022, 1, 16, 0, 10, tzinfo=BANGKOK))
    report.refresh_from_db()
    assert report.days_late == 1
    assert report.submitted_on_time is False


def test_resubmission_after_a_return_keeps_the_first_submission(report, reporter):
    first = datetime.datetime(2022, 1, 10, 9, tzinfo=BANGKOK)
    report = _submit_at(report, reporter, first)
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, tzinfo=BANGKOK), tick=False):
        workflow.return_report(report, make_reviewer(), reason="แก้ไขผลการดำเนินการ")
        workflow.submit(report, reporter)
    report.refresh_from_db()
    assert report.first_submitted_at == first
    assert report.days_late == 0
    assert report.submitted_at > first


def test_days_late_counts_whole_days_in_bangkok():
    assert days_late(DUE, datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)) == 0
    assert days_late(DUE, datetime.datetime(2022, 1, 25, 12, tzinfo=BANGKOK)) == 10


def test_a_changed_due_date_does_not_rewrite_a_recorded_submission(report, reporter, period):
    _submit_at(report, reporter, datetime.datetime(2022, 1, 18, 9, tzinfo=BANGKOK))
    period.due_date = datetime.date(2022, 1, 31)
    period.save(update_fields=["due_date"])
    assert QuarterlyReport.objects.get(pk=report.pk).days_late == 3


def _late_report(report, reporter):
    return _submit_at(report, reporter, datetime.datetime(2022, 1, 18, 9, tzinfo=BANGKOK))


def test_the_review_page_says_how_late_the_first_submission_was(client, report, reporter):
    _late_report(report, reporter)
    client.force_login(make_reviewer())
    page = client.get(reverse("reports:review", args=[report.pk])).content.decode()
    assert "ส่งครั้งแรก" in page
    assert "ส่งช้า 3 วัน" in page


def test_the_report_page_says_a_submission_was_on_time(client, report, reporter):
    _submit_at(report, reporter, datetime.datetime(2022, 1, 14, 9, tzinfo=BANGKOK))
    client.force_login(reporter)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "ส่งตรงเวลา" in page
    assert "ส่งช้า" not in page
