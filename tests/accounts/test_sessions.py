"""Sessions: they end after a working day without use, each login is listed in the admin, and an
administrator ends a user's session there."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.models import UserSession
from satun_ita import settings as project_settings
from tests.factories import PASSWORD, UserFactory, make_admin

pytestmark = pytest.mark.django_db


def test_the_default_lifetime_is_a_working_day_of_inactivity():
    assert project_settings.SESSION_COOKIE_AGE == 8 * 60 * 60


@pytest.fixture(autouse=True)
def working_day(settings):
    settings.SESSION_COOKIE_AGE = project_settings.SESSION_COOKIE_AGE


@pytest.fixture
def somchai():
    return UserFactory(username="somchai")


def _login(client, user):
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302


def test_a_login_is_recorded_with_address_and_browser(client, somchai):
    client.post(
        reverse("login"), {"username": "somchai", "password": PASSWORD}, HTTP_USER_AGENT="Firefox/140 (ทดสอบ)"
    )
    session = UserSession.objects.get()
    assert (session.user, session.ip_address, session.user_agent) == (
        somchai,
        "127.0.0.1",
        "Firefox/140 (ทดสอบ)",
    )
    assert session.session_id == client.session.session_key


def test_using_the_portal_keeps_the_session_alive(client, somchai):
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        _login(client, somchai)
    for hours in (3, 6, 9, 12):  # a request every three hours: never eight hours idle
        with time_machine.travel(start + datetime.timedelta(hours=hours), tick=False):
            assert client.get(reverse("password_change")).status_code == 200
    expires = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expires == start + datetime.timedelta(hours=12 + 8)


def test_a_session_left_alone_for_a_working_day_has_ended(client, somchai):
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        _login(client, somchai)
    with time_machine.travel(start + datetime.timedelta(hours=8, minutes=1), tick=False):
        response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_logging_out_removes_the_session_from_the_list(client, somchai):
    _login(client, somchai)
    client.post(reverse("logout"))
    assert not UserSession.objects.exists()


def test_an_administrator_sees_and_ends_a_users_session(client, somchai):
    other = client.__class__()
    _login(other, somchai)
    admin_user = make_admin(username="boss")
    client.force_login(admin_user)
    changelist = reverse("admin:accounts_usersession_changelist")
    html = client.get(changelist, {"q": "somchai"}).content.decode()
    assert "somchai" in html
    key = other.session.session_key
    response = client.post(changelist, {"action": "end_sessions", "_selected_action": [key]})
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert other.get(reverse("password_change")).status_code == 302  # signed out


def test_a_non_admin_cannot_see_the_sessions(client, somchai):
    client.force_login(UserFactory(username="staff", is_staff=True))
    assert client.get(reverse("admin:accounts_usersession_changelist")).status_code == 403
