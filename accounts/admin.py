from django.contrib import admin, messages
from django.contrib.sessions.models import Session
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import UserSession


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    """Who is signed in, since when and from where; an administrator ends a session with the action."""

    list_display = ["user", "started_at", "last_seen_at", "expires", "ip_address", "user_agent"]
    list_filter = ["started_at"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email", "ip_address"]
    list_select_related = ["user", "session"]
    actions = ["end_sessions"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("sessions.delete_session") and not request.user.is_superuser:
            actions.pop("end_sessions", None)
        return actions

    @admin.display(description=_("expires"), ordering="session__expire_date")
    def expires(self, obj):
        return obj.session.expire_date

    @admin.action(description=_("End the selected sessions (sign the users out)"))
    def end_sessions(self, request, queryset):
        keys = list(queryset.values_list("session_id", flat=True))
        Session.objects.filter(session_key__in=keys).delete()  # their UserSession rows go with them
        self.message_user(
            request,
            ngettext("%(count)s session ended.", "%(count)s sessions ended.", len(keys))
            % {"count": len(keys)},
            messages.SUCCESS,
        )
