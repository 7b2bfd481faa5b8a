from django.core.management.base import BaseCommand, CommandError

from measures.plan_import import PlanFormatError, PlanImportError, import_plan_file


class Command(BaseCommand):
    help = (
        "Import the plan document into its fiscal year: an Excel workbook (.xlsx) with the plan's six columns, "
        "or the tab-separated text of data/plan-2565.tsv. Idempotent: an unchanged file changes nothing; an "
        "edited file updates the plan in place and prints what changed. A malformed file stops with the line "
        "(or sheet, row and column) and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the plan document: .xlsx, or UTF-8 tab-separated text")
        parser.add_argument(
            "--year", type=int, help="fiscal year in B.E. (default: read from the title line, e.g. พ.ศ. ๒๕๖๕)"
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            fiscal_year, changes = import_plan_file(path, year=options["year"])
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror})") from None
        except (PlanFormatError, PlanImportError) as error:
            raise CommandError(f"{path}: {error}") from None
        for line in changes:
            self.stdout.write(line)
        self.stdout.write(
            f"fiscal year {fiscal_year.year}: " + (f"{len(changes)} change(s)" if changes else "no changes")
        )
