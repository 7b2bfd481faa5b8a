from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from linkcheck.models import Flip, Link, LinkOwner


class LinkOwnerInline(admin.TabularInline):
    model = LinkOwner
    extra = 0
    can_delete = False
    readonly_fields = ["owner"]

    def has_add_permission(self, request, obj=None):
        return False


class FlipInline(admin.TabularInline):
    model = Flip
    extra = 0
    can_delete = False
    readonly_fields = ["created", "old_status", "new_status", "status_code", "error", "notified_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    """Read-only: the monitor fills these from the portal's links on each `check_links` run."""

    list_display = ["url", "status", "broken_since", "last_checked_at", "last_status_code", "last_error"]
    list_filter = ["status", "last_error"]
    search_fields = ["url", "owners__owner"]
    date_hierarchy = "last_checked_at"
    inlines = [LinkOwnerInline, FlipInline]
    readonly_fields = [f.name for f in Link._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("broken since"))
    def broken_since(self, obj):
        return obj.broken_since
