"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser).

They skip when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (CI), where they fail instead.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and REQUIRE_BROWSER=1")
        pytest.skip(
            f"{CHROMIUM} is missing (apt-get install chromium); set REQUIRE_BROWSER=1 to fail instead"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the tests' own ORM calls (factories,
    # database flushes) stay synchronous: allow them for as long as the browser runs. (tests/test_settings.py
    # keeps this variable out of the production environments it checks.)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def _live_server_media_url():
    """Django's live server wraps a media-files handler that cannot start with MEDIA_URL = None (the portal
    never serves uploads by URL), so give it a path no page links to, before the server starts."""
    from django.conf import settings

    settings.MEDIA_URL = "/__test-media-never-served__/"


@pytest.fixture
def open_page(browser, _live_server_media_url, live_server):
    """open_page(path, width=1280) -> a loaded Playwright page at that viewport width."""
    contexts = []

    def _open(path, width=1280, media="screen"):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.emulate_media(media=media)
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        return page

    yield _open
    for context in contexts:
        context.close()


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core (WCAG 2 A/AA rules) on the page; the violations of the given impacts."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
