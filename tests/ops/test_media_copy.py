"""ops/media.py, the file half of backup and restore: copy out with a manifest, copy back checked, never overwrite."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from ops import media


@pytest.fixture
def source(tmp_path):
    store = FileSystemStorage(location=tmp_path / "source")
    store.save("evidence/a.pdf", ContentFile(b"%PDF a"))
    store.save("evidence/b.png", ContentFile(b"\x89PNG b"))
    store.save("top.txt", ContentFile("ไทย".encode()))
    return store


def test_export_copies_every_file_with_its_hash(source, tmp_path):
    hashes = media.export(source, tmp_path / "copy")
    assert sorted(hashes) == ["evidence/a.pdf", "evidence/b.png", "top.txt"]
    assert (tmp_path / "copy/evidence/a.pdf").read_bytes() == b"%PDF a"
    media.write_manifest(hashes, tmp_path / "MANIFEST.sha256")
    assert media.read_manifest(tmp_path / "MANIFEST.sha256") == hashes


def test_restore_puts_every_file_back_under_its_name(source, tmp_path):
    hashes = media.export(source, tmp_path / "copy")
    target = FileSystemStorage(location=tmp_path / "target")

    assert media.restore(tmp_path / "copy", target, hashes) == 3
    assert target.open("evidence/b.png").read() == b"\x89PNG b"
    assert media.restore(tmp_path / "copy", target, hashes) == 0  # again: identical files are kept


def test_restore_never_overwrites_a_different_file(source, tmp_path):
    hashes = media.export(source, tmp_path / "copy")
    target = FileSystemStorage(location=tmp_path / "target")
    target.save("top.txt", ContentFile(b"other"))

    with pytest.raises(media.RestoreError, match="other content"):
        media.restore(tmp_path / "copy", target, hashes)
    assert target.open("top.txt").read() == b"other"


def test_a_damaged_backup_restores_nothing(source, tmp_path):
    hashes = media.export(source, tmp_path / "copy")
    (tmp_path / "copy/top.txt").write_bytes(b"changed")
    target = FileSystemStorage(location=tmp_path / "target")

    with pytest.raises(media.RestoreError, match="does not match the manifest"):
        media.restore(tmp_path / "copy", target, hashes)
    assert not (tmp_path / "target").exists()


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd"])
def test_a_manifest_naming_a_file_outside_the_storage_is_refused(tmp_path, name):
    with pytest.raises(ValueError, match="outside the storage"):
        media.restore(tmp_path, FileSystemStorage(location=tmp_path / "t"), {name: "0" * 64})
