"""scripts/backup.sh then scripts/restore.sh into a new database and a new storage: every table's rows and every
file's hash come back identical (PostgreSQL: pg_dump and pg_restore)."""

import hashlib
import os
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from psycopg2 import sql

from ops import media, versions
from reports import tasks, workflow
from reports.models import Evidence
from satun_ita import storage
from tests.factories import AgencyFactory, FiscalYearFactory, MeasureFactory, make_reporter, make_reviewer
from tests.ops.s3 import CREDENTIALS
from tests.ops.s3 import client as s3_client

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore: PostgreSQL"),
]


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin(statement):
    admin = psycopg2.connect(_url("postgres"))
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(statement)
    finally:
        admin.close()


@pytest.fixture
def restored_db():
    """A new, empty database beside the test database (satun_…_restored); its URL. Dropped afterwards."""
    name = connection.settings_dict["NAME"].removeprefix("test_") + "_restored"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    _admin(drop)
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield _url(name)
    _admin(drop)


def populate():
    """Plan, agencies, users, a submitted and an approved report with links and files (Thai names), events, a job."""
    year = FiscalYearFactory(year=2565, is_active=True)
    measures = [MeasureFactory(indicator__fiscal_year=year, indicator__number=n) for n in (1, 2, 9)]
    reviewer = make_reviewer(username="rita")
    period = year.periods.get(quarter=1)
    for number, code in enumerate(["AGA", "AGB", "AGC"]):
        agency = AgencyFactory(code=code, name_th=f"สำนักงาน {code} จังหวัดสตูล")
        reporter = make_reporter(agency, username=f"reporter-{code.lower()}")
        report = workflow.get_or_create_report(agency=agency, period=period, user=reporter)
        for i, progress in enumerate(report.progress.order_by("pk")):
            progress.status, progress.result = "done", f"ผลการดำเนินการ {code} มาตรการ {i + 1}"
            progress.save()
            progress.evidence.create(kind=Evidence.Kind.LINK, url=f"https://{code.lower()}.go.th/{i}")
            Evidence.objects.create(
                progress=progress,
                kind=Evidence.Kind.FILE,
                file=ContentFile(f"%PDF-1.4 {code} {i} ".encode() * (200 + i), name="หลักฐาน.pdf"),
                original_name=f"หลักฐาน {code} {i}.pdf",
                content_type="application/pdf",
                size=1,
                created_by=reporter,
            )
        workflow.submit(report, reporter)
        if number != 1:
            workflow.approve(report, reviewer)
    tasks.send_reminders.enqueue(date="2022-01-10")
    return measures


