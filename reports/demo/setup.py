"""Demo data for local development: the FY 2565 plan, the agencies and four accounts (run by `make run`)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from measures.agency_import import import_agencies_file
from measures.models import Agency, FiscalYear, Membership
from measures.plan_import import import_plan_file
from oit.catalogue_import import load_file, load_measure_items, load_year
from oit.readiness import data_import as readiness_import
from reports import roles
from reports.demo.current_year import ensure_current_year
from reports.demo.samples import create_sample_reports

DEMO_PASSWORD = "satun2565"  # noqa: S105 - published demo password, DEBUG only
PLAN_FILE = "plan-2565.tsv"
PLAN_YEAR = 2565
MEASURE_ITEMS_FILE = "plan-2565-oit-items.csv"
AGENCIES_FILE = "agencies.csv"
SECOND_AGENCY_CODE = "CDD"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    agency: Agency | None = None


def data_dir():
    return settings.BASE_DIR / "data"


@dataclass(frozen=True)
class DemoResult:
    fiscal_year: FiscalYear
    plan_changes: list[str]
    agency_changes: list[str]
    agencies_not_in_file: list[Agency]
    activated: bool
    accounts: list[DemoAccount]
    sample_reports: int = 0
    catalogue_changes: int = 0
    current_year: FiscalYear | None = None
    current_year_changes: list[str] | None = None
    current_deadline: object = None  # the demo year's quarter due in a few days (a ReportingPeriod)
    active_year: FiscalYear | None = None
    readiness_changes: int = 0  # the OIT portal pages and answering window of the plan's year
    lent_readiness: list[str] | None = None  # what the current year was lent of them (None: no current year)


@transaction.atomic
def setup_demo(*, samples: bool = True) -> DemoResult:
    """Import the plan, its ITA catalogue and OIT readiness data, and the agencies; mark a year active, create
    the groups and the demo accounts.

    Idempotent: a second run changes nothing but the demo accounts' passwords (reset to DEMO_PASSWORD).
    With `samples`, a dozen sample reports in every state are made once, when no report exists yet.
    """
    catalogue = load_year(data_dir(), year=PLAN_YEAR)  # the plan is read against its ITA indicator table
    fiscal_year, plan_changes = import_plan_file(data_dir() / PLAN_FILE)
    links = load_file(load_measure_items, data_dir() / MEASURE_ITEMS_FILE, year=fiscal_year.year)
    # The OIT checklist's data: which portal pages answer which items, and the ITAS answering window.
    readiness = readiness_import.load_year(data_dir(), year=PLAN_YEAR)
    agencies = import_agencies_file(data_dir() / AGENCIES_FILE)
    current = ensure_current_year(fiscal_year, data_dir())
    lent = None
    if current.fiscal_year is not None and current.fiscal_year != fiscal_year:
        # Every run, so a demo database made before this was lent still gets it (only what it lacks).
        lent = readiness_import.lend_year(fiscal_year, current.fiscal_year)
    # Unless an admin chose one, pages open on today's fiscal year (2565 itself when run in 2565).
    newest = current.fiscal_year or fiscal_year
    activated = not FiscalYear.objects.filter(is_active=True).exists()
    if activated:
        newest.is_active = True
        newest.save(update_fields=["is_active"])
    groups = roles.setup_groups()

    lead = Agency.objects.get(is_lead=True)
    second = (
        Agency.objects.filter(code=SECOND_AGENCY_CODE).first()
        or Agency.objects.exclude(pk=lead.pk).order_by("order", "code").first()
    )
    accounts = [
        DemoAccount("admin", "อดิศักดิ์", "ดูแลระบบ", roles.ADMIN_GROUP),
        DemoAccount("reviewer", "วิไลวรรณ", "ตรวจสอบดี", roles.REVIEWER_GROUP),
        DemoAccount("reporter", "สมศรี", "รักษ์สตูล", roles.REPORTER_GROUP, lead),
        DemoAccount("reporter2", "อับดุลเลาะ", "หมาดสตูล", roles.REPORTER_GROUP, second),
    ]
    for account in accounts:
        _ensure_user(account, groups)
    sample_reports = 0
    if samples:
        reviewer = get_user_model().objects.get(username="reviewer")
        sample_reports = create_sample_reports(fiscal_year, reviewer)
    return DemoResult(
        fiscal_year=fiscal_year,
        plan_changes=plan_changes,
        agency_changes=agencies.changes,
        agencies_not_in_file=agencies.missing,
        activated=activated,
        accounts=accounts,
        sample_reports=sample_reports,
        catalogue_changes=sum(map(len, catalogue.values())) + len(links),
        current_year=current.fiscal_year,
        current_year_changes=current.changes if current.created else None,
        current_deadline=current.deadline,
        active_year=FiscalYear.objects.active(),
        readiness_changes=sum(map(len, readiness.values())),
        lent_readiness=lent,
    )


def _ensure_user(account: DemoAccount, groups) -> None:
    """Create the account with its role, or only reset its password if it exists."""
    is_admin = account.role == roles.ADMIN_GROUP
    user, created = get_user_model().objects.get_or_create(
        username=account.username,
        defaults={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": f"{account.username}@example.go.th",
            "is_staff": is_admin,
            "is_superuser": is_admin,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    if created:
        user.groups.add(groups[account.role])
        if account.agency is not None:
            Membership.objects.create(user=user, agency=account.agency)
