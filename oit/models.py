"""The ITA's catalogue as data per fiscal year: the indicator table, the OIT items, scoring weights, grade bands.

The NACC changes all of it from year to year (43 OIT items in 2565, fewer and renumbered later), so nothing of a
year's catalogue is in code: each year is loaded from CSV files in data/ (see data/README.md). This app uses
`measures` (fiscal years, measures); `measures` knows nothing of it (it asks through `measures.catalogue`).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from measures.models import FiscalYear, Indicator, Measure, localized

# The ITA's three groups, one list of labels for the plan and the catalogue.
Group = Indicator.Group


class ITAIndicator(models.Model):
    """One row of the NACC's indicator table for a fiscal year: its number, group and official name."""

    Group = Group

    fiscal_year = models.ForeignKey(
        FiscalYear, models.CASCADE, related_name="ita_indicators", verbose_name=_("fiscal year")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    group = models.CharField(_("ITA group"), max_length=3, choices=Group.choices)
    name_th = models.CharField(_("official name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ITA indicator")
        verbose_name_plural = _("ITA indicator table")
        ordering = ["fiscal_year__year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("This fiscal year already has an ITA indicator with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=99),
                name="%(app_label)s_%(class)s_number_positive",
                violation_error_message=_("The indicator number must be 1 to 99."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return localized(self.name_th, self.name_en)


class OITItem(models.Model):
    """An item of the ITA's open-data assessment (O1, O2, …) for a fiscal year, with the measures that answer it."""

    fiscal_year = models.ForeignKey(
        FiscalYear, models.CASCADE, related_name="oit_items", verbose_name=_("fiscal year")
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("As the ITA numbers it, e.g. O42."))
    order = models.PositiveSmallIntegerField(
        _("order"), help_text=_("The item's position in the ITA's list.")
    )
    indicator = models.ForeignKey(
        ITAIndicator, models.PROTECT, related_name="items", verbose_name=_("ITA indicator")
    )
    subindicator = models.CharField(_("sub-indicator"), max_length=255, blank=True)
    name_th = models.TextField(_("item (Thai)"))
    name_en = models.TextField(_("item (English)"), blank=True)
    measures = models.ManyToManyField(
        Measure,
        through="MeasureItem",
        related_name="oit_items",
        blank=True,
        verbose_name=_("measures that answer it"),
    )

    class Meta:
        verbose_name = _("OIT item")
        verbose_name_plural = _("OIT items")
        ordering = ["fiscal_year__year", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("This fiscal year already has an OIT item with this code."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self.name_th, self.name_en)

    def clean(self):
        if self.indicator_id and self.fiscal_year_id and self.indicator.fiscal_year_id != self.fiscal_year_id:
            raise ValidationError({"indicator": _("The indicator belongs to another fiscal year.")})


class MeasureItem(models.Model):
    """A measure of the plan answers (part of) an OIT item of the same fiscal year."""

    measure = models.ForeignKey(Measure, models.CASCADE, related_name="item_links", verbose_name=_("measure"))
    item = models.ForeignKey(
        OITItem, models.CASCADE, related_name="measure_links", verbose_name=_("OIT item")
    )

    class Meta:
        verbose_name = _("measure for an OIT item")
        verbose_name_plural = _("measures for OIT items")
        ordering = ["item__order", "measure__indicator__number", "measure__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "item"],
                name="%(app_label)s_%(class)s_unique_pair",
                violation_error_message=_("This measure is already linked to this item."),
            ),
        ]

    def __str__(self):
        return f"{self.item.code} ← {self.measure.code}"

    def clean(self):
        if (
            self.measure_id
            and self.item_id
            and self.measure.indicator.fiscal_year_id != self.item.fiscal_year_id
        ):
            raise ValidationError(_("The measure and the OIT item must be of the same fiscal year."))


class ScoreWeight(models.Model):
    """How much one ITA group (IIT, EIT, OIT) weighs in a fiscal year's score, in percent."""

    Group = Group

    fiscal_year = models.ForeignKey(
        FiscalYear, models.CASCADE, related_name="score_weights", verbose_name=_("fiscal year")
    )
    group = models.CharField(_("ITA group"), max_length=3, choices=Group.choices)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = _("scoring weight")
        verbose_name_plural = _("scoring weights")
        ordering = ["fiscal_year__year", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "group"],
                name="%(app_label)s_%(class)s_unique_group",
                violation_error_message=_("This fiscal year already has a weight for this group."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100),
                name="%(app_label)s_%(class)s_weight_0_to_100",
                violation_error_message=_("A weight is 0 to 100 percent."),
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.weight}%"


class GradeBandQuerySet(models.QuerySet):
    def for_score(self, fiscal_year, score):
        """The band a score falls in: the one with the highest lower bound not above it (None below all)."""
        return self.filter(fiscal_year=fiscal_year, min_score__lte=score).order_by("-min_score").first()

    def pass_mark(self, fiscal_year):
        """The lowest score that passes in the fiscal year (None without bands)."""
        band = self.filter(fiscal_year=fiscal_year, passing=True).order_by("min_score").first()
        return band.min_score if band else None


class GradeBand(models.Model):
    """A grade of the ITA (AA, A, …, F) in a fiscal year: scores from `min_score` up to the next band's."""

    fiscal_year = models.ForeignKey(
        FiscalYear, models.CASCADE, related_name="grade_bands", verbose_name=_("fiscal year")
    )
    grade = models.CharField(_("grade"), max_length=5)
    min_score = models.DecimalField(
        _("lowest score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    passing = models.BooleanField(_("passes"), default=False, help_text=_("The grade meets the pass mark."))

    objects = GradeBandQuerySet.as_manager()

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["fiscal_year__year", "-min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "grade"],
                name="%(app_label)s_%(class)s_unique_grade",
                violation_error_message=_("This fiscal year already has this grade."),
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "min_score"],
                name="%(app_label)s_%(class)s_unique_min_score",
                violation_error_message=_("Two grades cannot start at the same score."),
            ),
            models.CheckConstraint(
                condition=Q(min_score__gte=0) & Q(min_score__lte=100),
                name="%(app_label)s_%(class)s_min_score_0_to_100",
                violation_error_message=_("A score is 0 to 100."),
            ),
        ]

    def __str__(self):
        return f"{self.grade} ≥ {self.min_score}"
