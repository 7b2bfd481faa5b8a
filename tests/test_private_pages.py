"""Signed-in pages are never stored by shared caches; public pages may be."""

import pytest

from tests.factories import make_reporter

pytestmark = pytest.mark.django_db


def test_a_signed_in_users_pages_are_private_and_revalidated(client):
    client.force_login(make_reporter(username="reporter"))
    response = client.get("/my/")
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= directives


def test_public_pages_are_not_marked_private(client):
    response = client.get("/")
    assert "private" not in response.get("Cache-Control", "")
