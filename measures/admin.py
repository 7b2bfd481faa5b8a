from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from measures import admin_plan, thaidate
from measures.admin_dates import BUDDHIST_DATES, be_column
from measures.models import (
    Agency,
    AgencyFormerCode,
    FiscalYear,
    Indicator,
    Measure,
    MeasureStep,
    Membership,
    ReportingPeriod,
)
from measures.plan_copy import PlanCopyError, copy_plan

# List fields of the plan (JSON lists of strings) that admins edit as text, one item per line.
LINE_LIST_FIELDS = {"parts", "sub_points"}


class LinesField(forms.CharField):
    """A list of strings edited as plain text, one item per line, instead of raw JSON."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return list(initial or []) != self.to_python(data)


class LinesFieldMixin:
    """Edit the plan's list fields one item per line; long texts in compact text areas."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in LINE_LIST_FIELDS:
            return LinesField(
                label=db_field.verbose_name.capitalize(),
                help_text=_("One item per line, without its number."),
                required=False,
            )
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, forms.Textarea):
            formfield.widget.attrs["rows"] = 4
        return formfield


class ReportingPeriodInline(admin.TabularInline):
    model = ReportingPeriod
    extra = 0
    formfield_overrides = {models.DateField: BUDDHIST_DATES}
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
    list_display = ["year", "title", "is_active", "first_day", "last_day", "indicator_count"]
    list_display_links = ["year", "title"]
    list_filter = ["is_active"]
    search_fields = ["year", "title"]
    ordering = ["-year"]
    fields = ["year", "title", "is_active", "results_text", "source_name"]
    inlines = [ReportingPeriodInline, IndicatorInline]
    actions = ["make_active", "copy_to_next_year"]

    def get_urls(self):
        return [
            path(
                "import-plan/",
                self.admin_site.admin_view(self.import_plan_view),
                name="measures_fiscalyear_import_plan",
            ),
            *super().get_urls(),
        ]

    def import_plan_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        return admin_plan.import_plan_view(self, request)

    @admin.action(description=_("Copy the selected year's plan to the next fiscal year"))
    def copy_to_next_year(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one fiscal year."), messages.ERROR)
            return
        source = queryset.get()
        try:
            target, changes = copy_plan(source.year, source.year + 1)
        except PlanCopyError as error:
            self.message_user(
                request,
                _("The plan of %(source)s was not copied: %(error)s.")
                % {"source": source.year, "error": error},
                messages.ERROR,
            )
            return
        self.log_addition(request, target, _("Copied from fiscal year %(year)s") % {"year": source.year})
        self.message_user(
            request,
            _(
                "The plan of %(source)s is copied to fiscal year %(target)s, due dates one year later. "
                "Check the due dates and the measures, then make %(target)s the active year."
            )
            % {"source": source.year, "target": target.year},
            messages.SUCCESS,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_indicator_count=Count("indicators"))

    @admin.display(description=_("indicators"), ordering="_indicator_count")
    def indicator_count(self, obj):
        return obj._indicator_count

    @admin.display(description=_("first day"))
    def first_day(self, obj):
        return thaidate.local_date(obj.start_date, short=True)

    @admin.display(description=_("last day"))
    def last_day(self, obj):
        return thaidate.local_date(obj.end_date, short=True)

    @admin.action(description=_("Make the selected fiscal year the active one"))
    def make_active(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one fiscal year."), messages.ERROR)
            return
        with transaction.atomic():
            FiscalYear.objects.filter(is_active=True).update(is_active=False)
            year = queryset.get()
            year.is_active = True
            year.save(update_fields=["is_active"])
        self.message_user(
            request, _("Fiscal year %(year)s is now the active one.") % {"year": year.year}, messages.SUCCESS
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.ensure_periods()


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "fiscal_year",
        "quarter",
        be_column(ReportingPeriod, "start_date"),
        be_column(ReportingPeriod, "end_date"),
        "due_date",
        "round_label",
    ]
    formfield_overrides = {models.DateField: BUDDHIST_DATES}
    list_filter = ["fiscal_year", "quarter"]
    list_editable = ["due_date"]
    search_fields = ["fiscal_year__year"]
    ordering = ["-fiscal_year__year", "quarter"]
    list_select_related = ["fiscal_year"]

    @admin.display(description=_("round"))
    def round_label(self, obj):
        return obj.round_label


class MeasureInline(LinesFieldMixin, admin.StackedInline):
    model = Measure
    extra = 0
    fields = ["order", "text", "parts", "responsible", "monitoring"]
    ordering = ["order"]
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "name_th", "name_en", "group", "fiscal_year", "measure_count"]
    list_display_links = ["number", "name_th"]
    list_filter = ["fiscal_year", "group"]
    search_fields = ["name_th", "name_en", "official_name_th"]
    ordering = ["-fiscal_year__year", "number"]
    list_select_related = ["fiscal_year"]
    inlines = [MeasureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_measure_count=Count("measures"))

    @admin.display(description=_("measures"), ordering="_measure_count")
    def measure_count(self, obj):
        return obj._measure_count


class MeasureForm(forms.ModelForm):
    """A measure applies to all active agencies, or to the agencies chosen for it: one or the other."""

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("agencies")
        if cleaned.get("applies_to_all") and chosen:
            self.add_error(
                "agencies",
                _("The measure applies to all active agencies: untick that, or leave the agencies empty."),
            )
        elif (
            "applies_to_all" in cleaned
            and not cleaned["applies_to_all"]
            and chosen is not None
            and not chosen
        ):
            self.add_error("agencies", _("Choose the agencies this measure applies to."))
        return cleaned


class MeasureStepInline(LinesFieldMixin, admin.TabularInline):
    model = MeasureStep
    extra = 0
    fields = ["order", "text", "sub_points"]
    ordering = ["order"]


@admin.register(Measure)
class MeasureAdmin(LinesFieldMixin, admin.ModelAdmin):
    list_display = ["code", "short_text", "indicator", "step_count"]
    list_display_links = ["code", "short_text"]
    list_filter = ["indicator__fiscal_year", "indicator__group", "applies_to_all"]
    search_fields = ["text", "responsible", "monitoring", "steps__text"]
    ordering = ["-indicator__fiscal_year__year", "indicator__number", "order"]
    list_select_related = ["indicator", "indicator__fiscal_year"]
    autocomplete_fields = ["indicator"]
    fields = [
        "indicator",
        "order",
        "text",
        "parts",
        "responsible",
        "monitoring",
        "applies_to_all",
        "agencies",
        "copied_from",
    ]
    readonly_fields = ["copied_from"]
    filter_horizontal = ["agencies"]
    inlines = [MeasureStepInline]
    form = MeasureForm

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_step_count=Count("steps"))

    @admin.display(description=_("measure"))
    def short_text(self, obj):
        text = obj.text or " ".join(obj.parts)
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description=_("code"), ordering="indicator__number")
    def code(self, obj):
        return obj.code

    @admin.display(description=_("steps"), ordering="_step_count")
    def step_count(self, obj):
        return obj._step_count


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "position", "phone"]
    autocomplete_fields = ["user"]


