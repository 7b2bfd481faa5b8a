"""Background jobs: Django tasks stored in the database and run by `manage.py run_worker`."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ops.models import WorkerHeartbeat
from reports.models import ReminderLog
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    MeasureFactory,
    QuarterlyReportFactory,
    make_reporter,
)
from tests.jobs import run_jobs
from tests.ops import tasks as test_tasks

pytestmark = pytest.mark.django_db

DUE = datetime.date(2022, 1, 15)  # Q1/2565
TOMORROW_BEFORE_DUE = (DUE - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def draft_due_tomorrow():
    year = FiscalYearFactory(year=2565, is_active=True)
    MeasureFactory(indicator__fiscal_year=year, indicator__number=1)
    agency = AgencyFactory(code="DRAFT", email="office@draft.go.th")
    make_reporter(agency, username="somchai", email="somchai@draft.go.th")
    return QuarterlyReportFactory(agency=agency, period=year.periods.get(quarter=1))


def enqueue_reminders() -> str:
    out = StringIO()
    call_command("send_reminders", "--enqueue", "--date", TOMORROW_BEFORE_DUE, stdout=out)
    return out.getvalue()


def test_enqueued_reminders_wait_for_the_worker(draft_due_tomorrow):
    output = enqueue_reminders()

    job = DBTaskResult.objects.get()
    assert f"job {job.id}" in output
    assert job.status == TaskResultStatus.READY
    assert job.task_path == "reports.tasks.send_reminders"
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()


def test_the_worker_sends_the_enqueued_reminders(draft_due_tomorrow):
    enqueue_reminders()

    run_jobs()

    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.return_value["sent"] == 1
    assert list(ReminderLog.objects.values_list("agency__code", "stage")) == [
        ("DRAFT", ReminderLog.Stage.DUE_TOMORROW)
    ]
    assert sorted(mail.outbox[0].to) == ["office@draft.go.th", "somchai@draft.go.th"]


def test_a_second_reminders_job_the_same_day_sends_nothing(draft_due_tomorrow):
    enqueue_reminders()
    enqueue_reminders()

    run_jobs()

    results = DBTaskResult.objects.order_by("started_at")
    assert [job.status for job in results] == [TaskResultStatus.SUCCESSFUL] * 2
    assert [job.return_value["sent"] for job in results] == [1, 0]
    assert len(mail.outbox) == 1


def test_a_job_runs_once_however_often_the_worker_runs(draft_due_tomorrow):
    enqueue_reminders()

    run_jobs()
    run_jobs()

    assert DBTaskResult.objects.get().worker_ids == ["test-worker"]
    assert len(mail.outbox) == 1


def test_a_reminders_job_whose_mail_fails_is_marked_failed(draft_due_tomorrow, settings):
    settings.EMAIL_BACKEND = "tests.ops.test_jobs.BrokenEmailBackend"
    enqueue_reminders()

    run_jobs()

    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.FAILED
    assert "could not be sent" in job.traceback
    assert not ReminderLog.objects.exists()  # the next run tries again


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_enqueue_and_dry_run_together_are_refused(draft_due_tomorrow):
    with pytest.raises(CommandError, match="--enqueue"):
        call_command("send_reminders", "--enqueue", "--dry-run", stdout=StringIO())
    assert not DBTaskResult.objects.exists()


def test_the_worker_has_a_heartbeat_while_it_runs_and_none_after():
    test_tasks.heartbeats_seen.enqueue()

    run_jobs(worker_id="beating")

    assert DBTaskResult.objects.get().return_value == ["beating"]
    assert not WorkerHeartbeat.objects.exists()


def test_a_worker_forgets_heartbeats_of_workers_gone_for_a_day():
    long_ago = timezone.now() - datetime.timedelta(days=2)
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="old", pid=1, queues="*", started_at=long_ago, last_seen=long_ago
    )
    test_tasks.heartbeats_seen.enqueue()

    run_jobs(worker_id="alive")

    assert DBTaskResult.objects.get().return_value == ["alive"]
