from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    """Each agency's OIT checklist and the province's readiness (issue 14), beside the ITA catalogue (`oit`)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "oit.readiness"
    label = "oit_readiness"
    verbose_name = _("OIT readiness")

    def ready(self):
        # The checklist's URLs are monitored by linkcheck (registered there; linkcheck imports nothing of ours).
        from oit.readiness import checklist

        checklist.register()
