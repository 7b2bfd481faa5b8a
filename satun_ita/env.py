"""Tiny helpers that read settings from the environment and fail loudly on bad values."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def client_ip(request) -> str | None:
    """The client's address as the trusted reverse proxies saw it, else REMOTE_ADDR.

    Used only when TRUST_X_FORWARDED_FOR=1, i.e. when the proxies are the only way in. Each proxy *appends* the
    address it received the request from (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`),
    and whatever stands left of that was written by the client, who can write anything. So the address is the
    TRUSTED_PROXY_COUNT-th entry from the right: with one proxy the right-most one. A header with fewer entries
    than there are proxies, or an entry that is not an IP address, is not trusted: REMOTE_ADDR is used.
    """
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 1)
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if count < 1 or len(entries) < count:
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
