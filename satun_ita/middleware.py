"""Project middleware."""

from django.conf import settings
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
