"""Project middleware."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
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
