from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("my/", views.agency_home, name="agency_home"),
]
