"""send_reminders: which stage on which day, once per agency × period × stage, to whom, and the reviewers' digest.

Q1/2565 is due on 15 January 2022; `--date` sets "today".
"""

import datetime
import threading
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from reports import reminders
from reports.models import DIGEST_START, DigestLog, QuarterlyReport, ReminderLog
from tests.dashboard_data import BKK
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    MeasureFactory,
    QuarterlyReportFactory,
    UserFactory,
    make_reporter,
    make_reviewer,
)

pytestmark = pytest.mark.django_db
Stage = ReminderLog.Stage
Status = QuarterlyReport.Status
DUE = datetime.date(2022, 1, 15)


def _day(days_left: int) -> str:
    return (DUE - datetime.timedelta(days=days_left)).isoformat()


def run(days_left: int, *args) -> str:
    out = StringIO()
    call_command("send_reminders", "--date", _day(days_left), *args, stdout=out, stderr=out)
    return out.getvalue()


def reminder_mails():
    return [m for m in mail.outbox if "[ITA]" in m.subject and "review" not in m.subject.lower()]


@pytest.fixture
def year():
    year = FiscalYearFactory(year=2565, is_active=True)
    MeasureFactory(indicator__fiscal_year=year, indicator__number=1)
    return year


@pytest.fixture
def q1(year):
    return year.periods.get(quarter=1)


@pytest.fixture
def agency(year):
    """One agency with a draft report, a reporter with an e-mail address and a contact address."""
    agency = AgencyFactory(code="DRAFT", email="office@draft.go.th")
    make_reporter(agency, username="somchai", email="somchai@draft.go.th")
    return agency


@pytest.fixture
def draft(agency, q1):
    return QuarterlyReportFactory(agency=agency, period=q1)


def _stages():
    return sorted(ReminderLog.objects.values_list("agency__code", "stage"))


# --- the rule --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [
        (8, None),
        (7, Stage.DUE_IN_7),
        (2, Stage.DUE_IN_7),
        (1, Stage.DUE_TOMORROW),
        (0, Stage.DUE_TOMORROW),
        (-1, Stage.OVERDUE),
        (-30, Stage.OVERDUE),
        (-31, None),
    ],
)
def test_stage_for_days_left(days_left, stage):
    assert reminders.stage_for(days_left) == stage


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [
        (8, None),
        (7, Stage.DUE_IN_7),
        (2, Stage.DUE_IN_7),
        (1, Stage.DUE_TOMORROW),
        (0, Stage.DUE_TOMORROW),
        (-1, Stage.OVERDUE),
    ],
)
def test_command_sends_the_stage_of_the_day(draft, days_left, stage):
    run(days_left)
    if stage is None:
        assert reminder_mails() == []
        assert not ReminderLog.objects.exists()
    else:
        assert len(reminder_mails()) == 1
        assert _stages() == [("DRAFT", stage)]


def test_running_twice_a_day_sends_nothing_new(draft):
    run(7)
    assert len(mail.outbox) == 1
    run(7)
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1


def test_a_daily_cron_sends_each_stage_once(draft):
    for days_left in range(10, -5, -1):
        run(days_left)
        run(days_left)
    assert [m.subject for m in reminder_mails()] == [
        "[ITA] รายงานผลการดำเนินงาน ไตรมาส 1/2565 ครบกำหนดส่งวันที่ 15 มกราคม 2565",
        "[ITA] รายงานผลการดำเนินงาน ไตรมาส 1/2565 ครบกำหนดส่งพรุ่งนี้",
        "[ITA] รายงานผลการดำเนินงาน ไตรมาส 1/2565 เลยกำหนดส่งแล้ว",
    ]
    assert _stages() == [("DRAFT", Stage.DUE_TOMORROW), ("DRAFT", Stage.DUE_IN_7), ("DRAFT", Stage.OVERDUE)]


def test_a_missed_week_sends_only_the_current_stage(draft):
    run(1)
    assert _stages() == [("DRAFT", Stage.DUE_TOMORROW)]


def test_due_today_is_sent_when_the_day_before_was_missed(draft):
    run(0)
    assert "วันนี้" in reminder_mails()[0].subject


def test_no_overdue_reminder_for_periods_closed_long_ago(draft):
    run(-31)
    assert reminder_mails() == []


def test_dry_run_sends_and_records_nothing(draft):
    out = run(7, "--dry-run")
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()
    assert "would send due_7 reminder: DRAFT" in out


def test_summary_is_printed(draft):
    out = run(7)
    assert "Reminders sent: 1 (due_7 1, due_1 0, overdue 0)" in out


def test_bad_date_is_refused(draft):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "15/01/2022")


# --- who gets one ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_no_reminder_once_the_report_is_sent_in(draft, status):
    QuarterlyReport.objects.filter(pk=draft.pk).update(status=status)
    run(-1)
    assert reminder_mails() == []


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_reminder_while_the_report_is_with_the_agency(draft, status):
    QuarterlyReport.objects.filter(pk=draft.pk).update(status=status)
    run(-1)
    assert len(reminder_mails()) == 1


