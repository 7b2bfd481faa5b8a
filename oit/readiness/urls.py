from django.urls import path

from oit.readiness import views

app_name = "oit"

urlpatterns = [
    path("oit/", views.index, name="index"),
    path("oit/<int:year>/readiness/", views.readiness_page, name="readiness"),
    path("oit/<int:year>/agency/<slug:code>/", views.checklist_page, name="checklist"),
    path("oit/<int:year>/agency/<slug:code>/answers.csv", views.answers_csv, name="answers_csv"),
    path("oit/<int:year>/agency/<slug:code>/answers.xlsx", views.answers_xlsx, name="answers_xlsx"),
]
