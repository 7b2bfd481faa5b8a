"""What /healthz checks: the database answers, the evidence storage answers; with ?full=1 also the workers and jobs.

Each check is cheap (one `SELECT 1`; one HEAD request to the bucket, or a look at MEDIA_ROOT), so a load balancer
may ask every few seconds.
"""

import datetime
import logging
import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

FAILED_WINDOW = datetime.timedelta(hours=24)


def database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy", reported by its class
        logger.warning("healthz: database check failed", exc_info=True)
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _writable_directory(location: str) -> bool:
    """MEDIA_ROOT, or (before the first upload creates it) the nearest existing parent, is a writable directory."""
    path = Path(location)
    while not path.exists() and path != path.parent:
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def storage() -> dict:
    try:
        store = storages["default"]
        if isinstance(store, FileSystemStorage):
            if not _writable_directory(store.location):
                return {"ok": False, "kind": "local", "error": "MEDIA_ROOT is not a writable directory"}
            return {"ok": True, "kind": "local"}
        # S3-compatible storage (django-storages): one HEAD request proves address, credentials and bucket.
        store.connection.meta.client.head_bucket(Bucket=store.bucket_name)
        return {"ok": True, "kind": "s3"}
    except Exception as error:  # noqa: BLE001
        logger.warning("healthz: storage check failed", exc_info=True)
        return {"ok": False, "error": type(error).__name__}


def workers(now: datetime.datetime) -> dict:
    beats = WorkerHeartbeat.objects.aggregate(count=Count("pk"), last=Max("last_seen"))
    last = beats["last"]
    return {
        "count": beats["count"],
        "last_heartbeat": last.isoformat() if last else None,
        "seconds_since_heartbeat": round((now - last).total_seconds(), 1) if last else None,
    }


def jobs(now: datetime.datetime) -> dict:
    tally = DBTaskResult.objects.aggregate(
        pending=Count("pk", filter=Q(status=TaskResultStatus.READY)),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed_24h=Count(
            "pk", filter=Q(status=TaskResultStatus.FAILED, finished_at__gte=now - FAILED_WINDOW)
        ),
        oldest_pending=Min("enqueued_at", filter=Q(status=TaskResultStatus.READY)),
    )
    oldest = tally.pop("oldest_pending")
    tally["oldest_pending_seconds"] = round((now - oldest).total_seconds(), 1) if oldest else None
    return tally


def report(*, full: bool) -> tuple[bool, dict]:
    checks = {"database": database(), "storage": storage()}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "fail", **checks}
    if full and checks["database"]["ok"]:
        now = timezone.now()
        body["workers"] = workers(now)
        body["jobs"] = jobs(now)
    return healthy, body
