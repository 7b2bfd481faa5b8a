"""Caching for the public side: shared caches may keep a public page for a short while.

Pages get `Cache-Control: public, max-age=…` and an ETag of their content, and answer a matching
`If-None-Match` with 304. Only for visitors who are not signed in: a signed-in user's page carries their name
(and stays `private, no-cache`, satun_ita.middleware.PrivatePagesMiddleware). The open-data files, which are
streamed, use Django's `condition` with a version of what they are made of instead (transparency.opendata).
"""

from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

PUBLIC_MAX_AGE = 300  # seconds: an approval shows on the public side within five minutes


def cache_public(response, request):
    """Mark a response to an anonymous visitor as publicly cacheable for a short while."""
    if not request.user.is_authenticated and response.status_code == 200:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def public_page(view):
    """A public HTML page: rendered without a CSRF cookie for anonymous visitors (see base.html's
    `public_page`), cacheable, with a content ETag and 304 on a match."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated or response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        set_response_etag(response)
        cache_public(response, request)
        conditional = get_conditional_response(request, etag=response.get("ETag"), response=response)
        return conditional

    return wrapper
