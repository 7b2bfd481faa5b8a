"""Background jobs of the reports app (Django tasks; run by `manage.py run_worker`, see ops/worker.py).

`send_reminders --enqueue` (the cron line in the README) hands the day's reminders and the reviewers' digest to a
worker instead of sending them in the cron process. Both are idempotent (reports/reminders.py), so a job that
runs after a cron run of the same day, or two jobs enqueued by mistake, send nothing twice.
"""

import datetime

from django_tasks import task

from reports import reminders
from reports.notices import services as notices


@task()
def send_reminders(date: str | None = None) -> dict:
    """Send the reminders owed on `date` (YYYY-MM-DD, Asia/Bangkok; default: the day the job runs) and the digest,
    and retry notice e-mails that failed before.

    Returns counts (stored as the job's result). A reminder that could not be sent is left for the next run and
    makes the job fail, so the failure shows in the job list and in /healthz?full=1.
    """
    today = datetime.date.fromisoformat(date) if date else None
    result = reminders.send_reminders(today)
    digest = reminders.send_digest()
    notices_sent, notices_failed = notices.retry_unsent()
    counts = {
        "sent": len(result.sent),
        "already_sent": result.already_sent,
        "no_recipient": len(result.no_recipient),
        "failed": len(result.failed),
        "digest_reports": len(digest.reports) if digest.sent else 0,
        "notices_retried": notices_sent,
        "notices_failed": notices_failed,
    }
    if result.failed:
        raise RuntimeError(f"{len(result.failed)} reminder(s) could not be sent: {counts}")
    return counts
