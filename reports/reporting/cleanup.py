"""Leftover files: stored evidence no row refers to, and upload temp files a killed request left behind.

An upload interrupted between writing the stored file and committing its row (a killed worker, a lost
database connection) leaves a file nothing refers to; a slow upload whose worker was killed leaves Django's
temporary file (`tmp….upload…`) in FILE_UPLOAD_TEMP_DIR. `find_leftovers` lists them; `remove` deletes them.

A stored file is kept when an evidence row names it or any report's approval or return snapshot does (after
approve → reopen, removed evidence keeps its file for the approval). Files younger than GRACE are kept: an
upload may be between writing its file and committing its row right now.
"""

import datetime
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from reports import history
from reports.models import Evidence, QuarterlyReport

EVIDENCE_DIR = "evidence"
GRACE = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Leftover:
    kind: str  # "orphan" (stored evidence file) or "temp" (an upload's temporary file)
    name: str  # storage name, or the temp file's path
    size: int


def referenced_names() -> set[str]:
    names = set(Evidence.objects.exclude(file="").values_list("file", flat=True))
    snapshots = QuarterlyReport.objects.values_list("approved_snapshot", "returned_snapshot")
    for approved, returned in snapshots.iterator(chunk_size=500):
        names |= history.snapshot_file_names(approved) | history.snapshot_file_names(returned)
    return names


def _stored_files(storage, directory: str):
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}"
    for sub in directories:
        yield from _stored_files(storage, f"{directory}/{sub}")


def temp_dir() -> Path:
    return Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())


def find_leftovers(*, now=None, storage=default_storage) -> list[Leftover]:
    now = now or timezone.now()
    cutoff = now - GRACE
    referenced = referenced_names()
    found = []
    for name in _stored_files(storage, EVIDENCE_DIR):
        if name not in referenced and storage.get_modified_time(name) < cutoff:
            found.append(Leftover("orphan", name, storage.size(name)))
    # Django's TemporaryFileUploadHandler names its files tmp<random>.upload<extension>.
    for path in sorted(temp_dir().glob("tmp*.upload*")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if path.is_file() and datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC) < cutoff:
            found.append(Leftover("temp", str(path), stat.st_size))
    return found


def remove(leftovers, *, storage=default_storage) -> int:
    removed = 0
    for leftover in leftovers:
        if leftover.kind == "orphan":
            storage.delete(leftover.name)
        else:
            try:
                os.remove(leftover.name)
            except FileNotFoundError:
                continue
        removed += 1
    return removed
