"""The 403, 404 and 500 pages are Thai and lead back to the portal."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views import defaults

pytestmark = pytest.mark.django_db


def make_request(rf):
    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    return request


def test_404_page_is_thai(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ไม่พบหน้าที่ต้องการ" in html
    assert "กลับสู่หน้าหลัก" in html
    assert '<html lang="th">' in html


def test_403_page_is_thai(rf):
    response = defaults.permission_denied(make_request(rf), PermissionDenied())
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์เข้าถึง" in response.content.decode()


def test_500_page_renders_without_a_request_context(rf):
    response = defaults.server_error(make_request(rf))
    assert response.status_code == 500
    html = response.content.decode()
    assert "ระบบขัดข้อง" in html
    assert 'href="/"' in html


def test_404_page_for_an_exception_from_a_view(rf):
    response = defaults.page_not_found(make_request(rf), Http404("no plan"))
    assert response.status_code == 404
    assert "ยังไม่มีการเผยแพร่แผนของปีงบประมาณนั้น" in response.content.decode()


def test_403_page_shows_why_access_was_refused(rf):
    response = defaults.permission_denied(make_request(rf), PermissionDenied("หน้านี้สำหรับผู้ตรวจสอบเท่านั้น"))
    assert "หน้านี้สำหรับผู้ตรวจสอบเท่านั้น" in response.content.decode()


def test_a_form_from_an_expired_page_gets_a_thai_explanation_not_djangos_english_one():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "someone", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "หน้านี้หมดอายุแล้ว" in html
    assert "CSRF verification failed" not in html
    assert '<html lang="th">' in html
