from django.urls import path, re_path

from reports import workflow
from reports.dashboard import downloads
from reports.dashboard import views as dashboard
from reports.exports import views as exports
from reports.notices import views as notices
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
] + [
    # One URL per decision, named by the transition table (reports:review_approve, …_return, …_reopen).
    path(f"review/<int:pk>/{t.name}/", review.decide, {"action": t.name}, name=t.url_name.split(":")[1])
    for t in workflow.DECISIONS
]

# Dashboard, rounds (reports/dashboard/views.py)
urlpatterns += [
    path("dashboard/", dashboard.dashboard_view, name="dashboard"),
    path("dashboard/rounds/<int:months>/", dashboard.round_view, name="round"),
    # The same tables as CSV and XLSX, with the page's filters (reports/dashboard/downloads.py).
    re_path(r"^dashboard/matrix\.(?P<fmt>csv|xlsx)$", downloads.matrix, name="dashboard_matrix"),
    re_path(r"^dashboard/late\.(?P<fmt>csv|xlsx)$", downloads.late, name="dashboard_late"),
    re_path(
        r"^dashboard/rounds/(?P<months>6|12)/agencies\.(?P<fmt>csv|xlsx)$",
        downloads.round_agencies,
        name="round_agencies",
    ),
    re_path(
        r"^dashboard/rounds/(?P<months>6|12)/indicators\.(?P<fmt>csv|xlsx)$",
        downloads.round_indicators,
        name="round_indicators",
    ),
]

# The consolidated report (reports/exports/views.py): stable addresses, documented in the README.
urlpatterns += [
    re_path(
        r"^exports/(?P<year>[0-9]{4})/(?P<scope>q[1-4]|r6|r12)\.(?P<fmt>xlsx|pdf)$",
        exports.export_file,
        name="export",
    ),
    re_path(
        r"^exports/(?P<year>[0-9]{4})/(?P<scope>q[1-4]|r6|r12)/print/$",
        exports.export_print,
        name="export_print",
    ),
    # A large PDF being made in the background (reports/exports/tasks.py).
    path("exports/jobs/<str:job_id>/", exports.export_job, name="export_job"),
]

# Notices and reviewers' reminders (reports/notices/views.py)
urlpatterns += [
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/", notices.notice_open, name="notice"),
    path("notices/read/", notices.notice_read_all, name="notice_read_all"),
    path("dashboard/remind/<int:agency_id>/<int:period_id>/", notices.remind_agency, name="remind_agency"),
]
