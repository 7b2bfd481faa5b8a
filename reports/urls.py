from django.urls import path

from reports.views import evidence, reporting

app_name = "reports"

# Agency reporting (reports/views/reporting.py, reports/views/evidence.py)
urlpatterns = [
    path("my/", reporting.agency_home, name="agency_home"),
    path("my/periods/<int:period_id>/report/", reporting.start_report, name="start_report"),
    path("reports/<int:pk>/", reporting.report_detail, name="report"),
    path("reports/<int:pk>/prefill/", reporting.prefill, name="prefill"),
    path("progress/<int:progress_id>/evidence/", evidence.evidence_manage, name="evidence"),
    path("progress/<int:progress_id>/evidence/link/", evidence.evidence_add_link, name="evidence_add_link"),
    path("progress/<int:progress_id>/evidence/file/", evidence.evidence_add_file, name="evidence_add_file"),
    path("evidence/<int:pk>/remove/", evidence.evidence_remove, name="evidence_remove"),
    path("evidence/<int:pk>/download/", evidence.evidence_download, name="evidence_download"),
]

# Review (reports/views/review.py)
urlpatterns += []

# Dashboard, rounds (reports/views/dashboard.py)
urlpatterns += []
