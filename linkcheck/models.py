"""Monitored URLs, their current state, and a Flip for every change of state (as healthchecks does).

A link is a URL some part of the portal uses (an evidence link, an OIT checklist answer). Its owners are
opaque strings chosen by the apps that register it (e.g. "agency:12"): the link monitor knows nothing of
agencies or reports. A check that fails raises `fail_count`; at LINKCHECK_FAILURES_TO_BREAK failures in a
row the link is broken and a Flip records the change. Checks that change nothing store nothing but the
link's own "last checked" columns.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    UNKNOWN = "unknown", _("Not checked yet")
    UP = "up", _("Working")
    DOWN = "down", _("Broken")


class Error(models.TextChoices):
    NONE = "", _("No error")
    HTTP = "http", _("The server answered with an error")
    TIMEOUT = "timeout", _("No answer in time")
    CONNECT = "connect", _("Could not connect to the server")
    TLS = "tls", _("Secure connection (TLS certificate) failed")
    REDIRECTS = "redirects", _("Too many redirects")
    INVALID = "invalid", _("Not a valid web address")
    OTHER = "other", _("The answer could not be read")


class LinkQuerySet(models.QuerySet):
    def broken(self):
        return self.filter(status=Status.DOWN)


class Link(models.Model):
    url = models.CharField(_("address"), max_length=2000, unique=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.UNKNOWN)
    fail_count = models.PositiveSmallIntegerField(_("failed checks in a row"), default=0)
    failing_since = models.DateTimeField(
        _("failing since"), null=True, blank=True, help_text=_("The first failed check of the current run.")
    )
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=10, choices=Error.choices, blank=True)
    last_detail = models.CharField(_("last error in detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("monitored since"), auto_now_add=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitored link")
        verbose_name_plural = _("monitored links")
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.DOWN) | Q(failing_since__isnull=False),
                name="%(app_label)s_%(class)s_broken_has_since",
                violation_error_message=_("A broken link needs the time it started failing."),
            ),
        ]
        indexes = [
            # check_links: the links due for a check (never checked, or checked before the interval).
            models.Index(fields=["last_checked_at"], name="linkcheck_link_due"),
        ]

    def __str__(self):
        return self.url

    @property
    def is_broken(self) -> bool:
        return self.status == Status.DOWN

    @property
    def broken_since(self):
        """When the link started failing, if it is broken (the first of the failed checks in a row)."""
        return self.failing_since if self.is_broken else None

    @property
    def reason(self) -> str:
        """The last failure in words: the HTTP status, or what went wrong."""
        if self.last_error == Error.HTTP and self.last_status_code:
            return f"HTTP {self.last_status_code}"
        return Error(self.last_error).label if self.last_error else ""

    def record(self, result, when, *, failures_to_break: int):
        """Apply one check's result (a `linkcheck.checker.Result`) at `when`; return the Flip to store when
        the state changed, else None. Saving is the caller's (one bulk update per batch)."""
        self.last_checked_at = when
        self.last_status_code = result.status_code
        self.last_error = result.error
        self.last_detail = result.detail[:500]
        if result.ok:
            self.fail_count = 0
            self.failing_since = None
            previous, self.status = self.status, Status.UP
            if previous == Status.DOWN:
                return Flip(link=self, created=when, old_status=previous, new_status=Status.UP)
            return None
        self.fail_count = min(self.fail_count + 1, 32767)
        if self.failing_since is None:
            self.failing_since = when
        if self.fail_count >= failures_to_break and self.status != Status.DOWN:
            previous, self.status = self.status, Status.DOWN
            return Flip(
                link=self,
                created=when,
                old_status=previous,
                new_status=Status.DOWN,
                status_code=result.status_code,
                error=result.error,
            )
        return None


class LinkOwner(models.Model):
    """Who uses a link: an opaque key from the app that registered it (e-mails go to owners)."""

    link = models.ForeignKey(Link, models.CASCADE, related_name="owners", verbose_name=_("link"))
    owner = models.CharField(_("owner"), max_length=100)

    class Meta:
        verbose_name = _("link owner")
        verbose_name_plural = _("link owners")
        ordering = ["owner", "link"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "owner"],
                name="%(app_label)s_%(class)s_once_per_link",
                violation_error_message=_("This owner already has this link."),
            ),
        ]
        indexes = [
            # api.broken_counts / broken_for_owner: an owner's links.
            models.Index(fields=["owner"], name="linkcheck_owner_owner"),
        ]

    def __str__(self):
        return f"{self.owner}: {self.link}"


class Flip(models.Model):
    """A change of a link's state, kept as history; a breakage is announced once (`notified_at`)."""

    link = models.ForeignKey(Link, models.CASCADE, related_name="flips", verbose_name=_("link"))
    created = models.DateTimeField(_("when"))
    old_status = models.CharField(_("from"), max_length=8, choices=Status.choices)
    new_status = models.CharField(_("to"), max_length=8, choices=Status.choices)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=10, choices=Error.choices, blank=True)
    notified_at = models.DateTimeField(_("owners told"), null=True, blank=True)

    class Meta:
        verbose_name = _("change of state")
        verbose_name_plural = _("changes of state")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_status=models.F("new_status")),
                name="%(app_label)s_%(class)s_changes_state",
                violation_error_message=_("A change of state goes from one state to another."),
            ),
        ]
        indexes = [
            # services.notify_breakages: breakages nobody has been told of yet.
            models.Index(
                fields=["created"],
                condition=Q(new_status=Status.DOWN, notified_at__isnull=True),
                name="linkcheck_flip_unannounced",
            ),
        ]

    def __str__(self):
        return f"{self.link} {self.old_status} → {self.new_status}"
