"""Login throttling (django-axes): repeated wrong passwords for one user name pause logging in with it."""

import pytest
from django.urls import reverse

from tests.factories import make_reporter

pytestmark = pytest.mark.django_db
URL = reverse("login")


@pytest.fixture
def reporter():
    return make_reporter(username="reporter")


def _try(client, password):
    return client.post(URL, {"username": "reporter", "password": password})


def test_a_wrong_password_shows_the_login_form_again_in_thai(client, reporter):
    response = _try(client, "wrong")
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_after_the_limit_even_the_right_password_is_refused_with_a_thai_page(client, reporter, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "wrong")
    response = _try(client, "satun2565")
    assert response.status_code == 429
    html = response.content.decode()
    assert "เข้าสู่ระบบผิดหลายครั้งเกินไป" in html
    assert "30 นาที" in html
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_count(client, reporter, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, "wrong")
    assert _try(client, "satun2565").status_code == 302
    client.logout()
    _try(client, "wrong")
    assert _try(client, "satun2565").status_code == 302


def test_another_user_name_is_not_locked_out(client, reporter, settings):
    make_reporter(username="colleague")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "wrong")
    response = client.post(URL, {"username": "colleague", "password": "satun2565"})
    assert response.status_code == 302


def test_client_address_comes_from_the_proxy_header_only_when_trusted(rf):
    from satun_ita.env import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
