"""Steps the browser tests share: logging in and out, a report's measure cards, the keyboard, screenshots.

Everything is found the way a Thai user finds it: by its label or its role and visible text.
"""

import os
import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import PASSWORD

RESULT = "ผลการดำเนินการในไตรมาสนี้"
OBSTACLES = "ปัญหาอุปสรรค/ข้อเสนอแนะ (ถ้ามี)"

# Set BROWSER_SCREENSHOTS=<directory> to keep a full-page PNG of each step (*.png is in .gitignore).
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS", "")


def log_in(page, username="reporter", landing=r"/my/$"):
    """Log in through the login form; `landing` is where the user's role takes them."""
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(re.compile(landing))


def log_out(page):
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("button", name="ออกจากระบบ").click()
    expect(page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="เข้าสู่ระบบ")).to_be_visible()


def session_cookie(user, live_server) -> dict:
    """A logged-in session for `user`, as a Playwright cookie for the live server (no login form)."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def measure(page, index):
    """The reporter's card of the index-th measure on the report page."""
    return page.locator("article.measure").nth(index)


def fill_measure(page, index, status, result, obstacles=""):
    card = measure(page, index)
    card.get_by_label(status, exact=True).check()
    card.get_by_label(RESULT).fill(result)
    if obstacles:
        card.get_by_label(OBSTACLES).fill(obstacles)


def open_evidence(card):
    """Open a measure's evidence forms (htmx) and wait until they have settled.

    htmx focuses the URL field (autofocus) when the swap settles, about 20 ms after the forms appear. Filling a
    field before that lets the focus jump back to the URL field in the middle of a fill, so the text typed for
    the description lands in the URL (CI saw "https://…/o1ข้อมูลพื้นฐาน…"). A person sees the cursor move there
    first; the tests wait for the same thing.
    """
    card.get_by_role("link", name=re.compile("เพิ่มหลักฐาน")).click()
    expect(card.locator("form.evidence-link").get_by_label("ลิงก์ (URL) ของหน้าที่เผยแพร่")).to_be_focused()


def add_link(card, url, description):
    """Add a link to a measure's evidence (the htmx form) and wait until it is listed."""
    open_evidence(card)
    form = card.locator("form.evidence-link")
    form.get_by_label("ลิงก์ (URL) ของหน้าที่เผยแพร่").fill(url)
    form.get_by_label("คำอธิบายสั้น ๆ").fill(description)
    form.get_by_role("button", name="เพิ่มลิงก์").click()
    expect(card.get_by_text("เพิ่มลิงก์แล้ว")).to_be_visible()


def tab_to(page, selector, most=80) -> int:
    """Press Tab until the focused element matches `selector`; the number of presses. Fails after `most`."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} was not reached with {most} presses of Tab")


def screenshot(page, name):
    """Keep a full-page screenshot of this step when BROWSER_SCREENSHOTS names a directory."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def submit_report(page):
    """Click "ส่งรายงาน" and confirm in the dialog that asks first."""
    page.get_by_role("button", name="ส่งรายงาน").click()
    dialog = page.get_by_role("dialog", name="ส่งรายงานหรือไม่")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="ยืนยัน ส่งรายงาน").click()


def approve_report(page):
    """Click "อนุมัติ" on the review page and confirm in the dialog."""
    page.get_by_role("button", name="อนุมัติ", exact=True).click()
    dialog = page.get_by_role("dialog", name="อนุมัติรายงานหรือไม่")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="ยืนยัน อนุมัติ").click()
