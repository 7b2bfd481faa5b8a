"""An attacker sharing the victim's address (an office behind one NAT) cannot keep them out, and the victim is
told by e-mail. OWASP's device cookies: a browser the user proved to be theirs is exempt from the pause."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from loginguard.models import LoginAlert, TrustedDevice
from tests.factories import PASSWORD, make_reporter

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
OFFICE = "203.0.113.50"  # the address the whole office shares


@pytest.fixture
def victim():
    return make_reporter(username="somchai", email="somchai@example.go.th", first_name="สมชาย")


def _browser():
    return Client(REMOTE_ADDR=OFFICE)


def _sign_in(browser, password=PASSWORD, username="somchai"):
    return browser.post(LOGIN, {"username": username, "password": password})


def _attack(settings, times=None):
    attacker = _browser()
    for _ in range(times or settings.AXES_FAILURE_LIMIT * 3):
        _sign_in(attacker, "guess")
    return attacker


def test_the_users_own_browser_signs_in_while_an_attacker_at_the_same_address_is_paused(victim, settings):
    own = _browser()
    assert _sign_in(own).status_code == 302
    own.post(reverse("logout"))  # Client.logout() would drop every cookie; a browser keeps them
    attacker = _attack(settings)
    assert _sign_in(attacker).status_code == 429  # even the right password, from the attacker's browser
    assert _sign_in(own).status_code == 302
    assert own.session["_auth_user_id"] == str(victim.pk)


def test_from_a_new_browser_the_user_gets_in_through_the_e_mailed_link(victim, settings):
    _attack(settings)
    new = _browser()
    paused = _sign_in(new)
    assert paused.status_code == 429
    assert reverse("loginguard:unlock_request") in paused.content.decode()
    mail.outbox.clear()
    sent = new.post(reverse("loginguard:unlock_request"), {"username": "somchai"})
    assert sent.status_code == 200 and "ตรวจสอบอีเมล" in sent.content.decode()
    (message,) = mail.outbox
    assert message.to == ["somchai@example.go.th"]
    link = re.search(r"https?://\S+/accounts/unlock/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert new.get(f"/{path}").status_code == 200  # a page with a button: opening the link changes nothing
    assert not TrustedDevice.objects.filter(user=victim).exists()
    assert new.post(f"/{path}").status_code == 302
    _attack(settings)  # the attacker goes on
    assert _sign_in(new).status_code == 302
    assert new.session["_auth_user_id"] == str(victim.pk)


def test_the_user_is_warned_by_e_mail_once_however_long_the_attack(victim, settings):
    _attack(settings, settings.AXES_FAILURE_LIMIT * 3)
    warnings = [m for m in mail.outbox if m.to == ["somchai@example.go.th"]]
    assert len(warnings) == 1
    body = warnings[0].body
    assert "somchai" in body and OFFICE in body and "รหัสผ่านผิด" in body
    assert "/accounts/unlock/" in body
    assert LoginAlert.objects.filter(user=victim, kind=LoginAlert.Kind.ATTACK).count() == 1


def test_asking_for_a_link_tells_nothing_about_the_user_name(client):
    first = client.post(reverse("loginguard:unlock_request"), {"username": "nobody"})
    assert first.status_code == 200 and "ตรวจสอบอีเมล" in first.content.decode()
    assert not mail.outbox


def test_a_link_stops_working_once_the_user_has_signed_in(victim, settings):
    from loginguard import unlock

    token = unlock.make_token(victim)
    assert _sign_in(_browser()).status_code == 302
    response = _browser().post(reverse("loginguard:unlock", args=[token]))
    assert response.status_code == 400
    assert not TrustedDevice.objects.filter(user=victim).exclude(failures=0).exists()


def test_a_forged_or_another_users_device_cookie_is_not_trusted(victim, settings):
    other = make_reporter(username="attacker")
    attacker = _browser()
    assert _sign_in(attacker, username="attacker").status_code == 302  # a trusted browser, but for "attacker"
    attacker.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(attacker, "guess")
    assert _sign_in(attacker).status_code == 429
    attacker.cookies["ita_device"] = "forged"
    assert _sign_in(attacker).status_code == 429
    assert TrustedDevice.objects.filter(user=other).count() == 1


def test_a_trusted_browser_that_guesses_loses_its_trust(victim, settings):
    own = _browser()
    _sign_in(own)
    own.post(reverse("logout"))  # Client.logout() would drop every cookie; a browser keeps them
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        _sign_in(own, "guess")
    assert _sign_in(own).status_code == 429
