"""The public side in a real browser: axe (WCAG 2.1 AA) on every public page at 1280 and 360 px, no horizontal
scrolling on a phone, and the copy button of the links for ITAS on the agency home."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from oit.catalogue_import import load_year
from oit.readiness import data_import
from tests.browser.conftest import CHROMIUM_ARGS, axe_violations  # noqa: F401
from tests.browser.helpers import session_cookie
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MeasureFactory,
    make_reporter,
    make_reviewer,
)
from tests.transparency.conftest import Flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/public/",
    "/public/2565/?quarter=1",
    "/public/2565/indicator/1/?quarter=1",
    "/public/2565/search/?q=ประชุม",
    "/public/2565/agency/AGA/",
    "/public/2565/agency/AGA/r6/",
    "/public/2565/agency/AGA/r12/",
    "/open-data/",
]


@pytest.fixture
def published():
    fiscal_year = FiscalYearFactory(year=2565)
    measures = [
        MeasureFactory(
            indicator=IndicatorFactory(fiscal_year=fiscal_year, number=1), text="จัดประชุมชี้แจงบุคลากร"
        ),
        MeasureFactory(
            indicator=IndicatorFactory(fiscal_year=fiscal_year, number=9), text="เผยแพร่ข้อมูลบนเว็บไซต์"
        ),
    ]
    agency = AgencyFactory(code="AGA", name_th="สำนักงานเอ จังหวัดสตูล")
    reporter = make_reporter(agency=agency, username="alice")
    flow = Flow(agency, reporter, make_reviewer(username="rita"), fiscal_year, measures)
    report = flow.write(flow.report(), "ได้จัดการประชุมชี้แจงแนวทางแก่บุคลากรทุกระดับ", obstacles="บุคลากรมีภารกิจมาก")
    flow.add_link(report, "https://www.example.go.th/ita/o43", "หน้าเว็บไซต์เผยแพร่ผล")
    flow.add_file(report, "รายงานการประชุม.pdf", public=True)
    flow.approve(flow.submit(report))
    flow.reopen(flow.published("ผลไตรมาสสอง", quarter=2), "แก้ไข")
    # The OIT items the pages answer (named on each agency page and in the links for ITAS).
    load_year(settings.BASE_DIR / "data", year=2565)
    data_import.load_year(settings.BASE_DIR / "data", year=2565)
    return reporter


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("path", PAGES)
def test_public_pages_have_no_serious_accessibility_violations(open_page, published, path, width):
    page = open_page(path, width=width)
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_fit_a_phone_without_horizontal_scrolling(open_page, published, path):
    page = open_page(path, width=360)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("width", [1280, 360])
def test_the_agency_home_with_the_links_for_itas_has_no_serious_accessibility_violations(
    open_page, published, live_server, width
):
    page = open_page("/my/", width=width, cookies=[session_cookie(published, live_server)])
    assert page.get_by_role("heading", name="ลิงก์สำหรับตอบในระบบ ITAS").is_visible()
    expect(page.get_by_label("ผลการดำเนินการตามมาตรการทั้งปี – ตอบข้อ OIT O43")).to_be_visible()
    assert axe_violations(page) == []


def test_the_copy_button_copies_the_link_for_itas(browser, live_server, published):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], base_url=live_server.url)
    try:
        context.add_cookies([session_cookie(published, live_server)])
        page = context.new_page()
        page.goto("/my/")
        page.get_by_role("button", name="คัดลอก ผลการดำเนินการตามมาตรการทั้งปี").click()
        url = f"{live_server.url}/public/2565/agency/AGA/"
        expect(page.locator("[data-copy-status]")).to_have_text(f"คัดลอกแล้ว: {url}")
        assert page.evaluate("navigator.clipboard.readText()") == url
    finally:
        context.close()


def test_the_print_view_of_an_agency_page_hides_the_navigation(open_page, published):
    page = open_page("/public/2565/agency/AGA/", width=1280, media="print")
    assert not page.get_by_role("navigation", name="เมนูหลัก").is_visible()
    assert page.get_by_text("ได้จัดการประชุมชี้แจงแนวทางแก่บุคลากรทุกระดับ").first.is_visible()
