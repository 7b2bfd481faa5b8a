from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginGuardConfig(AppConfig):
    name = "loginguard"
    verbose_name = _("Sign-in protection")

    def ready(self):
        from loginguard import signals  # noqa: F401 - connects the receivers
