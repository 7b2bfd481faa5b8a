from django.urls import path, register_converter

from transparency import opendata, views


class FormatConverter:
    regex = "csv|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "fmt")

app_name = "transparency"

# The public pages (transparency/views.py). /public/<year>/agency/<code>/… are the addresses agencies give
# the NACC's ITAS: they must stay stable (a changed agency code redirects, see published.agency_by_code).
urlpatterns = [
    path("public/", views.index, name="index"),
    path("public/<int:year>/", views.year_page, name="year"),
    path("public/<int:year>/search/", views.search, name="search"),
    path("public/<int:year>/indicator/<int:number>/", views.indicator_page, name="indicator"),
    path("public/<int:year>/agency/<slug:code>/", views.agency_page, name="agency"),
    path("public/<int:year>/agency/<slug:code>/r6/", views.agency_page, {"kind": "r6"}, name="agency_r6"),
    path("public/<int:year>/agency/<slug:code>/r12/", views.agency_page, {"kind": "r12"}, name="agency_r12"),
    path("public/<int:year>/agency/<slug:code>/pdf/", views.agency_pdf, name="agency_pdf"),
    path(
        "public/<int:year>/agency/<slug:code>/r6/pdf/", views.agency_pdf, {"kind": "r6"}, name="agency_r6_pdf"
    ),
    path(
        "public/<int:year>/agency/<slug:code>/r12/pdf/",
        views.agency_pdf,
        {"kind": "r12"},
        name="agency_r12_pdf",
    ),
    path("public/language/", views.set_language, name="set_language"),
    path("public/evidence/<int:report_id>/<int:evidence_id>/", views.evidence_download, name="evidence"),
]

# Open data (transparency/opendata.py).
urlpatterns += [
    path("open-data/", opendata.index, name="open_data"),
    path("open-data/datapackage.json", opendata.datapackage, name="datapackage"),
    path("open-data/agencies.<fmt:fmt>", opendata.agencies, name="open_agencies"),
    path("open-data/<int:year>/results.<fmt:fmt>", opendata.results, name="open_results"),
    path("open-data/<int:year>/plan.<fmt:fmt>", opendata.plan, name="open_plan"),
]
