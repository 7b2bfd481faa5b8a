from django.urls import path

from reports.dashboard import views as dashboard
from reports.reporting import evidence_views as evidence
from reports.reporting import views as reporting
from reports.review import views as review

app_name = "reports"

# Agency reporting (reports/reporting/views.py, reports/reporting/evidence_views.py)
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

# Review (reports/review/views.py)
urlpatterns += [
    path("review/", review.inbox, name="review_inbox"),
    path("review/<int:pk>/", review.review, name="review"),
    path("review/<int:pk>/approve/", review.approve, name="review_approve"),
    path("review/<int:pk>/return/", review.return_report, name="review_return"),
    path("review/<int:pk>/reopen/", review.reopen, name="review_reopen"),
]

# Dashboard, rounds (reports/dashboard/views.py)
urlpatterns += [
    path("dashboard/", dashboard.dashboard_view, name="dashboard"),
    path("dashboard/rounds/<int:months>/", dashboard.round_view, name="round"),
]
