"""The exports as a phone shows them (360 px): the agency home's documents and the print page's cover."""

import pytest

from reports.models import QuarterlyReport
from tests.browser.conftest import axe_violations
from tests.browser.helpers import session_cookie
from tests.browser.test_outside_judges import ALL_IMPACTS, WCAG_22_AA
from tests.review.helpers import make_world


@pytest.fixture
def world(transactional_db):
    return make_world(status=QuarterlyReport.Status.APPROVED)


def test_the_agency_homes_documents_at_360_px(open_page, live_server, world, axe_source):
    page = open_page("/my/", width=360, cookies=[session_cookie(world.reporter, live_server)])
    documents = page.get_by_role("region", name="เอกสารของส่วนราชการ")
    assert documents.get_by_role("link", name="PDF – ไตรมาส 1").get_attribute("href") == (
        "/exports/2565/q1.pdf?agency=PROV"
    )
    assert documents.get_by_role("link", name="XLSX – รอบ 12 เดือน (ไตรมาสที่ 1–4)").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page, impacts=ALL_IMPACTS, tags=WCAG_22_AA) == []


def test_the_print_pages_cover_fits_a_phone(open_page, live_server, world):
    page = open_page(
        "/exports/2565/q1/print/", width=360, cookies=[session_cookie(world.reviewer, live_server)]
    )
    title = page.locator(".export-cover h1")
    size = float(title.evaluate("h => getComputedStyle(h).fontSize").removesuffix("px"))
    assert size <= 20  # 20 pt (26.7 px) between 15 mm margins made eleven lines at 360 px
    assert title.bounding_box()["width"] >= 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # wide tables scroll inside the page
