"""The plan: fiscal years, reporting periods, indicators, measures, steps, agencies and membership.

This app knows nothing of reporting; `reports` depends on it, never the reverse.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from measures import thaidate


def localized(thai: str, english: str) -> str:
    """The English text on English pages when there is one; the Thai text otherwise (Thai is the default)."""
    return english if english and (get_language() or "").startswith("en") else thai


# Default number of days after a quarter closes that its report is due. Admins edit each due date.
DEFAULT_DUE_DAYS_AFTER_QUARTER = 15


class FiscalYearQuerySet(models.QuerySet):
    def with_measures(self):
        """Fiscal years whose plan has at least one measure (the ones reporters can report on)."""
        return self.filter(Exists(Measure.objects.filter(indicator__fiscal_year=OuterRef("pk"))))

    def active(self):
        """The fiscal year pages default to: the one an admin marked active, else the newest with a plan."""
        year = self.filter(is_active=True).first()
        if year is None:
            year = self.filter(indicators__isnull=False).order_by("-year").first()
        return year


class FiscalYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), unique=True, help_text=_("Buddhist Era, e.g. 2565")
    )
    title = models.TextField(_("plan title"), blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_("Pages open on the active fiscal year. At most one year is active."),
    )
    results_text = models.TextField(
        _("reported results (ผลการดำเนินการ)"),
        blank=True,
        help_text=_("The plan document's closing section of reported results."),
    )
    source_name = models.CharField(_("source document"), max_length=255, blank=True)

    objects = FiscalYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2500) & Q(year__lte=2700),
                name="%(app_label)s_%(class)s_year_is_buddhist_era",
                violation_error_message=_("Enter the fiscal year in B.E., e.g. 2565."),
            ),
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="%(app_label)s_%(class)s_one_active",
                violation_error_message=_("Only one fiscal year can be active."),
            ),
        ]

    def __str__(self):
        return _("Fiscal year %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("plan_year", args=[self.year])

    @property
    def start_date(self) -> datetime.date:
        return thaidate.fiscal_year_bounds(self.year)[0]

    @property
    def end_date(self) -> datetime.date:
        return thaidate.fiscal_year_bounds(self.year)[1]

    # Evidence may predate its fiscal year (a policy announced the year before) or follow it (the last quarter is
    # reported after the year ends), but not by more than this.
    EVIDENCE_DAYS_BEFORE = 365
    EVIDENCE_DAYS_AFTER = 183

    def evidence_window(self) -> tuple[datetime.date, datetime.date]:
        """The dates evidence for the year's reports may carry."""
        return (
            self.start_date - datetime.timedelta(days=self.EVIDENCE_DAYS_BEFORE),
            self.end_date + datetime.timedelta(days=self.EVIDENCE_DAYS_AFTER),
        )

    def ensure_periods(self):
        """Create the four quarters with default dates; existing periods (and edited due dates) are kept."""
        existing = set(self.periods.values_list("quarter", flat=True))
        for quarter in range(1, 5):
            if quarter not in existing:
                ReportingPeriod.objects.create(fiscal_year=self, quarter=quarter)


