import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from measures import thaidate
from measures.agency_import import AgencyFormatError
from measures.plan_copy import PlanCopyError
from measures.plan_import import PlanFormatError, PlanImportError
from oit.catalogue_import import CatalogueFormatError, CatalogueImportError
from reports.demo.setup import AGENCIES_FILE, DEMO_PASSWORD, PLAN_FILE, setup_demo


def _count(changes: list[str]) -> str:
    return f"{len(changes)} change(s)" if changes else "no changes"


class Command(BaseCommand):
    help = (
        "Development only (DEBUG=1): import data/plan-2565.tsv and data/agencies.csv, create the role groups "
        f"and the demo accounts admin, reviewer, reporter and reporter2 (password {DEMO_PASSWORD})."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-samples",
            action="store_true",
            help="Do not create the sample reports (made once, only when no report exists yet).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "setup_demo creates accounts with a published password and runs only with DEBUG=1. "
                "In production, import the data with import_plan / import_agencies, run setup_roles, "
                "and create users with createsuperuser and the admin."
            )
        try:
            result = setup_demo(samples=not options["no_samples"])
        except (
            PlanFormatError,
            PlanImportError,
            AgencyFormatError,
            PlanCopyError,
            CatalogueFormatError,
            CatalogueImportError,
        ) as error:
            raise CommandError(f"demo data: {error}") from None
        year = result.fiscal_year.year
        self.stdout.write(f"plan {year} ({PLAN_FILE}): {_count(result.plan_changes)}")
        self.stdout.write(f"agencies ({AGENCIES_FILE}): {_count(result.agency_changes)}")
        for agency in result.agencies_not_in_file:
            self.stdout.write(f"  not in the file, kept: {agency.code} {agency.name_th}")
        self.stdout.write(
            f"ITA catalogue {year} (data/ita-{year}-*.csv): {result.catalogue_changes} change(s)"
        )
        if result.current_year_changes is not None:
            deadline = result.current_deadline
            self.stdout.write(
                f"current fiscal year {result.current_year.year}: a copy of the {year} plan "
                f"({len(result.current_year_changes)} change(s)), quarter {deadline.quarter} due "
                f"{deadline.due_date.isoformat()} (in {deadline.days_until_due()} days), "
                f"with FY {year}'s ITA catalogue lent to it"
            )
        self.stdout.write(
            f"OIT readiness {year} (data/ita-{year}-portal-pages.csv, ita-{year}-oit-window.csv): "
            f"{result.readiness_changes} change(s)"
        )
        if result.lent_readiness:
            self.stdout.write(
                f"OIT readiness lent to {result.current_year.year}: {'; '.join(result.lent_readiness)}"
            )
        if result.activated:
            self.stdout.write(f"fiscal year {result.active_year.year} marked active")
        if result.active_year is not None:
            self.stdout.write(
                self.style.SUCCESS(f"Active fiscal year: {result.active_year.year}")
                + f" (today in Asia/Bangkok is in fiscal year {thaidate.fiscal_year_of(thaidate.today())})"
            )
        if result.sample_reports:
            self.stdout.write(
                f"sample reports: {result.sample_reports} created (draft, submitted, returned, approved)"
            )
        accounts = result.accounts

        rows = [("username", "password", "role", "agency")]
        for account in accounts:
            role = account.role + (" (superuser)" if account.username == "admin" else "")
            agency = f"{account.agency.code} {account.agency.name_th}" if account.agency else "-"
            rows.append((account.username, DEMO_PASSWORD, role, agency))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write("Demo accounts:")
        for row in rows:
            self.stdout.write(
                "  "
                + "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
                + "  "
                + row[3]
            )
        port = os.environ.get("PORT") or "8000"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Open http://127.0.0.1:{port}/"))
