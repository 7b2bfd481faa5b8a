from django.contrib import admin

from loginguard.models import LoginAlert, TrustedDevice
from measures.admin_dates import be_column


@admin.register(TrustedDevice)
class TrustedDeviceAdmin(admin.ModelAdmin):
    """Administrators withdraw a browser's trust by deleting it; nothing else is edited here."""

    list_display = [
        "user",
        be_column(TrustedDevice, "created_at"),
        be_column(TrustedDevice, "last_used_at"),
        "failures",
    ]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "failures"]
    readonly_fields = ["user", "failures"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LoginAlert)
class LoginAlertAdmin(admin.ModelAdmin):
    list_display = [be_column(LoginAlert, "sent_at"), "user", "kind", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["user__username", "ip_address"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