class ReportingPeriod(models.Model):
    class Round(models.TextChoices):
        NONE = "", _("quarterly only")
        SIX_MONTHS = "6m", _("6-month round")
        TWELVE_MONTHS = "12m", _("12-month round")

    fiscal_year = models.ForeignKey(
        FiscalYear, models.CASCADE, related_name="periods", verbose_name=_("fiscal year")
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    due_date = models.DateField(_("due date"), help_text=_("Reports are due on this day."))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["fiscal_year__year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "quarter"],
                name="%(app_label)s_%(class)s_unique_quarter",
                violation_error_message=_("This fiscal year already has this quarter."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="%(app_label)s_%(class)s_quarter_1_to_4",
                violation_error_message=_("The quarter must be 1 to 4."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("end_date")),
                name="%(app_label)s_%(class)s_start_before_end",
                violation_error_message=_("The start date must not be after the end date."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_due_after_start",
                violation_error_message=_("The due date must not be before the period starts."),
            ),
        ]

    def __str__(self):
        return _("Q%(quarter)s/%(year)s") % {"quarter": self.quarter, "year": self.fiscal_year.year}

    def save(self, *args, **kwargs):
        if self.quarter in (1, 2, 3, 4) and self.fiscal_year_id and not (self.start_date and self.end_date):
            start, end = thaidate.quarter_bounds(self.fiscal_year.year, self.quarter)
            self.start_date = self.start_date or start
            self.end_date = self.end_date or end
        if not self.due_date and self.end_date:
            self.due_date = self.end_date + datetime.timedelta(days=DEFAULT_DUE_DAYS_AFTER_QUARTER)
        super().save(*args, **kwargs)

    # Reports on the last quarter are due after the fiscal year ends, but not this long after.
    DUE_DAYS_AFTER_YEAR = 92

    def clean(self):
        """The period's dates lie within its fiscal year; its due date at most three months after the year."""
        if not (self.fiscal_year_id and self.start_date and self.end_date):
            return
        start, end = thaidate.fiscal_year_bounds(self.fiscal_year.year)
        bounds = {
            "first": thaidate.local_date(start, short=True),
            "last": thaidate.local_date(end, short=True),
            "year": self.fiscal_year.year,
        }
        errors = {}
        for name in ("start_date", "end_date"):
            value = getattr(self, name)
            if not start <= value <= end:
                errors[name] = _("This date is outside fiscal year %(year)s (%(first)s – %(last)s).") % bounds
        latest_due = end + datetime.timedelta(days=self.DUE_DAYS_AFTER_YEAR)
        if self.due_date and self.due_date > latest_due:
            errors["due_date"] = (
                _("The due date is more than three months after fiscal year %(year)s ends (%(last)s).")
                % bounds
            )
        if errors:
            raise ValidationError(errors)

    @property
    def round(self) -> str:
        """Q2 closes the 6-month round, Q4 the 12-month round."""
        return {2: self.Round.SIX_MONTHS, 4: self.Round.TWELVE_MONTHS}.get(self.quarter, self.Round.NONE)

    @property
    def round_label(self) -> str:
        return self.Round(self.round).label if self.round else ""

    @property
    def label(self) -> str:
        """'ไตรมาส 1 (ต.ค.–ธ.ค. 2564)' style label."""
        return _("Quarter %(quarter)s (%(start)s – %(end)s)") % {
            "quarter": self.quarter,
            "start": thaidate.local_date(self.start_date, short=True),
            "end": thaidate.local_date(self.end_date, short=True),
        }

    def days_until_due(self, today: datetime.date | None = None) -> int:
        """Days from today (Asia/Bangkok) to the due date: negative when overdue."""
        return (self.due_date - (today or thaidate.today())).days

    def contains(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date


def period_under_review(periods, today: datetime.date | None = None):
    """Among one fiscal year's `periods`, the quarter being reported on and reviewed now.

    Agencies report a quarter after it closes, so on 20 January the reports coming in (and the agencies late
    with them) are those of Q1, October–December: the latest quarter that has closed; before the year's
    first quarter closes, the first. None without periods. The review inbox and the dashboard open on it.
    """
    ordered = sorted(periods, key=lambda p: p.quarter)
    if not ordered:
        return None
    today = today or thaidate.today()
    closed = [p for p in ordered if p.end_date < today]
    return closed[-1] if closed else ordered[0]


class Indicator(models.Model):
    class Group(models.TextChoices):
        IIT = "IIT", _("IIT – internal survey")
        EIT = "EIT", _("EIT – external survey")
        OIT = "OIT", _("OIT – open data")

    fiscal_year = models.ForeignKey(
        FiscalYear, models.CASCADE, related_name="indicators", verbose_name=_("fiscal year")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    official_name_th = models.CharField(
        _("official ITA name (Thai)"),
        max_length=255,
        blank=True,
        help_text=_("The NACC's name where the plan words it differently."),
    )
    group = models.CharField(_("ITA group"), max_length=3, choices=Group.choices)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["fiscal_year__year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("This fiscal year already has an indicator with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=10),
                name="%(app_label)s_%(class)s_number_1_to_10",
                violation_error_message=_("The indicator number must be 1 to 10."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def save(self, *args, **kwargs):
        if not self.group and self.number:
            self.group = self.group_for_number(self.number)
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        """The indicator's name in the page's language (the plan's Thai wording unless the page is English)."""
        return localized(self.name_th, self.name_en)

    @staticmethod
    def group_for_number(number: int) -> str:
        """ITA grouping: IIT 1-5, EIT 6-8, OIT 9-10."""
        if number <= 5:
            return Indicator.Group.IIT
        if number <= 8:
            return Indicator.Group.EIT
        return Indicator.Group.OIT


class MeasureQuerySet(models.QuerySet):
    def for_agency(self, agency):
        """The measures that apply to `agency` (an Agency, its id, or an OuterRef to one): every measure for all
        agencies, and those chosen for it. An EXISTS, so no row is repeated."""
        chosen = Measure.agencies.through.objects.filter(measure=OuterRef("pk"), agency=agency)
        return self.filter(Q(applies_to_all=True) | Exists(chosen))


class Measure(models.Model):
    """One row of the plan table under its indicator: the unit an agency reports on each quarter.

    A measure applies to every active agency (the default) or, with `applies_to_all` off, to the agencies chosen
    for it; reports, the dashboard's denominators, rounds and reminders follow it.
    """

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="measures", verbose_name=_("indicator")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("measure (มาตรการ)"))
    parts = models.JSONField(
        _("numbered parts"),
        default=list,
        blank=True,
        help_text=_("The measure's numbered parts (๑. … ๒. …), when the plan lists several."),
    )
    responsible = models.TextField(_("responsible (ผู้รับผิดชอบ)"), blank=True)
    monitoring = models.TextField(_("monitoring and reporting (แนวทางกำกับติดตาม)"), blank=True)
    applies_to_all = models.BooleanField(
        _("applies to all active agencies"),
        default=True,
        help_text=_("Untick to choose the agencies this measure applies to."),
    )
    agencies = models.ManyToManyField(
        "Agency",
        blank=True,
        related_name="chosen_measures",
        verbose_name=_("agencies it applies to"),
        help_text=_("Only when it does not apply to all active agencies."),
    )
    copied_from = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
        help_text=_("The measure of an earlier year's plan this one was copied from."),
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["indicator__fiscal_year__year", "indicator__number", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "order"],
                name="%(app_label)s_%(class)s_unique_order",
                violation_error_message=_("This indicator already has a measure in this position."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.number}.{self.order} {self.text[:60]}"

    @property
    def code(self) -> str:
        return f"{self.indicator.number}.{self.order}"

    def applies_to(self, agency) -> bool:
        return self.applies_to_all or self.agencies.filter(pk=agency.pk).exists()


class MeasureStep(models.Model):
    """One ordered step (ขั้นตอน/วิธีการปฏิบัติ) of a measure; a "(๑)…(๔)" run stays inside as sub-points."""

    measure = models.ForeignKey(Measure, models.CASCADE, related_name="steps", verbose_name=_("measure"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("step"))
    sub_points = models.JSONField(_("sub-points"), default=list, blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["measure", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "order"],
                name="%(app_label)s_%(class)s_unique_order",
                violation_error_message=_("This measure already has a step in this position."),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.text[:60]}"


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_measures_in(self, fiscal_year):
        """The agencies that have at least one measure to report on in `fiscal_year` (a FiscalYear or its id)."""
        measures = Measure.objects.filter(indicator__fiscal_year=fiscal_year)
        return self.filter(
            Exists(measures.filter(applies_to_all=True)) | Exists(measures.filter(agencies=OuterRef("pk")))
        )


class Agency(models.Model):
    code = models.SlugField(
        _("code"), max_length=20, unique=True, help_text=_("Short code, e.g. PROV. Letters, digits, - and _.")
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive agencies are kept with their reports but not asked to report."),
    )
    is_lead = models.BooleanField(_("lead agency"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_lead"],
                condition=Q(is_lead=True),
                name="%(app_label)s_%(class)s_one_lead",
                violation_error_message=_("There can be only one lead agency."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Keep the code an agency had before it changed, so its published addresses can redirect to the new one
        (agencies paste those addresses into the NACC's ITAS; they must keep working)."""
        previous = None
        if self.pk is not None:
            previous = Agency.objects.filter(pk=self.pk).values_list("code", flat=True).first()
        super().save(*args, **kwargs)
        if previous and previous != self.code:
            AgencyFormerCode.objects.update_or_create(code=previous, defaults={"agency": self})
            AgencyFormerCode.objects.filter(code=self.code).delete()

    @property
    def name(self) -> str:
        """The agency's name in the page's language: English on English pages when it has one, else Thai."""
        return localized(self.name_th, self.name_en)


class AgencyFormerCode(models.Model):
    """A code an agency had before: addresses made with it redirect to the agency's current code."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="former_codes", verbose_name=_("agency"))
    code = models.SlugField(_("former code"), max_length=20, unique=True)
    replaced_at = models.DateTimeField(_("replaced"), auto_now=True)

    class Meta:
        verbose_name = _("former agency code")
        verbose_name_plural = _("former agency codes")
        ordering = ["agency", "-replaced_at"]

    def __str__(self):
        return f"{self.code} → {self.agency.code}"


class Membership(models.Model):
    """Ties a user to the one agency they work for (a user belongs to at most one agency)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="members", verbose_name=_("agency"))
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")
        ordering = ["agency", "user__username"]

    def __str__(self):
        return f"{self.user} – {self.agency}"

    @staticmethod
    def agency_of(user):
        """The agency `user` works for, or None: anonymous, no membership, or the agency no longer active."""
        if not user.is_authenticated:
            return None
        membership = getattr(user, "membership", None)
        if membership is None or not membership.agency.is_active:
            return None
        return membership.agency