def table_digests(cursor) -> dict[str, tuple[int, str]]:
    """Per table of the public schema: (row count, MD5 of all its rows as text in sorted order)."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    digests = {}
    for (table,) in cursor.fetchall():
        cursor.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
            ).format(sql.Identifier(table))
        )
        digests[table] = cursor.fetchone()
    return digests


def sequence_values(cursor) -> dict[str, int]:
    cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
    return dict(cursor.fetchall())


def file_hashes(store) -> dict[str, str]:
    hashes = {}
    for name in media.walk(store):
        with store.open(name, "rb") as handle:
            hashes[name] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


def run(script: str, *args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", f"scripts/{script}", *map(str, args)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _s3_url(endpoint: str, bucket_name: str) -> str:
    return (
        f"s3://{CREDENTIALS['access_key']}:{CREDENTIALS['secret_key']}@{bucket_name}/satun"
        f"?endpoint_url={endpoint}&region_name=us-east-1&addressing_style=path"
    )


@pytest.fixture(params=["local disk", "object storage"])
def stores(request, settings, tmp_path):
    """(storage environment of the source, of the restore target, the target's Storage)."""
    if request.param == "local disk":
        settings.MEDIA_ROOT = tmp_path / "media"
        target_root = tmp_path / "restored-media"
        target = storage.from_environment({})
        target_store = type(storages["default"])(location=target_root)
        return {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}, {"MEDIA_ROOT": str(target_root)}, target_store
    endpoint = request.getfixturevalue("s3_server")
    source_bucket, target_bucket = request.getfixturevalue("bucket"), f"restored-{os.getpid()}-{id(request)}"
    s3_client(endpoint).create_bucket(Bucket=target_bucket)
    target = storage.from_url(_s3_url(endpoint, target_bucket))
    from storages.backends.s3 import S3Storage

    return (
        {"STORAGE_URL": _s3_url(endpoint, source_bucket)},
        {"STORAGE_URL": _s3_url(endpoint, target_bucket)},
        S3Storage(**target["OPTIONS"]),
    )


def test_backup_then_restore_gives_back_every_row_and_every_file(stores, restored_db, tmp_path):
    source_env, target_env, target_store = stores
    populate()
    source_files = file_hashes(storages["default"])
    assert len(source_files) == 9

    backup = run(
        "backup.sh",
        tmp_path / "backups",
        env={"DATABASE_URL": _url(connection.settings_dict["NAME"]), **source_env},
    )
    assert backup.returncode == 0, backup.stderr
    backup_dir = Path(backup.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in backup_dir.iterdir()) == [
        "DATABASE.sha256",
        "INFO",
        "MANIFEST.sha256",
        "database.dump",
        "media",
    ]
    assert media.read_manifest(backup_dir / "MANIFEST.sha256") == source_files

    restore = run("restore.sh", backup_dir, env={"DATABASE_URL": restored_db, **target_env})
    assert restore.returncode == 0, restore.stderr

    with connection.cursor() as source_cursor:
        source_tables, source_sequences = table_digests(source_cursor), sequence_values(source_cursor)
    with psycopg2.connect(restored_db) as restored, restored.cursor() as target_cursor:
        # The data version is not data: a restore gives it a number never used before (ops/versions.py).
        source_version = source_tables.pop(versions.TABLE)
        restored_tables = table_digests(target_cursor)
        assert restored_tables.pop(versions.TABLE)[0] == source_version[0] == 1
        target_cursor.execute('SELECT "n" FROM "ops_dataversion"')
        assert target_cursor.fetchone()[0] > 1_700_000_000_000 > versions.current()[0]
        assert restored_tables == source_tables
        assert sequence_values(target_cursor) == source_sequences
    assert len(source_tables) > 20 and source_tables["reports_evidence"][0] == 18
    assert file_hashes(target_store) == source_files


@pytest.fixture
def local_backup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    populate()
    env = {"DATABASE_URL": _url(connection.settings_dict["NAME"]), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    backup = run("backup.sh", tmp_path / "backups", env=env)
    assert backup.returncode == 0, backup.stderr
    return Path(backup.stdout.strip().splitlines()[-1])


def test_restore_refuses_a_file_that_does_not_match_the_manifest(local_backup, restored_db, tmp_path):
    damaged = next(path for path in (local_backup / "media").rglob("*") if path.is_file())
    damaged.write_bytes(damaged.read_bytes() + b"!")

    restore = run(
        "restore.sh",
        local_backup,
        env={"DATABASE_URL": restored_db, "MEDIA_ROOT": str(tmp_path / "restored")},
    )

    assert restore.returncode != 0
    assert "does not match the manifest" in restore.stderr
    assert not any(path.is_file() for path in (tmp_path / "restored").rglob("*"))


def test_restore_refuses_a_database_that_is_not_empty(local_backup, tmp_path):
    restore = run(
        "restore.sh",
        local_backup,
        env={
            "DATABASE_URL": _url(connection.settings_dict["NAME"]),
            "MEDIA_ROOT": str(tmp_path / "restored"),
        },
    )
    assert restore.returncode == 1
    assert "restore into a new, empty one" in restore.stderr
