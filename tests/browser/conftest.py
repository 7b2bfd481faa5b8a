"""Browser tests: Playwright (Python) driving Debian's Chromium against pytest-django's live server.

They skip with a reason when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (CI), where a missing
browser fails them. Never run `playwright install`: the browser is the distribution's.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need Debian's Chromium"
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the tests' own ORM calls (factories,
    # database checks) stay synchronous: allow them for as long as the browser runs. (tests/test_settings.py
    # keeps this variable out of the production environments it checks.)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a placeholder MEDIA_URL.

    Django's LiveServerThread wraps the site in a media-files handler built from MEDIA_URL, which cannot
    parse this project's MEDIA_URL = None (evidence is never served from a public URL). The placeholder
    is never linked to: evidence is still downloaded through the permission-checked view.
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    with override_settings(MEDIA_URL="/__unused-live-server-media__/"):
        server = LiveServer(address)
    yield server
    server.stop()


def watch_csp(page, refused: list):
    """Collect what the Content-Security-Policy made Chromium refuse (it says so on the console)."""
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )


def fail_on_csp(refused: list):
    if refused:
        pytest.fail("The Content-Security-Policy refused something:\n" + "\n".join(refused), pytrace=False)


def _new_page(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url, locale="th-TH", viewport={"width": 1280, "height": 900}, **options
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    """A fresh Thai-language browser context for each test, pointed at the live server.

    Every browser test also checks that the pages it went through broke no rule of the CSP.
    """
    context, page = _new_page(browser, live_server)
    refused = []
    watch_csp(page, refused)
    yield page
    context.close()
    fail_on_csp(refused)


@pytest.fixture
def page_without_js(browser, live_server):
    """The same with JavaScript off, for the no-JS fallbacks."""
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def htmx():
    """The flow adds evidence in place with htmx, which the front-end assets vendor."""
    from django.contrib.staticfiles import finders

    if not finders.find("vendor/htmx/htmx.min.js"):
        pytest.skip("static/vendor/htmx/htmx.min.js is missing (vendored by the front-end assets)")


@pytest.fixture
def axe_source():
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing (vendored by the front-end assets); skipping the accessibility check")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def open_page(browser, live_server):
    """open_page(path, width=1280, cookies=None) -> a loaded Playwright page at that viewport width.

    `cookies`: Playwright cookies to set first, e.g. [helpers.session_cookie(user, live_server)] to be logged in.
    """
    contexts = []
    refused = []

    def _open(path, width=1280, media="screen", cookies=None):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        watch_csp(page, refused)
        page.emulate_media(media=media)
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        return page

    yield _open
    for context in contexts:
        context.close()
    fail_on_csp(refused)


WCAG_2_AA = ("wcag2a", "wcag2aa", "wcag21aa")


def axe_violations(page, impacts=("serious", "critical"), tags=WCAG_2_AA):
    """Run axe-core (by default its WCAG 2 A/AA rules) on the page; the violations of the given impacts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools: the CSP refuses injected <script>
    result = page.evaluate(
        "async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags)
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
