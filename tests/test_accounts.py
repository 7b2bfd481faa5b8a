"""Logging in and changing one's password: Thai messages, and a way for every user to change a password."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import make_reporter

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
CHANGE = reverse("password_change")


@pytest.fixture
def reporter():
    return make_reporter(username="somsri", password="old-secret-2565")


def test_wrong_password_is_explained_in_thai(client, reporter):
    response = client.post(LOGIN, {"username": "somsri", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_empty_login_fields_are_required_in_thai(client):
    html = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert html.count("กรุณากรอกข้อมูลในช่องนี้") == 2
    assert "ฟิลด์" not in html


def test_login_page_says_whom_to_ask_for_a_forgotten_password(client):
    assert "ติดต่อผู้ดูแลระบบของสำนักงานจังหวัด" in client.get(LOGIN).content.decode()


def test_every_signed_in_user_has_a_link_to_change_the_password(client, reporter):
    client.force_login(reporter)
    assert f'href="{CHANGE}"' in client.get(reverse("plan")).content.decode()


def test_anonymous_is_sent_to_login_to_change_a_password(client):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_reporter_changes_the_password(client, reporter):
    client.force_login(reporter)
    data = {
        "old_password": "old-secret-2565",
        "new_password1": "Satun-new-2566",
        "new_password2": "Satun-new-2566",
    }
    response = client.post(CHANGE, data)
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert "เปลี่ยนรหัสผ่านแล้ว" in client.get(response.url).content.decode()
    reporter.refresh_from_db()
    assert reporter.check_password("Satun-new-2566")


def test_password_change_problems_are_in_thai_and_change_nothing(client, reporter):
    client.force_login(reporter)
    data = {"old_password": "wrong", "new_password1": "12345678", "new_password2": "87654321"}
    html = client.post(CHANGE, data).content.decode()
    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง" in html
    assert "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน" in html
    reporter.refresh_from_db()
    assert reporter.check_password("old-secret-2565")


def test_weak_new_passwords_are_refused_in_thai(client, reporter):
    client.force_login(reporter)
    data = {"old_password": "old-secret-2565", "new_password1": "12345678", "new_password2": "12345678"}
    html = client.post(CHANGE, data).content.decode()
    assert "รหัสผ่านนี้เป็นตัวเลขล้วน" in html
    assert "รหัสผ่านนี้ถูกใช้กันทั่วไป" in html
    assert get_user_model().objects.get(pk=reporter.pk).check_password("old-secret-2565")
