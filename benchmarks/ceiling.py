"""The ceiling of benchmarks/pages.py: a one-view Django app, served by the same gunicorn as the portal.

No database, no middleware, no template: one view returning a short response. What Django and gunicorn cost on
this machine before any page does any work; every page's throughput is given as a share of this one's.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-ceiling-only-" + "x" * 40,  # noqa: S106 - serves one constant response, on loopback
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def index(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", index)]
application = get_wsgi_application()
