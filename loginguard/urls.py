from django.urls import path

from loginguard import views

app_name = "loginguard"

urlpatterns = [
    path("accounts/unlock/", views.unlock_request, name="unlock_request"),
    path("accounts/unlock/<str:token>/", views.unlock_confirm, name="unlock"),
]
