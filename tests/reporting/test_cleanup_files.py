"""cleanup_files: leftover evidence files and upload temp files are listed, and removed only with --delete."""

import datetime
import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from reports.models import Evidence, QuarterlyReport
from tests.factories import MeasureProgressFactory
from tests.reporting.helpers import pdf_bytes

pytestmark = pytest.mark.django_db
OLD = time.time() - 3 * 3600


def _stored(name, *, old=True):
    saved = default_storage.save(f"evidence/{name}", ContentFile(pdf_bytes()))
    if old:
        os.utime(default_storage.path(saved), (OLD, OLD))
    return saved


@pytest.fixture
def files(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir()
    progress = MeasureProgressFactory()
    kept = Evidence.objects.create(
        progress=progress, kind=Evidence.Kind.FILE, file=ContentFile(pdf_bytes(), name="kept.pdf")
    )
    os.utime(default_storage.path(kept.file.name), (OLD, OLD))
    approved = _stored("approved.pdf")
    QuarterlyReport.objects.filter(pk=progress.report_id).update(
        approved_snapshot={str(progress.measure_id): {"files": [approved]}}
    )
    stale_temp = Path(settings.FILE_UPLOAD_TEMP_DIR) / "tmpab12cd.upload.pdf"
    stale_temp.write_bytes(b"x" * 10)
    os.utime(stale_temp, (OLD, OLD))
    fresh_temp = Path(settings.FILE_UPLOAD_TEMP_DIR) / "tmpzz99.upload.pdf"
    fresh_temp.write_bytes(b"y")
    return {
        "kept": kept.file.name,
        "approved": approved,
        "orphan": _stored("orphan.pdf"),
        "uploading": _stored("uploading.pdf", old=False),  # an upload between its file and its commit
        "stale_temp": stale_temp,
        "fresh_temp": fresh_temp,
    }


def _run(*args):
    out = io.StringIO()
    call_command("cleanup_files", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_the_leftovers_and_removes_nothing(files):
    output = _run()
    assert files["orphan"] in output and str(files["stale_temp"]) in output
    for name in ("kept", "approved", "uploading"):
        assert files[name] not in output
    assert str(files["fresh_temp"]) not in output
    assert "dry run" in output
    assert default_storage.exists(files["orphan"]) and files["stale_temp"].exists()


def test_delete_removes_only_files_nothing_refers_to(files):
    _run("--delete")
    assert not default_storage.exists(files["orphan"])
    assert not files["stale_temp"].exists()
    for name in ("kept", "approved", "uploading"):
        assert default_storage.exists(files[name]), name
    assert files["fresh_temp"].exists()


def test_the_grace_period_protects_an_upload_in_progress(files):
    from reports.reporting import cleanup

    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=2)
    names = {leftover.name for leftover in cleanup.find_leftovers(now=later)}
    assert files["uploading"] in names
