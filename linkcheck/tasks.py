"""The link monitor as a background job (Django tasks; run by `manage.py run_worker`).

`check_links --enqueue` (the README's cron line) hands the day's run to a worker. A run is idempotent: links
checked within LINKCHECK_INTERVAL are skipped and each breakage is announced once, so a job that runs after a
cron run of the same day, or two jobs enqueued by mistake, count and send nothing twice.
"""

from django_tasks import task

from linkcheck import services


@task()
def check_links(everything: bool = False) -> dict:
    """One run of the monitor; returns its counts (stored as the job's result). An owner that could not be told
    makes the job fail, so the failure shows in the job list (the breakage is told on the next run)."""
    result = services.run(everything=everything)
    counts = {
        "links": result.sync.links,
        "checked": result.checked,
        "failed": result.failed,
        "broken": len(result.broken),
        "recovered": len(result.recovered),
        "owners_told": len(result.notified),
        "seconds": round(result.seconds, 1),
    }
    if result.notify_failed:
        raise RuntimeError(
            f"{len(result.notify_failed)} owner(s) could not be told of broken links: {counts}"
        )
    return counts
