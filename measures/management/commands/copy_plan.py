from django.core.management.base import BaseCommand, CommandError

from measures.plan_copy import PlanCopyError, copy_plan


class Command(BaseCommand):
    help = (
        "Copy a fiscal year's plan to another year: indicators, measures (with the agencies each applies to), "
        "steps and reporting periods, dates moved by the years between them; each copied measure is linked to "
        "its original. The source year is left untouched; a target year that already has a plan is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=int, help="the fiscal year to copy from (B.E.), e.g. 2565")
        parser.add_argument("target", type=int, help="the fiscal year to create (B.E.), e.g. 2566")

    def handle(self, *args, **options):
        try:
            fiscal_year, changes = copy_plan(options["source"], options["target"])
        except PlanCopyError as error:
            raise CommandError(str(error)) from None
        for line in changes:
            self.stdout.write(line)
        self.stdout.write(
            f"fiscal year {fiscal_year.year}: copied from {options['source']}, {len(changes)} change(s)"
        )
