"""The Content-Security-Policy in a real browser: the pages the other browser tests do not open (the Django
admin, the dashboard and rounds, the review inbox) work under it, and it does refuse what it should.

The `page` and `open_page` fixtures fail any test whose pages made Chromium refuse something; these tests
add the pages and the admin widgets (calendar, inline rows, related-object links) that run scripts.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import session_cookie
from tests.dashboard_data import build_province
from tests.factories import make_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def province():
    return build_province()


@pytest.fixture
def admin_user():
    return make_admin(username="admin")


def test_provincial_pages_and_the_admin_run_under_the_policy(open_page, live_server, province, admin_user):
    cookies = [session_cookie(admin_user, live_server)]
    report = province.reports["A"]
    measure = province.measures[0]
    for path in [
        "/dashboard/?year=2565&quarter=1",
        "/dashboard/rounds/6/?year=2565",
        "/review/",
        f"/review/{report.pk}/",
        "/admin/",
        "/admin/reports/quarterlyreport/",
        f"/admin/reports/quarterlyreport/{report.pk}/change/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{admin_user.pk}/change/",
        "/admin/measures/agency/",
    ]:
        page = open_page(path, cookies=cookies)
        expect(page.locator("body")).not_to_contain_text("Server Error")

    # The admin's scripts: the B.E. date widget's calendar and an inline's "add another" row.
    page = open_page(f"/admin/measures/reportingperiod/{province.q1.pk}/change/", cookies=cookies)
    page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    page = open_page(f"/admin/measures/measure/{measure.pk}/change/", cookies=cookies)
    rows = page.locator(".dynamic-steps")
    before = rows.count()
    page.locator(".add-row a").first.click()
    expect(rows).to_have_count(before + 1)


def test_the_policy_refuses_an_injected_script(browser, live_server, province):
    """What the policy is for: markup that slipped into a page cannot run script (checked directly, since
    no page of ours holds any). Its own browser context: the `page` fixture would fail on the refusal."""
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        refused = []
        page.on("console", lambda message: refused.append(message.text))
        page.goto("/plan/")
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
            }"""
        )
        assert page.evaluate("window.injected === undefined")
        assert any(re.search(r"Content Security Policy.*script-src", text) for text in refused), refused
    finally:
        context.close()