def test_agency_without_a_report_is_reminded(agency, q1):
    run(7)
    assert _stages() == [("DRAFT", Stage.DUE_IN_7)]


def test_inactive_agencies_are_not_reminded(agency, q1):
    agency.is_active = False
    agency.save(update_fields=["is_active"])
    run(7)
    assert reminder_mails() == []


def test_no_reminder_for_a_year_without_a_plan(agency):
    FiscalYearFactory(year=2566)  # periods, but no measures
    call_command("send_reminders", "--date", "2023-01-14", stdout=StringIO())
    assert reminder_mails() == []


def test_recipients_are_the_agencys_reporters_and_contact(draft, agency):
    make_reporter(agency, username="noemail", email="")
    make_reporter(AgencyFactory(code="OTHER"), username="other", email="other@other.go.th")
    inactive = make_reporter(agency, username="gone", email="gone@draft.go.th")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    make_reviewer(username="reviewer", email="reviewer@province.go.th")
    UserFactory(username="plain", email="plain@draft.go.th")
    run(7)
    draft_mails = [m for m in reminder_mails() if "office@draft.go.th" in m.to]
    assert [sorted(m.to) for m in draft_mails] == [["office@draft.go.th", "somchai@draft.go.th"]]
    log = ReminderLog.objects.get(agency=agency)
    assert log.recipients == "office@draft.go.th, somchai@draft.go.th"


def test_agency_without_any_address_is_reported_and_not_logged(year, q1):
    AgencyFactory(code="SILENT", email="")
    out = run(7)
    assert reminder_mails() == []
    assert not ReminderLog.objects.exists()
    assert "no e-mail address for SILENT" in out


def test_reminder_is_thai_with_a_link_and_an_html_part(draft, settings):
    settings.SITE_URL = "https://ita.example.go.th/"
    run(7)
    message = reminder_mails()[0]
    assert "เรียน" in message.body
    assert "https://ita.example.go.th/my/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://ita.example.go.th/my/">' in html


def test_log_is_rolled_back_when_sending_fails_and_the_others_still_go(draft, q1, monkeypatch):
    QuarterlyReportFactory(agency=AgencyFactory(code="OTHER", email="other@other.go.th"), period=q1)
    real_send = EmailMultiAlternatives.send

    def send(self, *args, **kwargs):
        if "office@draft.go.th" in self.to:
            raise OSError("mailbox unavailable")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    result = reminders.send_reminders(DUE - datetime.timedelta(days=7))
    assert [r.agency.code for r, _error in result.failed] == ["DRAFT"]
    assert _stages() == [("OTHER", Stage.DUE_IN_7)]
    assert len(mail.outbox) == 1


