"""Project middleware."""

import logging

from django.conf import settings
from django.db import DataError, OperationalError
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


class ThaiFirstLocaleMiddleware(MiddlewareMixin):
    """Choose the interface language: Thai, unless the visitor picked another with the language switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language header, so a civil servant
    whose browser happens to be in English still gets the Thai portal (Thai is the default language; the
    switcher's choice is kept in Django's language cookie by `set_language`).
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            code = translation.get_supported_language_variant(code)
        except LookupError:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class PermissionsPolicyMiddleware:
    """Tell browsers the portal uses no camera, microphone, location, payment or USB (the Permissions-Policy
    header), so an injected script cannot ask for them either."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response


class PrivatePagesMiddleware:
    """Pages shown to a signed-in user hold their agency's data: no shared cache (proxy) may keep them.

    `private, no-cache` lets the user's own browser keep the page (so going back keeps what was typed) but
    makes it ask the server again before showing it, and forbids proxies to store it. A view that set its own
    Cache-Control (file downloads: `private, no-store`) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            patch_cache_control(response, private=True, no_cache=True)
        return response


logger = logging.getLogger(__name__)


class DatabaseTroubleMiddleware:
    """Crafted addresses and a busy database get a Thai page, never a 500.

    - NUL characters are dropped from the query string (`?status=%00`) before any view: no filter, search or
      admin list has a use for them, and PostgreSQL refuses NUL in text with an error.
    - A page asked for (GET/HEAD) with a query string whose value the database cannot take (an id of twenty
      digits: OverflowError on SQLite, DataError on PostgreSQL) answers 400 "the address is not valid".
    - A database that does not answer in time (PostgreSQL `lock_timeout`, `statement_timeout`,
      `connect_timeout`; SQLite's busy timeout) answers 503 "busy, nothing was saved, try again" with
      Retry-After. Writes run in transactions (`transaction.atomic`), so the interrupted one left nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)

    def process_exception(self, request, exception):
        if (
            isinstance(exception, OverflowError | DataError)
            and request.method in ("GET", "HEAD")
            and request.GET
        ):
            logger.warning("Refused a query string the database cannot take: %s", request.get_full_path())
            return self._bad_request(request)
        if isinstance(exception, OperationalError):
            logger.error("Database unavailable or too slow on %s: %s", request.path, exception)
            # Stand-alone template: the database may be what is failing, so nothing here may need it.
            response = HttpResponse(render_to_string("503.html"), status=503)
            response["Retry-After"] = "30"
            return response
        return None

    @staticmethod
    def _bad_request(request):
        return render(request, "400.html", status=400)
