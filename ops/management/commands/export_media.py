"""Copy every file of the evidence storage (MEDIA_ROOT or the bucket) to a directory, with MANIFEST.sha256.

Used by scripts/backup.sh: `manage.py export_media BACKUP/media --manifest BACKUP/MANIFEST.sha256`.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from ops import media
from satun_ita import storage as storage_config


class Command(BaseCommand):
    help = "Copy every stored evidence file into a directory and write a manifest of their SHA-256 hashes."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="An empty or new directory to copy the files into.")
        parser.add_argument(
            "--manifest", required=True, help="Where to write the manifest (sha256sum format)."
        )

    def handle(self, *args, directory, manifest, **options):
        target = Path(directory)
        if target.exists() and any(target.iterdir()):
            raise CommandError(f"{target} is not empty.")
        target.mkdir(parents=True, exist_ok=True)
        hashes = media.export(storages["default"], target)
        media.write_manifest(hashes, Path(manifest))
        where = storage_config.describe(settings.STORAGES["default"])
        self.stdout.write(f"{len(hashes)} file(s) copied from {where} to {target}; manifest {manifest}.")
