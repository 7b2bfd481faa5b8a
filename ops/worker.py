"""The background worker: django-tasks-db's worker plus a heartbeat row in the database.

Jobs are Django tasks (`django_tasks.task`, the backport of Django 6's `django.tasks`), stored by
django-tasks-db in the database and run by `manage.py run_worker`. A worker claims a job inside a
transaction with `SELECT … FOR UPDATE SKIP LOCKED`, so any number of workers on any number of servers share
one queue and never run one job twice (tests/ops/test_two_workers.py proves it on PostgreSQL).

While it runs, a worker touches its `WorkerHeartbeat` row every `heartbeat_seconds`, from a thread of its
own so that a long job does not make it look dead; /healthz?full=1 reports the newest beat.
"""

import datetime
import logging
import os
import socket
import threading

from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Rows of workers not seen for this long are removed when another worker starts.
FORGET_AFTER = datetime.timedelta(days=1)


class Heartbeat:
    """Writes this process's WorkerHeartbeat row now, then every `seconds` from a daemon thread."""

    def __init__(self, *, worker_id: str, queues: list[str], seconds: float):
        self.worker_id = worker_id
        self.queues = ",".join(queues)
        self.seconds = seconds
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = None

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"last_seen": now},
            create_defaults={
                "last_seen": now,
                "started_at": self.started_at,
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "queues": self.queues[:255],
            },
        )

    def start(self) -> None:
        WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - FORGET_AFTER).delete()
        self.beat()
        if self.seconds > 0:
            self._thread = threading.Thread(target=self._run, name=f"heartbeat-{self.worker_id}", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.seconds):
                try:
                    self.beat()
                except DatabaseError:
                    # The database is away for a moment: the next beat tries again; /healthz sees the gap.
                    logger.warning("worker %s: heartbeat not written", self.worker_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        """Stop beating and remove the row: a worker that stopped cleanly is not reported as one that died."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.seconds + 5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            logger.warning("worker %s: heartbeat row not removed", self.worker_id, exc_info=True)


class BeatingWorker(Worker):
    """django-tasks-db's Worker, with a heartbeat for as long as its loop runs."""

    def __init__(self, *, heartbeat_seconds: float, **kwargs):
        super().__init__(**kwargs)
        self.heartbeat = Heartbeat(
            worker_id=self.worker_id, queues=self.queue_names, seconds=heartbeat_seconds
        )

    def run(self) -> None:
        self.heartbeat.start()
        try:
            super().run()
        finally:
            self.heartbeat.stop()
