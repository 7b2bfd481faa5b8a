"""Two workers on one PostgreSQL (as on two app servers) share the queue and never run one job twice.

Each worker is its own `manage.py run_worker --batch` process on the test database; every job appends its
number and the worker's process id to one file.
"""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.ops import tasks as test_tasks

JOBS = 80

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between processes: PostgreSQL"),
]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(name: str) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": _database_url()}
    command = [sys.executable, "manage.py", "run_worker", "--batch", "--no-startup-delay", "--interval=0"]
    command += ["--heartbeat-seconds=0", f"--worker-id={name}", "-v0"]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)


def test_two_workers_run_every_job_exactly_once(tmp_path):
    log = tmp_path / "runs.log"
    for number in range(JOBS):
        test_tasks.record_run.enqueue(str(log), number)

    workers = [_start_worker("server-a"), _start_worker("server-b")]
    for worker in workers:
        assert worker.wait(timeout=120) == 0

    runs = [line.split() for line in Path(log).read_text().splitlines()]
    assert Counter(int(number) for number, _pid in runs) == Counter(range(JOBS))
    assert {int(pid) for _number, pid in runs} == {worker.pid for worker in workers}  # both took jobs
    results = DBTaskResult.objects.all()
    assert {job.status for job in results} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(job.worker_ids) == 1 for job in results)
