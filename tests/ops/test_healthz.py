"""/healthz: 200 only when the database and the evidence storage answer; ?full=1 adds workers and jobs."""

import datetime
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ops.models import WorkerHeartbeat
from reports import tasks
from tests.ops.s3 import client as s3_client

pytestmark = pytest.mark.django_db


def test_healthy_on_the_local_disk(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True, "vendor": response.json()["database"]["vendor"]},
        "storage": {"ok": True, "kind": "local"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthy_with_object_storage(client, bucket):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["storage"] == {"ok": True, "kind": "s3"}


def test_503_when_the_bucket_is_missing(client, settings, bucket, s3_server):
    s3_client(s3_server).delete_bucket(Bucket=bucket)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["storage"]["ok"] is False


def test_503_when_media_root_cannot_be_written(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    (tmp_path / "a-file").write_text("not a directory")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"] == {
        "ok": False,
        "kind": "local",
        "error": "MEDIA_ROOT is not a writable directory",
    }


def test_503_when_the_database_does_not_answer(client):
    with mock.patch("ops.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}
    assert "jobs" not in response.json()


def test_full_reports_the_newest_heartbeat_and_the_jobs(client, django_assert_num_queries):
    now = timezone.now()
    for worker_id, seconds_ago in (("a", 4), ("b", 40)):
        seen = now - datetime.timedelta(seconds=seconds_ago)
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, hostname="app1", pid=1, queues="*", started_at=seen, last_seen=seen
        )
    tasks.send_reminders.enqueue()
    tasks.send_reminders.enqueue()
    DBTaskResult.objects.create(
        task_path="reports.tasks.send_reminders",
        args_kwargs={"args": [], "kwargs": {}},
        run_after=now,
        backend_name="default",
        status=TaskResultStatus.FAILED,
        finished_at=now,
    )

    with django_assert_num_queries(3):  # SELECT 1, the heartbeats, the jobs
        response = client.get("/healthz?full=1")

    body = response.json()
    assert response.status_code == 200
    assert body["workers"]["count"] == 2
    assert 3 <= body["workers"]["seconds_since_heartbeat"] < 60
    assert (body["jobs"]["pending"], body["jobs"]["running"], body["jobs"]["failed_24h"]) == (2, 0, 1)
    assert body["jobs"]["oldest_pending_seconds"] >= 0


def test_full_without_any_worker_says_so(client):
    body = client.get("/healthz?full=1").json()
    assert body["workers"] == {"count": 0, "last_heartbeat": None, "seconds_since_heartbeat": None}
    assert body["jobs"]["pending"] == 0 and body["jobs"]["oldest_pending_seconds"] is None


def test_a_missing_worker_does_not_make_the_server_unhealthy(client):
    # The load balancer asks whether this app server can serve; the worker is reported, not required.
    assert client.get("/healthz?full=1").status_code == 200


def test_healthz_answers_plain_http_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/plan/").status_code == 301


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
