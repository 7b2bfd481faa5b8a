import io

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import AgencyFactory, FiscalYearFactory, make_reporter, make_reviewer

DATA = settings.BASE_DIR / "data"


def load(command, name, year=2565):
    call_command(command, str(DATA / name), "--year", str(year), stdout=io.StringIO())


@pytest.fixture
def year_2565(db):
    """FY2565 with its 43 OIT items, grade bands, portal pages and answering window, as shipped in data/."""
    fiscal_year = FiscalYearFactory(year=2565)
    load("import_ita_indicators", "ita-2565-indicators.csv")
    load("import_oit_items", "ita-2565-oit-items.csv")
    load("import_ita_grades", "ita-2565-grades.csv")
    load("import_oit_portal_pages", "ita-2565-portal-pages.csv")
    load("import_oit_window", "ita-2565-oit-window.csv")
    return fiscal_year


@pytest.fixture
def agency(db):
    return AgencyFactory(code="PROV")


@pytest.fixture
def reporter(agency):
    return make_reporter(agency=agency)


@pytest.fixture
def other_reporter(db):
    return make_reporter(agency=AgencyFactory(code="OTHER"))


@pytest.fixture
def reviewer(db):
    return make_reviewer()
