"""The shared body of the catalogue import commands: one CSV, one fiscal year, the changes printed."""

from django.core.management.base import BaseCommand, CommandError

from oit.catalogue_import import CatalogueFormatError, CatalogueImportError, load_file


class CatalogueCommand(BaseCommand):
    loader = None  # one of oit.catalogue_import's load_… functions
    what = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"the {self.what}, a UTF-8 CSV (see data/README.md)")
        parser.add_argument("--year", type=int, required=True, help="fiscal year in B.E., e.g. 2566")

    def handle(self, *args, **options):
        path, year = options["file"], options["year"]
        try:
            changes = load_file(type(self).loader, path, year=year)
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror})") from None
        except (CatalogueFormatError, CatalogueImportError) as error:
            raise CommandError(f"{path}: {error}") from None
        for line in changes:
            self.stdout.write(line)
        self.stdout.write(
            f"fiscal year {year} {self.what}: " + (f"{len(changes)} change(s)" if changes else "no changes")
        )
