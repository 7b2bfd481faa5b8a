"""Put the files of a backup (scripts/backup.sh) into the evidence storage, checking every hash.

Used by scripts/restore.sh: `manage.py import_media BACKUP/media --manifest BACKUP/MANIFEST.sha256`.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from ops import media
from satun_ita import storage as storage_config


class Command(BaseCommand):
    help = "Restore the files listed in a backup's manifest into the evidence storage (never overwriting)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup's media directory.")
        parser.add_argument("--manifest", required=True, help="The backup's MANIFEST.sha256.")

    def handle(self, *args, directory, manifest, **options):
        try:
            hashes = media.read_manifest(Path(manifest))
            restored = media.restore(Path(directory), storages["default"], hashes)
        except (OSError, ValueError, media.RestoreError) as error:
            raise CommandError(str(error)) from error
        where = storage_config.describe(settings.STORAGES["default"])
        self.stdout.write(
            f"{restored} file(s) restored into {where}; {len(hashes) - restored} already there and identical."
        )
