"""Whole pages kept rendered until anything they could show changes: `@kept_page` on a view.

    @kept_page
    @login_required
    def dashboard_view(request): ...

A GET answered 200 is kept in this process's memory (the `pages` cache) under a digest of everything the page
depends on besides the data: the user, the path with its query string, the language, htmx's headers and the
minute (Asia/Bangkok; dates, "days left", windows that open at a time) — and of the data version
(`ops.versions.current()`, one query), which every write through Django raises. The next identical request,
before any change, is served from memory without running the view: its queries and templates are skipped.

Not kept: any other method or status, a page shown with messages (they are shown once), a view that wrote
anything (its writes would be skipped next time) or changed the session or set a cookie. The CSRF token is the
one thing a page shows that is not in its key: the page is rendered with a placeholder
(`csrf_placeholder`, a context processor) and each response gets its request's own token. One user's page is
never served to another (the user is in the key), and a signed-out visitor's page never to a signed-in one.
"""

import functools
import hashlib
import zlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from ops import versions

# Where a kept page (or a kept fragment, reports/templatetags/fragments.py) shows the CSRF token: put in per
# response. It can never be part of a rendered value (NUL is not allowed in HTML).
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
_KEEPING = "_ops_keeping_page"
HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Boosted", "HX-History-Restore-Request")


def csrf_placeholder(request) -> dict:
    """Context processor: while a page is being kept, its CSRF token is a placeholder (put in per response)."""
    return {"csrf_token": CSRF_PLACEHOLDER} if getattr(request, _KEEPING, False) else {}


def _minute() -> str:
    now = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    return now.replace(second=0, microsecond=0).isoformat()


def page_key(request, version) -> str:
    parts = (
        request.user.pk,
        request.get_full_path(),
        get_language(),
        [request.headers.get(h) for h in HEADERS],
        _minute(),
        version,
    )
    return "page:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def _with_token(request, content: bytes) -> bytes:
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return content


def _shows_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(messages.get_messages(request)) > 0


def _session_items(request) -> dict | None:
    session = getattr(request, "session", None)
    return dict(session.items()) if session is not None else None


def kept_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or not settings.KEEP_PAGES or _shows_messages(request):
            return view(request, *args, **kwargs)
        cache = caches["pages"]
        version = versions.current()
        key = page_key(request, version)
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            return HttpResponse(_with_token(request, zlib.decompress(content)), content_type=content_type)
        writes = versions.writes()
        session = _session_items(request)
        setattr(request, _KEEPING, True)
        try:
            response = view(request, *args, **kwargs)
        finally:
            setattr(request, _KEEPING, False)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        keep = (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and versions.writes() == writes
            and versions.current_local() == version[1]
            and _session_items(request) == session
            and not _shows_messages(request)
        )
        if keep:
            # Compressed (a tenth of the size, ~0.5 ms): many pages fit in a worker's memory.
            cache.set(key, (zlib.compress(response.content, 1), response["Content-Type"]))
        if not response.streaming:
            response.content = _with_token(request, response.content)
        return response

    return wrapper
