"""Copy every stored file out of the evidence storage into a directory, and back, with a manifest of hashes.

Works the same on the local disk (MEDIA_ROOT) and on object storage: it uses Django's storage API only. The
manifest is in `sha256sum` format (`<hex>  <name>`), so `sha256sum -c MANIFEST.sha256` checks a copy by hand.
"""

import hashlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import Storage

CHUNK = 1024 * 1024


def walk(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in the storage, below `directory`, in a stable order."""
    directories, files = storage.listdir(directory)
    for name in sorted(files):
        yield str(PurePosixPath(directory, name)) if directory else name
    for sub in sorted(directories):
        yield from walk(storage, str(PurePosixPath(directory, sub)) if directory else sub)


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _safe(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing a file name outside the storage: {name!r}")
    return path


def export(storage: Storage, target: Path) -> dict[str, str]:
    """Copy every stored file to target/<name>; returns {name: sha256}."""
    hashes = {}
    for name in walk(storage):
        destination = target / _safe(name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with storage.open(name, "rb") as source, open(destination, "wb") as out:
            for chunk in iter(lambda source=source: source.read(CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        hashes[name] = digest.hexdigest()
    return hashes


def write_manifest(hashes: dict[str, str], path: Path) -> None:
    path.write_text(
        "".join(f"{digest}  {name}\n" for name, digest in sorted(hashes.items())), encoding="utf-8"
    )


def read_manifest(path: Path) -> dict[str, str]:
    hashes = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64:
            raise ValueError(f"{path}:{number}: not a sha256sum line")
        hashes[name] = digest
    return hashes


class RestoreError(Exception):
    pass


def restore(source: Path, storage: Storage, manifest: dict[str, str]) -> int:
    """Put every file of the manifest from source/ into the storage under the same name, checked on both sides.

    A name that already exists with the same content is left alone (so a restore can be run again); with other
    content it is an error, never overwritten. Every file of the backup is checked before anything is uploaded,
    and each one is read back from the storage after it.
    """
    for name, expected in sorted(manifest.items()):  # the whole backup first: a damaged one restores nothing
        with open(source / _safe(name), "rb") as handle:
            if sha256_of(handle) != expected:
                raise RestoreError(f"{name}: the backup copy does not match the manifest")
    restored = 0
    for name, expected in sorted(manifest.items()):
        local = source / _safe(name)
        if storage.exists(name):
            with storage.open(name, "rb") as stored:
                if sha256_of(stored) != expected:
                    raise RestoreError(f"{name}: already in the storage with other content; not overwritten")
            continue
        with open(local, "rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise RestoreError(f"{name}: the storage saved it as {saved}")
        with storage.open(name, "rb") as stored:
            if sha256_of(stored) != expected:
                raise RestoreError(f"{name}: reads back with another hash")
        restored += 1
    return restored
