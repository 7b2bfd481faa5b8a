"""Session lifetime and the sessions list.

A session ends after SESSION_IDLE_MINUTES without a request (default 480: a working day). Django's session
expiry is pushed forward only when the session was last refreshed more than REFRESH_EVERY ago, so a page view
does not write the session row each time. Each login is recorded as a UserSession for the admin.
"""

import datetime

from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import UserSession

REFRESH_EVERY = datetime.timedelta(minutes=5)
SEEN_KEY = "_portal_seen"


def _now_stamp() -> int:
    return int(timezone.now().timestamp())


def _client_ip(request):
    from django.conf import settings

    if getattr(settings, "AXES_CLIENT_IP_CALLABLE", None):
        from satun_ita.env import client_ip

        return client_ip(request)
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in, dispatch_uid="accounts_record_session")
def record_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if session is None:
        return
    session[SEEN_KEY] = _now_stamp()
    if session.session_key is None:
        session.save()
    if not Session.objects.filter(session_key=session.session_key).exists():
        return  # a session engine without database rows: nothing to list
    UserSession.objects.update_or_create(
        session_id=session.session_key,
        defaults={
            "user": user,
            "ip_address": _client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )


class IdleSessionMiddleware:
    """Keeps a signed-in user's session alive while they use the portal: every REFRESH_EVERY at most, the
    session (and its expiry, SESSION_COOKIE_AGE from now) is saved again and its UserSession marked seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            seen = request.session.get(SEEN_KEY, 0)
            now = _now_stamp()
            if now - seen > REFRESH_EVERY.total_seconds():
                request.session[SEEN_KEY] = now
                UserSession.objects.filter(session_id=request.session.session_key).update(
                    last_seen_at=timezone.now()
                )
        return self.get_response(request)
