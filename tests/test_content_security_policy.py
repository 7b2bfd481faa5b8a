"""Every page carries a Content-Security-Policy that lets the browser load only the portal's own files.

The browser tests (tests/browser/) check that no page breaks a rule of it; these check the header itself.
"""

import pytest

from tests.factories import make_admin, make_reporter

pytestmark = pytest.mark.django_db


def policy(response) -> dict:
    directives = [d.strip().split() for d in response["Content-Security-Policy"].split(";")]
    return {name: set(values) for name, *values in directives}


@pytest.mark.parametrize("path", ["/", "/plan/", "/accounts/login/"])
def test_public_pages_allow_only_the_portals_own_scripts_and_styles(client, path):
    rules = policy(client.get(path))
    assert rules["default-src"] == {"'self'"}
    assert rules["script-src"] == {"'self'"}
    assert rules["style-src"] == {"'self'"}
    assert rules["object-src"] == {"'none'"}
    assert rules["frame-ancestors"] == {"'none'"}
    assert rules["form-action"] == {"'self'"}


def test_no_page_allows_inline_or_eval(client):
    client.force_login(make_reporter(username="reporter"))
    header = client.get("/my/")["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


def test_the_admin_is_covered_too(client):
    client.force_login(make_admin(username="admin"))
    assert policy(client.get("/admin/"))["script-src"] == {"'self'"}


def test_htmx_is_configured_for_the_policy(client):
    """htmx would otherwise inject a <style> element, which the policy refuses."""
    html = client.get("/plan/").content.decode()
    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>"""
        in html
    )
