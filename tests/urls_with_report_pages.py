"""The project's URLs plus stand-ins for the report and review pages (built on other branches), so the
dashboard's links can be tested here; once those pages are merged the stand-ins merely repeat them."""

from django.http import HttpResponse
from django.urls import include, path

from reports import urls as reports_urls
from satun_ita.urls import urlpatterns as project_patterns


def _stand_in(request, pk):
    return HttpResponse()


_reports = [
    *reports_urls.urlpatterns,
    path("reports/<int:pk>/", _stand_in, name="report"),
    path("review/<int:pk>/", _stand_in, name="review"),
]

urlpatterns = [p for p in project_patterns if getattr(p, "namespace", None) != "reports"]
urlpatterns += [path("", include((_reports, "reports")))]
