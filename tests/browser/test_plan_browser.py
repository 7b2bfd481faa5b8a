"""The plan page in a real browser: layout at 1280 and 360 px, Sarabun, print, keyboard and axe checks."""

import pytest

from tests.browser.conftest import axe_violations
from tests.plan.data import INDICATOR_NAMES, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan():
    return make_plan(results_text="- ประกาศเจตจำนงสุจริต\n - ไม่รับของขวัญ\n- จัดอบรม ITA")


def test_wide_screen_shows_the_table_and_hides_the_cards(open_page, plan):
    page = open_page("/plan/", width=1280)
    assert page.locator("table.plan-table").is_visible()
    assert not page.locator(".plan-cards").is_visible()
    assert page.locator("table.plan-table tbody tr").count() == 10


def test_phone_shows_cards_without_horizontal_scrolling(open_page, plan):
    page = open_page("/plan/", width=360)
    assert not page.locator("table.plan-table").is_visible()
    assert page.locator(".plan-card").count() == 10
    assert page.locator(".plan-card").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_thai_text_is_set_in_sarabun(open_page, plan):
    page = open_page("/plan/")
    family = page.eval_on_selector("h1", "el => getComputedStyle(el).fontFamily")
    assert family.startswith('"Sarabun"') or family.startswith("Sarabun")
    loaded = page.evaluate(
        "() => Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => [f.family, f.unicodeRange])"
    )
    assert any(family.strip('"') == "Sarabun" and "E01" in ranges for family, ranges in loaded), loaded


def test_print_shows_the_table_with_every_rows_text_and_no_navigation(open_page, plan):
    page = open_page("/plan/", width=1280, media="print")
    assert page.locator("table.plan-table").is_visible()
    assert not page.locator(".plan-cards").is_visible()
    assert not page.locator("nav.portal-nav").is_visible()
    assert not page.locator("[data-print]").is_visible()
    # The merged responsible cell of row 2 shows its text again on paper.
    assert responsible_text_height(page, row=1) > 20


def responsible_text_height(page, row):
    cell = (
        page.locator("table.plan-table tbody tr").nth(row).locator("td.plan-continued .plan-cell-text").first
    )
    assert "ส่วนราชการประจำจังหวัดสตูล" in cell.text_content()
    return cell.bounding_box()["height"]


def test_merged_cells_hide_the_repeated_text_on_screen(open_page, plan):
    page = open_page("/plan/", width=1280)
    assert responsible_text_height(page, row=1) <= 1


def test_the_print_button_appears_with_javascript(open_page, plan):
    page = open_page("/plan/")
    assert page.locator("button[data-print]").is_visible()


def test_first_tab_reaches_the_skip_link_which_jumps_to_the_content(open_page, plan):
    page = open_page("/plan/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [1280, 360])
def test_plan_page_has_no_serious_accessibility_violations(open_page, plan, width):
    page = open_page("/plan/", width=width)
    assert axe_violations(page) == []


def test_home_page_has_no_serious_accessibility_violations(open_page, plan):
    assert axe_violations(open_page("/")) == []


def test_language_switcher_changes_the_page_language(open_page, plan):
    page = open_page("/plan/")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("table.plan-table thead th").nth(1).inner_text() == "Indicator"
    assert page.url.endswith("/plan/")
    assert INDICATOR_NAMES[0] in page.content()
