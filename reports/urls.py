from django.urls import path

from reports.views import dashboard, reporting, review

app_name = "reports"

# Agency reporting (reports/views/reporting.py)
urlpatterns = [
    path("my/", reporting.agency_home, name="agency_home"),
]

# Review (reports/views/review.py)
urlpatterns += [
    path("review/", review.inbox, name="review_inbox"),
    path("review/<int:pk>/", review.review, name="review"),
    path("review/<int:pk>/approve/", review.approve, name="review_approve"),
    path("review/<int:pk>/return/", review.return_report, name="review_return"),
    path("review/<int:pk>/reopen/", review.reopen, name="review_reopen"),
]

# Dashboard, rounds (reports/views/dashboard.py)
urlpatterns += [
    path("dashboard/", dashboard.dashboard_view, name="dashboard"),
    path("dashboard/rounds/<int:months>/", dashboard.round_view, name="round"),
]
