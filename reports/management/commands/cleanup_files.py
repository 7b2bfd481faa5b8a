"""Remove leftover files: stored evidence no row or snapshot refers to, and stale upload temp files.

    30 3 * * * cd /srv/satun_ita && .venv/bin/python manage.py cleanup_files --delete

Without --delete it only lists what it would remove (a dry run). The rules: reports/reporting/cleanup.py.
"""

from django.core.management.base import BaseCommand

from reports.reporting import cleanup


class Command(BaseCommand):
    help = "List (or with --delete remove) evidence files nothing refers to and stale upload temp files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Remove the files (default: only list them)."
        )

    def handle(self, *args, delete=False, **options):
        leftovers = cleanup.find_leftovers()
        for leftover in leftovers:
            self.stdout.write(f"{leftover.kind}\t{leftover.size}\t{leftover.name}")
        total = sum(leftover.size for leftover in leftovers)
        if not delete:
            self.stdout.write(
                f"{len(leftovers)} leftover files ({total} bytes); dry run, nothing removed (--delete)."
            )
            return
        removed = cleanup.remove(leftovers)
        self.stdout.write(self.style.SUCCESS(f"Removed {removed} leftover files ({total} bytes)."))