class FormerCodeInline(admin.TabularInline):
    """Codes the agency had before (recorded when its code changes): their public addresses redirect."""

    model = AgencyFormerCode
    extra = 0
    fields = ["code", "replaced_at"]
    readonly_fields = ["code", "replaced_at"]
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    # Agencies' sites are https; a bare "www.…" typed by an admin becomes https://www.…
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["code", "name_th", "name_en", "is_lead", "is_active", "email", "phone", "order"]
    list_display_links = ["code", "name_th"]
    list_editable = ["order"]
    list_filter = ["is_active", "is_lead"]
    search_fields = ["code", "name_th", "name_en"]
    ordering = ["order", "code"]
    inlines = [MembershipInline, FormerCodeInline]
    actions = ["deactivate", "activate"]

    @admin.action(description=_("Deactivate the selected agencies (they keep their reports)"))
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(
            request,
            ngettext("%(count)d agency deactivated.", "%(count)d agencies deactivated.", count)
            % {"count": count},
        )

    @admin.action(description=_("Activate the selected agencies"))
    def activate(self, request, queryset):
        count = queryset.update(is_active=True)
        self.message_user(
            request,
            ngettext("%(count)d agency activated.", "%(count)d agencies activated.", count)
            % {"count": count},
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "position", "phone"]
    list_filter = ["agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name_th"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]


# Users: pick the user's agency on the user's own page.
class UserMembershipInline(admin.StackedInline):
    model = Membership
    extra = 0
    max_num = 1
    can_delete = True
    fields = ["agency", "position", "phone"]
    autocomplete_fields = ["agency"]


User = get_user_model()
if admin.site.is_registered(User):
    user_admin_class = type(admin.site.get_model_admin(User))
    admin.site.unregister(User)
else:
    user_admin_class = UserAdmin


@admin.register(User)
class PortalUserAdmin(user_admin_class):
    inlines = [*user_admin_class.inlines, UserMembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "agency", "is_staff", "is_active"]
    list_filter = [*user_admin_class.list_filter, "membership__agency"]
    list_select_related = ["membership__agency"]

    def get_readonly_fields(self, request, obj=None):
        """Only a superuser makes superusers or grants single permissions; administrators assign roles (groups)."""
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    @admin.display(description=_("agency"), ordering="membership__agency__name_th")
    def agency(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.agency if membership else "–"
