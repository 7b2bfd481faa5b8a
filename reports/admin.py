from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from measures.admin_dates import be_column
from reports.models import (
    DIGEST_START,
    AgencyReminder,
    DigestLog,
    Evidence,
    MeasureProgress,
    Notice,
    QuarterlyReport,
    ReminderLog,
    ReportEvent,
)


class ReadOnlyAdminMixin:
    """History is append-only: visible in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportEvent
    extra = 0
    fields = [
        be_column(ReportEvent, "created_at"),
        "actor",
        "action",
        "from_status",
        "to_status",
        "comment",
        "changes",
    ]
    readonly_fields = fields
    ordering = ["created_at"]


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):
    list_display = [
        "agency",
        "period",
        "status",
        be_column(QuarterlyReport, "submitted_at"),
        "days_late",
        be_column(QuarterlyReport, "decided_at"),
        be_column(QuarterlyReport, "updated_at"),
    ]
    list_filter = ["status", "period__fiscal_year", "period__quarter", "agency"]
    search_fields = ["agency__name_th", "agency__code"]
    list_select_related = ["agency", "period", "period__fiscal_year"]
    readonly_fields = [
        "agency",
        "period",
        "status",
        "version",
        be_column(QuarterlyReport, "submitted_at"),
        "submitted_by",
        be_column(QuarterlyReport, "first_submitted_at"),
        "days_late",
        be_column(QuarterlyReport, "decided_at"),
        "decided_by",
        "review_comment",
        "returned_snapshot",
        "approved_snapshot",
        "updated_by",
    ]
    inlines = [ReportEventInline]

    def has_add_permission(self, request):
        # Reports are created by agencies in the portal, where every change is recorded.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        be_column(ReportEvent, "created_at"),
        "report",
        "action",
        "from_status",
        "to_status",
        "actor",
    ]
    list_filter = ["action", "to_status"]
    search_fields = ["report__agency__name_th", "comment", "actor__username"]
    list_select_related = ["report__agency", "report__period__fiscal_year", "actor"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [be_column(ReminderLog, "sent_at"), "agency", "period", "stage", "recipients"]
    list_filter = ["stage", "period"]
    search_fields = ["agency__name_th", "agency__code", "recipients"]
    list_select_related = ["agency", "period__fiscal_year"]


@admin.register(AgencyReminder)
class AgencyReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [be_column(AgencyReminder, "sent_at"), "agency", "period", "sent_by", "recipients"]
    list_filter = ["period"]
    search_fields = ["agency__name_th", "agency__code", "recipients"]
    list_select_related = ["agency", "period__fiscal_year", "sent_by"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        be_column(Notice, "created_at"),
        "recipient",
        "kind",
        "agency",
        "period",
        "email",
        "read_at",
    ]
    list_filter = ["kind", "email", "period"]
    search_fields = ["recipient__username", "recipient__email", "agency__name_th", "agency__code"]
    list_select_related = ["recipient", "agency", "period__fiscal_year"]


@admin.register(DigestLog)
class DigestLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        be_column(DigestLog, "sent_at"),
        "covers_after_be",
        be_column(DigestLog, "covered_until"),
        "report_count",
        "recipients",
    ]

    @admin.display(
        description=DigestLog._meta.get_field("covers_after").verbose_name, ordering="covers_after"
    )
    def covers_after_be(self, log):
        if log.covers_after == DIGEST_START:
            return _("the first digest: every report waiting")
        return be_column(DigestLog, "covers_after")(log)


@admin.register(MeasureProgress)
class MeasureProgressAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["report", "measure", "status", "percent", be_column(MeasureProgress, "updated_at")]
    list_filter = ["status", "report__period"]
    search_fields = ["report__agency__name_th", "report__agency__code", "result"]
    list_select_related = ["report__agency", "report__period__fiscal_year", "measure__indicator"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Stored files have no URL (MEDIA_URL is None; they are served only by the permission-checked download
    # view), so the admin's own display of the file field cannot be used: it links through the download view.
    fields = [
        "progress",
        "kind",
        "url",
        "download",
        "content_type",
        "size",
        "description",
        "date",
        "created_by",
    ]
    readonly_fields = ["download"]
    list_display = [
        "progress",
        "kind",
        "description",
        "original_name",
        "url",
        be_column(Evidence, "created_at"),
    ]
    list_filter = ["kind"]
    search_fields = ["progress__report__agency__name_th", "description", "original_name", "url"]
    list_select_related = [
        "progress__report__agency",
        "progress__report__period__fiscal_year",
        "progress__measure",
    ]

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.kind != Evidence.Kind.FILE or not obj.file:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:evidence_download", args=[obj.pk]), obj.original_name
        )
