"""Admin for the readiness checklist (registered from oit/admin.py)."""

from django.contrib import admin

from oit.readiness.models import AnswerWindow, ChecklistAnswer, PortalPage


@admin.register(AnswerWindow)
class AnswerWindowAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "opens_on", "closes_on"]


@admin.register(PortalPage)
class PortalPageAdmin(admin.ModelAdmin):
    list_display = ["item", "page"]
    list_filter = ["item__fiscal_year", "page"]
    list_select_related = ["item"]


@admin.register(ChecklistAnswer)
class ChecklistAnswerAdmin(admin.ModelAdmin):
    """Read-only: agencies fill in their checklists on the checklist page."""

    list_display = ["agency", "item", "answer", "url", "updated_at", "updated_by"]
    list_filter = ["item__fiscal_year", "answer", "agency"]
    list_select_related = ["agency", "item", "updated_by"]
    search_fields = ["url", "explanation", "agency__name_th", "item__code"]
    readonly_fields = ["agency", "item", "answer", "url", "explanation", "updated_at", "updated_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
