from django.core.management.base import BaseCommand, CommandError

from measures.agency_import import AgencyFormatError, import_agencies_file


class Command(BaseCommand):
    help = (
        "Import the agencies CSV (code,name_th,name_en,is_lead; optional website,email,phone,is_active), "
        "upserting by code. Agencies missing from the file are kept and listed. A malformed file stops with "
        "the line number and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the agencies CSV file, UTF-8")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            result = import_agencies_file(path)
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror})") from None
        except AgencyFormatError as error:
            raise CommandError(f"{path}: {error}") from None
        for line in result.changes:
            self.stdout.write(line)
        for agency in result.missing:
            self.stdout.write(f"not in the file, kept: {agency.code} {agency.name_th}")
        if not result.changes:
            self.stdout.write("agencies: no changes")
