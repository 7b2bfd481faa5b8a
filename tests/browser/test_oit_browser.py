"""The OIT checklist and readiness pages in a real browser: axe (WCAG 2.1 AA) at 1280 and 360 px, no sideways
scrolling of the page on a phone (the readiness matrix scrolls inside its own box), the checklist's prefilled
portal URLs, and saving an answer with the save button that stays in view."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from oit.catalogue_import import load_year
from oit.models import OITItem
from oit.readiness import data_import
from oit.readiness.models import ChecklistAnswer
from tests.browser.conftest import axe_violations
from tests.browser.helpers import session_cookie
from tests.factories import AgencyFactory, BrokenLinkFactory, FiscalYearFactory, make_reporter, make_reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = settings.BASE_DIR / "data"
CHECKLIST = "/oit/2565/agency/PROV/"
READINESS = "/oit/2565/readiness/"


@pytest.fixture
def oit(live_server, settings):
    """FY 2565's catalogue, portal pages and window as shipped; two agencies with answers in every state."""
    settings.SITE_URL = live_server.url
    fiscal_year = FiscalYearFactory(year=2565)
    load_year(DATA, year=2565)
    data_import.load_year(DATA, year=2565)
    prov = AgencyFactory(code="PROV", name_th="สำนักงานจังหวัดสตูล")
    other = AgencyFactory(code="CDD", name_th="สำนักงานพัฒนาชุมชนจังหวัดสตูล")
    items = {item.code: item for item in OITItem.objects.filter(fiscal_year=fiscal_year)}
    answers = [
        (prov, "O1", "yes", "https://prov.example.go.th/o1", "หน้าโครงสร้างหน่วยงาน"),
        (prov, "O2", "no", "", "ยังไม่ได้เผยแพร่"),
        (prov, "O3", "yes", "https://prov.example.go.th/o3-gone", ""),
        (other, "O1", "yes", "https://cdd.example.go.th/o1", ""),
    ]
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(agency=a, item=items[code], answer=answer, url=url, explanation=text)
        for a, code, answer, url, text in answers
    )
    BrokenLinkFactory(
        url="https://prov.example.go.th/o3-gone", failing_since=timezone.now() - datetime.timedelta(days=3)
    )
    return {
        "reporter": make_reporter(agency=prov, username="somsri"),
        "reviewer": make_reviewer(username="wilai"),
    }


PAGES = [("reporter", CHECKLIST), ("reviewer", CHECKLIST), ("reviewer", READINESS)]


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize(("who", "path"), PAGES)
def test_oit_pages_have_no_serious_accessibility_violations(open_page, live_server, oit, who, path, width):
    page = open_page(path, width=width, cookies=[session_cookie(oit[who], live_server)])
    expect(page.locator("h1")).to_contain_text("OIT")
    assert axe_violations(page) == []


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_oit_pages_fit_a_phone_without_sideways_scrolling(open_page, live_server, oit, who, path):
    page = open_page(path, width=360, cookies=[session_cookie(oit[who], live_server)])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_checklist_shows_the_portals_pages_prefilled(open_page, live_server, oit):
    page = open_page(CHECKLIST, cookies=[session_cookie(oit["reporter"], live_server)])
    prefilled = {
        "O40": f"{live_server.url}/public/2565/agency/PROV/r6/",
        "O41": f"{live_server.url}/public/2565/agency/PROV/r12/",
        "O42": f"{live_server.url}/plan/2565/",
        "O43": f"{live_server.url}/public/2565/agency/PROV/",
    }
    for code, url in prefilled.items():
        row = page.locator(f"#item-{code}")
        expect(row.get_by_label("URL")).to_have_value(url)
        expect(row.get_by_label("คำตอบ")).to_have_value("yes")
    expect(page.locator("#item-O3")).to_contain_text("ลิงก์เสียตั้งแต่")
    expect(page.locator("#item-O2").get_by_label("คำอธิบาย")).to_have_value("ยังไม่ได้เผยแพร่")


def test_a_reporter_saves_an_answer_with_the_button_in_view(open_page, live_server, oit):
    page = open_page(CHECKLIST, width=360, cookies=[session_cookie(oit["reporter"], live_server)])
    row = page.locator("#item-O9")
    row.scroll_into_view_if_needed()
    row.get_by_label("คำตอบ").select_option("yes")
    row.get_by_label("URL").fill("https://prov.example.go.th/social")
    save = page.get_by_role("button", name="บันทึกรายการตรวจสอบ")
    assert save.bounding_box()["y"] + save.bounding_box()["height"] <= 900  # stays in view at the bottom
    save.click()
    expect(page.get_by_text(re.compile("บันทึกแล้ว 1 ข้อ"))).to_be_visible()
    saved = ChecklistAnswer.objects.get(agency__code="PROV", item__code="O9")
    assert (saved.answer, saved.url, saved.updated_by.username) == (
        "yes",
        "https://prov.example.go.th/social",
        "somsri",
    )


def test_the_readiness_matrix_scrolls_in_its_own_box(open_page, live_server, oit):
    page = open_page(READINESS, width=1280, cookies=[session_cookie(oit["reviewer"], live_server)])
    box = page.get_by_role("region", name=re.compile("ข้อ OIT รายหน่วยงาน .*เลื่อนดูซ้าย"))
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    expect(page.get_by_role("status").filter(has_text="ช่วงเวลาตอบในระบบ ITAS")).to_contain_text("ปิดแล้ว")


def test_leaving_the_checklist_with_unsaved_answers_asks_first(open_page, live_server, oit):
    page = open_page(CHECKLIST, width=1280, cookies=[session_cookie(oit["reporter"], live_server)])
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    field = page.locator("#item-O9").get_by_label("URL")
    field.click()
    page.keyboard.type("https://prov.example.go.th/social")
    checklist = page.url
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="รายงานของส่วนราชการ").click()
    expect(page).to_have_url(checklist)
    assert dialogs == ["beforeunload"]
    expect(field).to_have_value("https://prov.example.go.th/social")
