from django.contrib import admin

from ops.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Which background workers are running, and when each last said so. Written by the workers only."""

    list_display = ["worker_id", "hostname", "pid", "queues", "started_at", "last_seen"]
    search_fields = ["worker_id", "hostname"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
