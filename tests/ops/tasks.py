"""Jobs used by the tests only (module-level, as Django tasks must be)."""

import os
import time

from django_tasks import task

from ops.models import WorkerHeartbeat


@task()
def heartbeats_seen() -> list[str]:
    """The workers that have a heartbeat row while this job runs."""
    return list(WorkerHeartbeat.objects.values_list("worker_id", flat=True))


@task()
def record_run(log_path: str, number: int) -> int:
    """Append "number pid" to log_path (one short O_APPEND write: atomic between processes), a little slowly."""
    time.sleep(0.02)
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{number} {os.getpid()}\n".encode())
    finally:
        os.close(fd)
    return number