def test_command_fails_loudly_when_a_reminder_could_not_be_sent(draft, monkeypatch):
    from django.core.management.base import CommandError

    def fail(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", fail)
    with pytest.raises(CommandError):
        run(7)
    assert not ReminderLog.objects.exists()
    monkeypatch.undo()
    run(7)  # the next run tries again
    assert _stages() == [("DRAFT", Stage.DUE_IN_7)]


def test_a_stage_logged_by_a_concurrent_run_is_not_sent_again(draft, agency, q1, monkeypatch):
    """Between selecting and sending, another run logged the stage: get_or_create finds it."""
    selected = reminders.due_reminders(DUE - datetime.timedelta(days=7))
    ReminderLog.objects.create(agency=agency, period=q1, stage=Stage.DUE_IN_7)
    monkeypatch.setattr(reminders, "due_reminders", lambda today: selected)
    result = reminders.send_reminders(DUE - datetime.timedelta(days=7))
    assert result.already_sent == 1
    assert mail.outbox == []


# --- the reviewers' digest -------------------------------------------------------------------------------


@pytest.fixture
def reviewer():
    return make_reviewer(username="reviewer", email="reviewer@province.go.th")


def _submit(report, when):
    QuarterlyReport.objects.filter(pk=report.pk).update(status=Status.SUBMITTED, submitted_at=when)


def digests():
    return [m for m in mail.outbox if m.to == ["reviewer@province.go.th"]]


def at(day, hour=9):
    return datetime.datetime(2022, 1, day, hour, tzinfo=BKK)


def test_no_submission_no_digest_and_no_log(draft, reviewer):
    result = reminders.send_digest(at(16))
    assert not result.sent
    assert digests() == []
    assert not DigestLog.objects.exists()


def test_digest_lists_new_submissions_once(draft, reviewer):
    _submit(draft, at(14))
    reminders.send_digest(at(16))
    assert len(digests()) == 1
    assert "1 รายงาน" in digests()[0].subject or "1" in digests()[0].subject
    assert draft.agency.name_th in digests()[0].body
    log = DigestLog.objects.get()
    assert (log.covers_after, log.covered_until, log.report_count) == (DIGEST_START, at(16), 1)
    reminders.send_digest(at(17))
    assert len(digests()) == 1


def test_next_digest_holds_only_the_newer_submissions(draft, reviewer, q1):
    _submit(draft, at(14))
    reminders.send_digest(at(16))
    later = QuarterlyReportFactory(agency=AgencyFactory(code="LATER", name_th="หน่วยงานมาทีหลัง"), period=q1)
    _submit(later, at(16, hour=15))
    result = reminders.send_digest(at(17))
    assert result.reports == [later]
    assert "หน่วยงานมาทีหลัง" in digests()[1].body
    assert draft.agency.name_th not in digests()[1].body


def test_each_digest_starts_where_the_previous_one_stopped(draft, reviewer, q1):
    _submit(draft, at(14))
    reminders.send_digest(at(16))
    _submit(QuarterlyReportFactory(agency=AgencyFactory(code="LATER"), period=q1), at(16, hour=15))
    reminders.send_digest(at(17))
    logs = list(DigestLog.objects.order_by("covered_until").values_list("covers_after", "covered_until"))
    assert logs == [(DIGEST_START, at(16)), (at(16), at(17))]


def test_two_digests_cannot_cover_the_same_submissions(draft):
    DigestLog.objects.create(covers_after=at(16), covered_until=at(17))
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestLog.objects.create(covers_after=at(16), covered_until=at(17, hour=10))


def test_a_run_racing_another_sends_nothing(draft, reviewer, monkeypatch):
    """Two send_reminders at the same moment: both read the same cut-off; the one that logs second sends
    nothing (here the other run's log row appears between reading the submissions and logging)."""
    _submit(draft, at(14))
    read_submissions = reminders.new_submissions

    def other_run_gets_there_first(now, after=None):
        found = read_submissions(now, after)
        DigestLog.objects.create(covers_after=after, covered_until=now, report_count=len(found))
        return found

    monkeypatch.setattr(reminders, "new_submissions", other_run_gets_there_first)
    result = reminders.send_digest(at(16))
    assert result.already_sent and not result.sent
    assert digests() == []
    assert DigestLog.objects.count() == 1

    monkeypatch.undo()
    out = StringIO()
    monkeypatch.setattr(reminders, "send_digest", lambda dry_run=False: result)
    call_command("send_reminders", "--date", "2022-01-16", stdout=out)
    assert "Reviewer digest: sent by another run at the same time, nothing sent." in out.getvalue()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two real connections at once need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_one_digest(draft, reviewer, monkeypatch):
    """Two threads, two database connections: both read the same cut-off before either logs."""
    _submit(draft, at(14))
    both_have_read = threading.Barrier(2, timeout=10)
    read_submissions = reminders.new_submissions

    def read_then_wait(now, after=None):
        found = read_submissions(now, after)
        both_have_read.wait()
        return found

    monkeypatch.setattr(reminders, "new_submissions", read_then_wait)
    results = []

    def run():
        try:
            results.append(reminders.send_digest(at(16)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted((r.sent, r.already_sent) for r in results) == [(False, True), (True, False)]
    assert len(digests()) == 1
    assert DigestLog.objects.count() == 1


def test_digests_sent_before_the_upgrade_are_chained(draft):
    """Migration 0003 gives the digests already logged their start: the previous one's cut-off."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("reports.migrations.0003_digestlog_covers_after")
    first = DigestLog.objects.create(covers_after=at(1), covered_until=at(16))
    second = DigestLog.objects.create(covers_after=at(2), covered_until=at(17))
    migration.chain_digests(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.covers_after, second.covers_after) == (DIGEST_START, at(16))


def test_digest_leaves_out_reports_already_decided(draft, reviewer):
    QuarterlyReport.objects.filter(pk=draft.pk).update(status=Status.APPROVED, submitted_at=at(14))
    reminders.send_digest(at(16))
    assert digests() == []


def test_digest_goes_to_reviewers_only(draft, reviewer, agency):
    _submit(draft, at(14))
    make_reviewer(username="nomail", email="")
    reminders.send_digest(at(16))
    assert [m.to for m in mail.outbox] == [["reviewer@province.go.th"]]


def test_digest_waits_when_no_reviewer_has_an_address(draft):
    _submit(draft, at(14))
    result = reminders.send_digest(at(16))
    assert result.reports and not result.sent
    assert not DigestLog.objects.exists()


def test_command_sends_the_digest_with_a_summary(draft, reviewer):
    _submit(draft, at(14))
    with time_machine.travel(at(16), tick=False):
        out = StringIO()
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=out)
    assert len(digests()) == 1
    assert "Reviewer digest sent: 1 new submission(s) to 1 reviewer(s)." in out.getvalue()
    assert "Reviewer digest: no new submissions, nothing sent." in out.getvalue()


def test_digest_is_thai_with_an_html_part(draft, reviewer):
    _submit(draft, at(14))
    reminders.send_digest(at(16))
    message = digests()[0]
    assert "เรียน" in message.body
    assert message.alternatives[0][1] == "text/html"
