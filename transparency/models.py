"""The open data's settings: the licence the administrator publishes it under, and the publisher's name."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Licences offered; the first is the first option of Thailand's government open-data catalogue (CKAN on
# data.go.th). `name` and `path` are what a Frictionless Data Package says of a licence.
LICENCES = {
    "open-data-common": {"title": "Open Data Common", "path": ""},
    "dga-ogl": {
        "title": "DGA Open Government License",
        "path": "https://www.data.go.th/pages/dga-open-government-license",
    },
    "CC-BY-4.0": {
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
    "CC0-1.0": {
        "title": "Creative Commons CC0 1.0 (public domain)",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    },
    "ODC-By-1.0": {
        "title": "Open Data Commons Attribution License 1.0",
        "path": "https://opendatacommons.org/licenses/by/1-0/",
    },
    "ODbL-1.0": {
        "title": "Open Data Commons Open Database License 1.0",
        "path": "https://opendatacommons.org/licenses/odbl/1-0/",
    },
}


class OpenDataSettings(models.Model):
    """One row: what the administrator chose for the open data (/open-data/)."""

    licence = models.CharField(
        _("licence"),
        max_length=30,
        choices=[(name, value["title"]) for name, value in LICENCES.items()],
        default="open-data-common",
        help_text=_("The licence the open data (CSV, JSON, datapackage.json) is published under."),
    )
    publisher = models.CharField(
        _("publisher"), max_length=255, blank=True, help_text=_("Empty: the portal's name.")
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("open data settings")
        verbose_name_plural = _("open data settings")
        ordering = ["pk"]

    def __str__(self):
        return str(_("Open data settings"))

    @classmethod
    def current(cls) -> "OpenDataSettings":
        """The saved settings, or the defaults (unsaved) before an administrator has set them."""
        return cls.objects.order_by("pk").first() or cls()

    def licence_descriptor(self) -> dict:
        """The licence as a Data Package `licenses` entry."""
        value = LICENCES.get(self.licence, LICENCES["open-data-common"])
        descriptor = {"name": self.licence, "title": value["title"]}
        if value["path"]:
            descriptor["path"] = value["path"]
        return descriptor
