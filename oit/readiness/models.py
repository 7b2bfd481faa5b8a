"""Each agency's OIT checklist for a fiscal year, the year's answering window, and the portal pages that answer
items: the app `oit.readiness` (label oit_readiness), beside the ITA catalogue it reads (`oit`).

In ITAS an agency answers every OIT item of the year with มี/ไม่มี, the URL of the page that shows it and an
explanation. The checklist keeps those answers before the window opens, so the province sees what is missing.
Items answered by this portal's own public pages (PortalPage: the plan for O42, the agency's results for O43, its
6- and 12-month rounds for O40 and O41 in FY2565; data per year) are offered prefilled with those pages' URLs.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from measures.models import Agency, FiscalYear
from oit.models import OITItem


class PortalPage(models.Model):
    """Which of the portal's public pages answers an OIT item of a year (data, per item)."""

    class Page(models.TextChoices):
        PLAN = "plan", _("The province's plan")
        YEAR = "year", _("The agency's results of the year")
        R6 = "r6", _("The agency's 6-month round")
        R12 = "r12", _("The agency's 12-month round")

    item = models.OneToOneField(
        OITItem, models.CASCADE, related_name="portal_page", verbose_name=_("OIT item")
    )
    page = models.CharField(_("portal page"), max_length=4, choices=Page.choices)

    class Meta:
        verbose_name = _("portal page answering an OIT item")
        verbose_name_plural = _("portal pages answering OIT items")
        ordering = ["item__fiscal_year__year", "item__order"]

    def __str__(self):
        return f"{self.item.code} → {self.get_page_display()}"


class AnswerWindow(models.Model):
    """The dates a fiscal year's OIT items are answered in ITAS (FY2565: 1 March – 30 April 2022)."""

    fiscal_year = models.OneToOneField(
        FiscalYear, models.CASCADE, related_name="oit_window", verbose_name=_("fiscal year")
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))

    class Meta:
        verbose_name = _("OIT answering window")
        verbose_name_plural = _("OIT answering windows")
        ordering = ["fiscal_year__year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="%(app_label)s_%(class)s_closes_after_opening",
                violation_error_message=_("The window cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year}: {self.opens_on} – {self.closes_on}"

    def days_to_open(self, today) -> int:
        return (self.opens_on - today).days

    def days_to_close(self, today) -> int:
        return (self.closes_on - today).days

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on


class ChecklistAnswerQuerySet(models.QuerySet):
    def for_agency_year(self, agency, fiscal_year):
        return self.filter(agency=agency, item__fiscal_year=fiscal_year)


class ChecklistAnswer(models.Model):
    """An agency's answer to one OIT item, as it will give it in ITAS."""

    class Answer(models.TextChoices):
        YES = "yes", _("Has it (มี)")
        NO = "no", _("Does not have it (ไม่มี)")

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="oit_answers", verbose_name=_("agency"))
    item = models.ForeignKey(OITItem, models.CASCADE, related_name="answers", verbose_name=_("OIT item"))
    answer = models.CharField(_("answer"), max_length=3, choices=Answer.choices, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last saved by"),
    )

    objects = ChecklistAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("OIT checklist answer")
        verbose_name_plural = _("OIT checklist answers")
        ordering = ["agency", "item__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "item"],
                name="%(app_label)s_%(class)s_one_per_item",
                violation_error_message=_("This agency already has an answer for this item."),
            ),
            models.CheckConstraint(
                condition=~Q(answer="yes") | ~Q(url=""),
                name="%(app_label)s_%(class)s_yes_needs_url",
                violation_error_message=_("An item answered มี needs the URL that shows it."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.item.code}"
