from django.urls import path

from reports.views import dashboard, reporting

app_name = "reports"

# Agency reporting (reports/views/reporting.py)
urlpatterns = [
    path("my/", reporting.agency_home, name="agency_home"),
]

# Review (reports/views/review.py)
urlpatterns += []

# Dashboard, rounds (reports/views/dashboard.py)
urlpatterns += [
    path("dashboard/", dashboard.dashboard_view, name="dashboard"),
    path("dashboard/rounds/<int:months>/", dashboard.round_view, name="round"),
]
