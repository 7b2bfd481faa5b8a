"""Password reset by e-mail: a user who forgot the password sets a new one alone; the form is throttled."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import PasswordResetRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("password_reset")


@pytest.fixture
def somchai():
    return UserFactory(username="somchai", email="somchai@example.go.th", first_name="สมชาย")


def _ask(client, email="somchai@example.go.th", **extra):
    return client.post(URL, {"email": email}, **extra)


def test_the_login_page_links_to_the_reset(client):
    assert URL in client.get(reverse("login")).content.decode()


def test_the_form_and_the_e_mail_are_in_thai(client, somchai):
    assert "ลืมรหัสผ่าน" in client.get(URL).content.decode()
    response = _ask(client)
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["somchai@example.go.th"]
    assert "ตั้งรหัสผ่านใหม่" in message.subject
    assert "เรียน คุณสมชาย" in message.body and "somchai" in message.body


def test_a_user_sets_a_new_password_alone_and_logs_in_with_it(client, somchai):
    _ask(client)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "ตั้งรหัสผ่านใหม่" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Satun-ITA-2568!", "new_password2": "Satun-ITA-2568!"})
    assert done.url == reverse("password_reset_complete")
    somchai.refresh_from_db()
    assert somchai.check_password("Satun-ITA-2568!")


def test_an_unknown_address_gets_the_same_page_and_no_e_mail(client, somchai):
    response = _ask(client, email="nobody@example.go.th")
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_used_link_says_so_in_thai(client, somchai):
    _ask(client)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Satun-ITA-2568!", "new_password2": "Satun-ITA-2568!"})
    html = client.get(link, follow=True).content.decode()
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in html


def test_one_address_gets_at_most_three_e_mails_an_hour(client, somchai):
    for _ in range(5):
        assert _ask(client).url == reverse("password_reset_done")
    assert len(mail.outbox) == 3


def test_one_computer_is_stopped_after_ten_requests_an_hour_with_a_thai_message(client, somchai, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 2
    _ask(client, email="a@example.go.th")
    _ask(client, email="b@example.go.th")
    response = _ask(client)
    assert response.status_code == 200
    assert "ลองใหม่อีกครั้งในหนึ่งชั่วโมง" in response.content.decode()
    assert mail.outbox == []
    assert PasswordResetRequest.objects.count() == 2
