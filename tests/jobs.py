"""Run the background jobs waiting in the database, here and now, as `manage.py run_worker --batch` would."""

from io import StringIO
from unittest import mock

from django.core.management import call_command


def run_jobs(worker_id: str = "test-worker") -> str:
    """Run every waiting job in this process; returns the worker's log.

    The worker closes stale database connections between jobs, as a request does at its end; inside a test's
    transaction that would close the test's own connection, so (as Django's test client does for requests)
    it is switched off here.
    """
    out = StringIO()
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "run_worker",
            "--batch",
            "--no-startup-delay",
            "--heartbeat-seconds=0",
            f"--worker-id={worker_id}",
            stdout=out,
            stderr=out,
        )
    return out.getvalue()
