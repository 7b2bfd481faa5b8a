"""Trusted browsers (OWASP's "device cookies"): the alternative to a lock anyone can set off.

django-axes pauses sign-ins for a user name from an address after AXES_FAILURE_LIMIT wrong passwords. A
browser carrying a valid device cookie for that user name is exempt (AXES_WHITELIST_CALLABLE), so the real
user, who signed in from it before or opened the unlock link e-mailed to them, gets in while an attacker at the
same address stays paused. The cookie is signed and names a TrustedDevice row, so it can be withdrawn, and it
loses its trust after AXES_FAILURE_LIMIT wrong passwords of its own.
"""

import secrets

from django.conf import settings
from django.core import signing

from loginguard.models import TrustedDevice

COOKIE = "ita_device"
SALT = "loginguard.device"
MAX_AGE = 365 * 24 * 3600


def _key_from(request) -> str | None:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        return signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None


def device_for(request, username: str | None) -> TrustedDevice | None:
    """The trusted device this request's browser is for `username`, if it still has its trust."""
    key = _key_from(request)
    if not key or not username:
        return None
    device = TrustedDevice.objects.select_related("user").filter(key=key).first()
    if device is None or device.user.get_username() != username or not device.user.is_active:
        return None
    if device.failures >= settings.AXES_FAILURE_LIMIT:
        return None
    return device


def is_trusted(request, credentials: dict | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: the browser is one this user name proved to be theirs."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return device_for(request, username) is not None


def trust(request, user) -> TrustedDevice:
    """Make this browser a trusted device of `user` (the cookie is set on the response by the middleware)."""
    key = _key_from(request)
    device = TrustedDevice.objects.filter(key=key, user=user).first() if key else None
    if device is None:
        device = TrustedDevice.objects.create(user=user, key=secrets.token_urlsafe(32))
    else:
        device.failures = 0
        device.save(update_fields=["failures", "last_used_at"])
    request._loginguard_device_key = device.key
    return device


class TrustedDeviceMiddleware:
    """Sets the device cookie on the response when the request made its browser trusted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_loginguard_device_key", None)
        if key:
            response.set_cookie(
                COOKIE,
                signing.dumps(key, salt=SALT),
                max_age=MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
