from django.contrib import admin

from transparency.models import OpenDataSettings


@admin.register(OpenDataSettings)
class OpenDataSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "licence", "publisher", "updated_at"]
    fields = ["licence", "publisher", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        # One row of settings.
        return super().has_add_permission(request) and not OpenDataSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
