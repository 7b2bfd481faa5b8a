from django.contrib import admin

from audit.models import AdminChange
from measures.admin_dates import be_column


@admin.register(AdminChange)
class AdminChangeAdmin(admin.ModelAdmin):
    """Read-only: the history of administrators' changes is append-only."""

    list_display = [
        be_column(AdminChange, "at"),
        "actor_name",
        "actor_username",
        "action",
        "model_label",
        "object_repr",
    ]
    list_filter = ["action", "model_label"]
    search_fields = ["object_repr", "actor_username", "actor_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
