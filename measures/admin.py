from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from measures.models import Agency, FiscalYear, Indicator, Measure, MeasureStep, Membership, ReportingPeriod


class ReportingPeriodInline(admin.TabularInline):
    model = ReportingPeriod
    extra = 0
    fields = ["quarter", "start_date", "end_date", "due_date"]
    ordering = ["quarter"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["number", "name_th", "name_en", "group"]
    ordering = ["number"]
    show_change_link = True


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "is_active", "start_date", "end_date", "indicator_count"]
    list_filter = ["is_active"]
    search_fields = ["year", "title"]
    ordering = ["-year"]
    inlines = [ReportingPeriodInline, IndicatorInline]

    @admin.display(description=_("indicators"))
    def indicator_count(self, obj):
        return obj.indicators.count()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.ensure_periods()


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "fiscal_year", "quarter", "start_date", "end_date", "due_date", "round_label"]
    list_filter = ["fiscal_year", "quarter"]
    list_editable = ["due_date"]
    ordering = ["-fiscal_year__year", "quarter"]
    list_select_related = ["fiscal_year"]

    @admin.display(description=_("round"))
    def round_label(self, obj):
        return obj.round_label


class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0
    fields = ["order", "text", "parts", "responsible", "monitoring"]
    ordering = ["order"]
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "name_th", "name_en", "group", "fiscal_year"]
    list_display_links = ["number", "name_th"]
    list_filter = ["fiscal_year", "group"]
    search_fields = ["name_th", "name_en", "official_name_th"]
    ordering = ["-fiscal_year__year", "number"]
    list_select_related = ["fiscal_year"]
    inlines = [MeasureInline]


class MeasureStepInline(admin.TabularInline):
    model = MeasureStep
    extra = 0
    fields = ["order", "text", "sub_points"]
    ordering = ["order"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "short_text", "indicator"]
    list_filter = ["indicator__fiscal_year", "indicator__group"]
    search_fields = ["text", "responsible", "monitoring", "steps__text"]
    ordering = ["-indicator__fiscal_year__year", "indicator__number", "order"]
    list_select_related = ["indicator", "indicator__fiscal_year"]
    inlines = [MeasureStepInline]

    @admin.display(description=_("measure"))
    def short_text(self, obj):
        return obj.text[:80]

    @admin.display(description=_("code"), ordering="indicator__number")
    def code(self, obj):
        return obj.code


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "position", "phone"]
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "is_lead", "is_active", "email", "phone"]
    list_display_links = ["code", "name_th"]
    list_filter = ["is_active", "is_lead"]
    search_fields = ["code", "name_th", "name_en"]
    ordering = ["order", "code"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "position", "phone"]
    list_filter = ["agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name_th"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]
