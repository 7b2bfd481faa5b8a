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


def test_the_client_address_is_the_one_the_proxy_appended_not_what_the_client_wrote(rf):
    from satun_ita.env import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_with_two_proxies_the_address_is_the_second_from_the_right(rf, settings):
    from satun_ita.env import client_ip

    settings.TRUSTED_PROXY_COUNT = 2
    forwarded = "198.51.100.7, 203.0.113.9, 10.0.0.5"
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")) == "203.0.113.9"
    # Fewer entries than proxies, or garbage: the proxy's own address, never a client-written value.
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR="x, <script>", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


def test_changing_the_first_forwarded_entry_does_not_escape_the_throttle(client, reporter, settings):
    settings.AXES_CLIENT_IP_CALLABLE = "satun_ita.env.client_ip"
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            URL,
            {"username": "reporter", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.9",
        )
    response = client.post(
        URL,
        {"username": "reporter", "password": "satun2565"},
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9",
    )
    assert response.status_code == 429
