from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OitConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oit"
    verbose_name = _("ITA catalogue (OIT items, indicators, scoring)")

    def ready(self):
        # The plan (measures) asks for the ITA's indicator table and the measures' OIT items through
        # measures.catalogue, never by importing this app: oit answers here.
        from measures import catalogue
        from oit.provider import OitCatalogue

        catalogue.register(OitCatalogue())
