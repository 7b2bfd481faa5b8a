from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from measures.admin import MeasureAdmin
from measures.models import Measure
from oit.models import GradeBand, ITAIndicator, MeasureItem, OITItem, ScoreWeight


@admin.register(ITAIndicator)
class ITAIndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "name_th", "name_en", "group", "fiscal_year"]
    list_display_links = ["number", "name_th"]
    list_filter = ["fiscal_year", "group"]
    search_fields = ["name_th", "name_en"]
    ordering = ["-fiscal_year__year", "number"]
    list_select_related = ["fiscal_year"]


class ItemMeasureInline(admin.TabularInline):
    """On an OIT item's page: the measures of its year that answer it."""

    model = MeasureItem
    extra = 0
    fields = ["measure"]
    verbose_name = _("measure that answers it")
    verbose_name_plural = _("measures that answer it")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        measures = Measure.objects.select_related("indicator__fiscal_year")
        if obj is not None:
            measures = measures.filter(indicator__fiscal_year=obj.fiscal_year_id)
        formset.form.base_fields["measure"].queryset = measures
        return formset


@admin.register(OITItem)
class OITItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "subindicator", "fiscal_year", "measure_count"]
    list_display_links = ["code", "name_th"]
    list_filter = ["fiscal_year", "indicator__number"]
    search_fields = ["code", "name_th", "name_en", "subindicator"]
    ordering = ["-fiscal_year__year", "order"]
    list_select_related = ["fiscal_year"]
    fields = ["fiscal_year", "code", "order", "indicator", "subindicator", "name_th", "name_en"]
    inlines = [ItemMeasureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_measure_count=Count("measure_links"))

    @admin.display(description=_("measures"), ordering="_measure_count")
    def measure_count(self, obj):
        return obj._measure_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = ITAIndicator.objects.select_related("fiscal_year")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MeasureItemInline(admin.TabularInline):
    """On a measure's page: the OIT items of its year that it answers."""

    model = MeasureItem
    extra = 0
    fields = ["item"]
    verbose_name = _("OIT item it answers")
    verbose_name_plural = _("OIT items it answers")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        items = OITItem.objects.all()
        if obj is not None:
            items = items.filter(fiscal_year=obj.indicator.fiscal_year_id)
        formset.form.base_fields["item"].queryset = items
        return formset


# The measure's page (measures.admin) gains the mapping here: measures knows nothing of oit.
MeasureAdmin.inlines = [*MeasureAdmin.inlines, MeasureItemInline]


@admin.register(ScoreWeight)
class ScoreWeightAdmin(admin.ModelAdmin):
    list_display = ["group", "weight", "fiscal_year"]
    list_filter = ["fiscal_year"]
    ordering = ["-fiscal_year__year", "group"]
    list_select_related = ["fiscal_year"]


@admin.register(GradeBand)
class GradeBandAdmin(admin.ModelAdmin):
    list_display = ["grade", "min_score", "passing", "fiscal_year"]
    list_filter = ["fiscal_year", "passing"]
    ordering = ["-fiscal_year__year", "-min_score"]
    list_select_related = ["fiscal_year"]
