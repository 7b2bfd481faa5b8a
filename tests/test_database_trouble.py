"""Crafted filter values answer 400 and a database that does not answer in time a Thai 503, never a 500."""

import pytest
from django.contrib import admin
from django.db import OperationalError, connection
from django.urls import path, reverse

from tests.factories import LinkEvidenceFactory, make_admin, make_reviewer

pytestmark = pytest.mark.django_db

CRAFTED = ["%00", "a%00b", "99999999999999999999", "-99999999999999999999", "%F0%9F%98%80", "x"]


def test_no_admin_changelist_filter_or_search_answers_500_to_a_crafted_value(client):
    """Every registered model's list, with every one of its filters' parameters (and the search box) given
    NUL, a twenty-digit number, an emoji and a word: refused (400), redirected by the admin ("?e=1") or
    ignored, never a 500. New admins and filters are covered as they are registered."""
    LinkEvidenceFactory()
    client.raise_request_exception = False
    client.force_login(make_admin(username="admin"))
    failures = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        listing = client.get(url)
        assert listing.status_code == 200, url
        parameters = ["q"] + [
            p for spec in listing.context["cl"].filter_specs for p in spec.expected_parameters()
        ]
        for parameter in parameters:
            for value in CRAFTED:
                response = client.get(f"{url}?{parameter}={value}")
                if response.status_code >= 500:
                    failures.append(f"{url}?{parameter}={value}: {response.status_code}")
                elif response.status_code == 400:
                    assert "ที่อยู่ไม่ถูกต้อง" in response.content.decode()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("query", ["period=%00", "agency=99999999999999999999", "status=%00&page=%00"])
def test_the_review_inbox_refuses_crafted_filter_values_with_400(client, query):
    client.force_login(make_reviewer(username="reviewer"))
    response = client.get(f"/review/?{query}")
    assert response.status_code in (200, 400)


def _busy(request):
    raise OperationalError("canceling statement due to lock timeout")


urlpatterns = [path("busy/", _busy)]


def test_a_database_timeout_answers_a_thai_busy_page(client, settings):
    settings.ROOT_URLCONF = __name__
    response = client.get("/busy/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "ระบบไม่ว่าง" in html
    assert "ยังไม่ได้บันทึก" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own timeouts")
def test_postgresql_sessions_run_with_lock_statement_and_connect_timeouts(settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == f"{settings.DB_LOCK_TIMEOUT_MS}ms".replace("000ms", "s")
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DB_STATEMENT_TIMEOUT_MS}ms".replace("000ms", "s")
    assert connection.get_connection_params()["connect_timeout"] == settings.DB_CONNECT_TIMEOUT
