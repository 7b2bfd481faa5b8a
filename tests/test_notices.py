"""Notices: returned / approved / reopened reports reach the agency's reporters in the portal and by e-mail,
submissions reach reviewers, e-mails go after commit and only once, failures are retried by send_reminders;
reviewers' "remind this agency now"."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from measures.thaidate import BANGKOK
from reports import workflow
from reports.models import AgencyReminder, Notice, QuarterlyReport
from reports.notices import services
from tests.factories import make_reporter
from tests.review.helpers import make_world

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status


@pytest.fixture
def world():
    return make_world()


def _return(world, capture, **comments):
    first = world.measures[0]
    with capture(execute=True):
        workflow.return_report(
            world.report,
            world.reviewer,
            reason="โปรดแนบรายงานการประชุม",
            measure_comments={first.pk: "เพิ่มภาพ"},
        )
    return first


def test_a_returned_report_reaches_its_agencys_reporters_by_e_mail_in_thai(
    world, django_capture_on_commit_callbacks
):
    colleague = make_reporter(world.agency, username="colleague")
    mail.outbox.clear()
    first = _return(world, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.reporter.email, colleague.email])
    message = mail.outbox[0]
    assert "ถูกส่งกลับให้แก้ไข" in message.subject
    assert "โปรดแนบรายงานการประชุม" in message.body
    assert f"มาตรการ {first.code}: เพิ่มภาพ" in message.body
    assert f"/reports/{world.report.pk}/" in message.body


def test_a_returned_report_is_a_notice_for_each_reporter_and_nobody_else(
    world, django_capture_on_commit_callbacks
):
    _return(world, django_capture_on_commit_callbacks)
    returned = Notice.objects.filter(kind="returned")
    assert list(returned.values_list("recipient__username", flat=True)) == ["reporter"]


def test_nothing_is_sent_when_the_transaction_rolls_back(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        workflow.approve(world.report, world.reviewer)
        raise RuntimeError
    assert mail.outbox == []
    assert not Notice.objects.filter(kind="approved").exists()


def test_approval_and_reopening_are_notices_too(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(world.report, world.reviewer)
        workflow.reopen(world.report, world.reviewer, reason="แก้ตัวเลขผู้เข้าร่วม")
    to_agency = Notice.objects.filter(recipient=world.reporter).order_by("pk")
    assert list(to_agency.values_list("kind", flat=True)) == ["approved", "reopened"]
    assert "ได้รับการอนุมัติแล้ว" in mail.outbox[-2].subject
    assert "แก้ตัวเลขผู้เข้าร่วม" in mail.outbox[-1].body


def test_a_submission_is_an_in_app_notice_for_reviewers_and_waits_for_the_digest(
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        world = make_world()
    notice = Notice.objects.get(kind="submitted", recipient=world.reviewer)
    assert notice.email == Notice.Email.NONE
    assert mail.outbox == []


def test_with_immediate_submission_notices_reviewers_are_e_mailed_at_once_and_get_no_digest(
    settings, django_capture_on_commit_callbacks
):
    settings.SUBMISSION_NOTICES = "immediate"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        world = make_world()
    announced = sorted(m.to[0] for m in mail.outbox if "ส่งรายงาน" in m.subject)
    assert announced == sorted([world.admin.email, world.reviewer.email])
    call_command("send_reminders", stdout=mock.Mock())
    assert not [m for m in mail.outbox if "รายงานใหม่" in m.subject]


def test_an_e_mail_is_never_sent_twice(world, django_capture_on_commit_callbacks):
    _return(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    services.deliver(Notice.objects.all())
    services.retry_unsent()
    assert mail.outbox == []
    assert Notice.objects.get(kind="returned").email_attempts == 1


def test_a_failed_e_mail_is_logged_and_sent_by_the_next_send_reminders(
    world, django_capture_on_commit_callbacks, caplog
):
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")):
        _return(world, django_capture_on_commit_callbacks)
    notice = Notice.objects.get(kind="returned")
    assert notice.email == Notice.Email.FAILED
    assert "SMTP down" in notice.email_error
    assert "e-mail to reporter@example.go.th failed" in caplog.text
    mail.outbox.clear()
    call_command("send_reminders", stdout=mock.Mock())
    assert [m.to for m in mail.outbox] == [[world.reporter.email]]
    notice.refresh_from_db()
    assert notice.email == Notice.Email.SENT


# --- in the portal ----------------------------------------------------------------------------------------


def test_unread_notices_show_on_the_agency_home_and_in_the_header(
    client, world, django_capture_on_commit_callbacks
):
    _return(world, django_capture_on_commit_callbacks)
    client.force_login(world.reporter)
    with time_machine.travel(datetime.datetime(2022, 1, 5, 9, tzinfo=BANGKOK), tick=False):
        html = client.get(reverse("reports:agency_home")).content.decode()
    assert "การแจ้งเตือนที่ยังไม่ได้อ่าน" in html
    assert "รายงานไตรมาส 1/2565 ถูกส่งกลับให้แก้ไข" in html
    assert (
        '<span class="badge text-bg-warning">1<span class="visually-hidden"> ยังไม่ได้อ่าน</span></span>' in html
    )


def test_opening_a_notice_marks_it_read_and_leads_to_the_report(
    client, world, django_capture_on_commit_callbacks
):
    _return(world, django_capture_on_commit_callbacks)
    notice = Notice.objects.get(kind="returned")
    client.force_login(world.reporter)
    response = client.get(notice.get_absolute_url())
    assert response.url == world.report.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_another_users_notice_is_not_found(client, world, django_capture_on_commit_callbacks):
    _return(world, django_capture_on_commit_callbacks)
    client.force_login(world.other_reporter)
    assert client.get(Notice.objects.get(kind="returned").get_absolute_url()).status_code == 404
    assert Notice.objects.get(kind="returned").read_at is None


def test_the_notice_list_needs_a_login(client):
    response = client.get(reverse("reports:notices"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_mark_all_read_is_post_only_and_marks_only_ones_own(
    client, world, django_capture_on_commit_callbacks
):
    _return(world, django_capture_on_commit_callbacks)
    client.force_login(world.other_reporter)
    assert client.get(reverse("reports:notice_read_all")).status_code == 405
    client.post(reverse("reports:notice_read_all"))
    assert Notice.objects.get(kind="returned").read_at is None
    client.force_login(world.reporter)
    client.post(reverse("reports:notice_read_all"))
    assert Notice.objects.get(kind="returned").read_at is not None


def test_the_notice_list_runs_a_fixed_number_of_queries(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(world.report, world.reviewer)
        workflow.reopen(world.report, world.reviewer, reason="แก้ไข")
    client.force_login(world.reporter)
    # session, user, permissions (2) and membership for the menu, the page's count, rows and "any unread",
    # the header's count
    with django_assert_num_queries(9):
        assert client.get(reverse("reports:notices")).status_code == 200


# --- remind this agency now -------------------------------------------------------------------------------


def _remind_url(world):
    return reverse("reports:remind_agency", args=[world.agency.pk, world.period.pk])


@pytest.fixture
def draft_world():
    return make_world(status=Status.DRAFT)


def test_a_reviewer_reminds_an_agency_now_once_a_day(client, draft_world, django_capture_on_commit_callbacks):
    world = draft_world
    client.force_login(world.reviewer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_remind_url(world))
        client.post(_remind_url(world))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[world.reporter.email]]
    assert "ขอให้ส่งรายงาน" in mail.outbox[0].subject
    reminder = AgencyReminder.objects.get()
    assert (reminder.agency, reminder.period, reminder.sent_by) == (
        world.agency,
        world.period,
        world.reviewer,
    )
    assert Notice.objects.get(kind="reminder").recipient == world.reporter


def test_a_reporter_cannot_remind_and_anonymous_goes_to_login(client, draft_world):
    client.force_login(draft_world.reporter)
    assert client.post(_remind_url(draft_world)).status_code == 403
    client.logout()
    assert "/accounts/login/" in client.post(_remind_url(draft_world)).url
    assert not AgencyReminder.objects.exists()


def test_an_agency_that_has_submitted_is_not_reminded(client, world):
    client.force_login(world.reviewer)
    client.post(_remind_url(world))
    assert not AgencyReminder.objects.exists()


def test_the_dashboards_late_list_offers_reviewers_the_reminder(client, draft_world):
    client.force_login(draft_world.reviewer)
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, tzinfo=BANGKOK), tick=False):
        html = client.get(reverse("reports:dashboard"), {"year": 2565, "quarter": 1}).content.decode()
    assert _remind_url(draft_world) in html
    assert "เตือนส่วนราชการนี้ตอนนี้" in html
