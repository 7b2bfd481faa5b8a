"""What the operations side keeps in the database, so that no app server or worker keeps it in memory or on disk."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per background worker process (`manage.py run_worker`), touched every few seconds while it runs.

    /healthz?full=1 reads the newest `last_seen`; rows of workers gone for a day are removed by the workers.
    """

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    queues = models.CharField(_("queues"), max_length=255)
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)  # the newest beat, for /healthz?full=1

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.worker_id})"


class DataVersion(models.Model):
    """One row: a number raised after every committed transaction that changed what a page may show.

    Pages kept rendered whole (`ops.pagecache`) are keyed on it, so a page is never served from before the
    last change; see `ops.versions`. Never edited by hand.
    """

    n = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data version")

    def __str__(self):
        return str(self.n)
