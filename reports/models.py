"""Quarterly reporting: one report per agency and period, one progress entry per measure,
evidence (links and files), and an append-only history of every save and transition.

Every query that reaches a user goes through `for_user()` on these models' querysets, so an
agency sees only its own data and a forgotten check fails closed.
"""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from measures import thaidate
from measures.models import Agency, Measure, ReportingPeriod
from reports import roles


def _scope(queryset, user, agency_path: str):
    """Narrow a queryset to what `user` may read: everything for reviewers/admins, their own agency's for
    its reporters, nothing for anyone else (an agency membership alone, without the reporter role, reads
    nothing: taking someone out of the reporter group must take their access away)."""
    if not user.is_authenticated:
        return queryset.none()
    if roles.can_view_all(user):
        return queryset
    if not roles.can_report(user):
        return queryset.none()
    return queryset.filter(**{agency_path: roles.user_agency(user)})


class QuarterlyReportQuerySet(models.QuerySet):
    def for_user(self, user):
        return _scope(self, user, "agency")


class QuarterlyReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="reports", verbose_name=_("agency"))
    period = models.ForeignKey(
        ReportingPeriod, models.PROTECT, related_name="reports", verbose_name=_("reporting period")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every save; a save from an older version is refused.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last saved by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    first_submitted_at = models.DateTimeField(
        _("first submitted"),
        null=True,
        blank=True,
        help_text=_("When the agency first sent this report; kept through returns and resubmissions."),
    )
    days_late = models.PositiveSmallIntegerField(
        _("days late"),
        null=True,
        blank=True,
        help_text=_(
            "How many days after the period's due date (Asia/Bangkok) the report was first submitted; "
            "0 when on time, empty until it is submitted."
        ),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    review_comment = models.TextField(
        _("reviewer's comment"), blank=True, help_text=_("The reason given with the latest return or reopen.")
    )
    returned_snapshot = models.JSONField(
        _("snapshot at return"),
        null=True,
        blank=True,
        help_text=_("What the agency had sent when it was returned."),
    )
    approved_snapshot = models.JSONField(
        _("snapshot at approval"), null=True, blank=True, help_text=_("What was approved, frozen.")
    )

    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["period__fiscal_year__year", "period__quarter", "agency__order", "agency__code"]
        permissions = [
            ("submit_quarterlyreport", _("Can edit and submit own agency's reports")),
            ("review_quarterlyreport", _("Can approve, return and reopen reports")),
            ("view_all_quarterlyreport", _("Can read every agency's reports and dashboards")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period"],
                name="%(app_label)s_%(class)s_one_per_agency_period",
                violation_error_message=_("This agency already has a report for this period."),
            ),
        ]
        indexes = [
            # The review inbox and dashboard: reports of one period by status.
            models.Index(fields=["period", "status"], name="reports_qr_period_status"),
        ]

    def __str__(self):
        return f"{self.agency} – {self.period}"

    def get_absolute_url(self):
        return reverse("reports:report", args=[self.pk])

    @property
    def is_editable_by_agency(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def submitted_on_time(self) -> bool | None:
        """True when first submitted by the due date, False when late, None while never submitted."""
        return None if self.days_late is None else self.days_late == 0

    def record_first_submission(self, when: datetime.datetime) -> bool:
        """Set `first_submitted_at` and `days_late` on the first submission only; True when it was the first.

        Late is counted in whole days against the period's due date in Asia/Bangkok: submitted on the due
        day (until midnight in Thailand) is on time, the day after is one day late.
        """
        if self.first_submitted_at is not None:
            return False
        self.first_submitted_at = when
        self.days_late = days_late(self.period.due_date, when)
        return True


def days_late(due_date: datetime.date, when: datetime.datetime) -> int:
    """Whole days between the due date and `when`'s date in Asia/Bangkok; 0 on or before the due date."""
    return max(0, (when.astimezone(thaidate.BANGKOK).date() - due_date).days)


class MeasureProgressQuerySet(models.QuerySet):
    def for_user(self, user):
        return _scope(self, user, "report__agency")


class MeasureProgress(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    # What an agency reports per measure, in the order the report page asks for it, each with the name that
    # diffs, conflicts, history lines and exports give it (the report page's form asks in longer words).
    REPORTED_FIELDS = {
        "status": _("Implementation status"),
        "result": _("Results"),
        "obstacles": _("Obstacles and suggestions"),
        "percent": _("Percent complete"),
    }

    report = models.ForeignKey(
        QuarterlyReport, models.CASCADE, related_name="progress", verbose_name=_("report")
    )
    measure = models.ForeignKey(Measure, models.PROTECT, related_name="progress", verbose_name=_("measure"))
    status = models.CharField(
        _("implementation status"), max_length=12, choices=Status.choices, blank=True, default=""
    )
    result = models.TextField(_("results (ผลการดำเนินการ)"), blank=True)
    obstacles = models.TextField(_("obstacles and suggestions (ปัญหาอุปสรรค/ข้อเสนอแนะ)"), blank=True)
    percent = models.PositiveSmallIntegerField(_("percent complete"), null=True, blank=True)
    reviewer_comment = models.TextField(_("reviewer's comment on this measure"), blank=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = MeasureProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure progress")
        verbose_name_plural = _("measure progress")
        ordering = ["report", "measure__indicator__number", "measure__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "measure"],
                name="%(app_label)s_%(class)s_one_per_measure",
                violation_error_message=_("This report already has an entry for this measure."),
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | (Q(percent__gte=0) & Q(percent__lte=100)),
                name="%(app_label)s_%(class)s_percent_0_to_100",
                violation_error_message=_("The percentage must be between 0 and 100."),
            ),
        ]
        indexes = [
            # Dashboard and rounds (reports/dashboard/selectors.py): measures done per period and measure over a year's
            # reports (trend, progress per indicator) and per agency (matrix cells). Only the "done" rows,
            # with the measure in the index, so PostgreSQL answers with an index-only scan per report.
            models.Index(
                fields=["report", "measure"], condition=Q(status="done"), name="reports_mp_done_by_report"
            ),
        ]

    def __str__(self):
        return f"{self.report} – {self.measure.code}"


def evidence_upload_to(instance, filename: str) -> str:
    """A random stored name; the original name is kept in `original_name`."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class EvidenceQuerySet(models.QuerySet):
    def for_user(self, user):
        return _scope(self, user, "progress__report__agency")


class Evidence(models.Model):
    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        FILE = "file", _("File")

    progress = models.ForeignKey(
        MeasureProgress, models.CASCADE, related_name="evidence", verbose_name=_("measure progress")
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "The agency allows this file to be downloaded from the public results page once the report is "
            "approved. Links are always shown with the approved results."
        ),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["progress", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="") & Q(file=""))
                | (Q(kind="file") & ~Q(file="") & Q(url="")),
                name="%(app_label)s_%(class)s_link_xor_file",
                violation_error_message=_("Evidence is either a link or a file."),
            ),
        ]

    def __str__(self):
        return self.description or self.original_name or self.url


class ReportEventQuerySet(models.QuerySet):
    def for_user(self, user):
        return _scope(self, user, "report__agency")


class ReportEvent(models.Model):
    """Append-only history of a report: who did what, when, from which status to which."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        PREFILLED = "prefilled", _("Pre-filled from the previous quarter")
        SAVED = "saved", _("Saved")
        EVIDENCE_ADDED = "evidence_added", _("Evidence added")
        EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")
        MEASURES_ADDED = "measures_added", _("Measures added to the plan")
        # Actions, not statuses: "ส่งรายงาน" in the history, where the status reads "ส่งแล้ว รอตรวจ".
        SUBMITTED = "submitted", pgettext_lazy("report event", "Submitted")
        RETURNED = "returned", pgettext_lazy("report event", "Returned for revision")
        APPROVED = "approved", pgettext_lazy("report event", "Approved")
        REOPENED = "reopened", _("Reopened")

    report = models.ForeignKey(
        QuarterlyReport, models.CASCADE, related_name="events", verbose_name=_("report")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=10, choices=QuarterlyReport.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=QuarterlyReport.Status.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    changes = models.JSONField(_("what changed"), default=dict, blank=True)

    objects = ReportEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report history")
        ordering = ["report", "created_at", "pk"]

    def __str__(self):
        return f"{self.report} – {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Report history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Report history is append-only.")


class ReminderLog(models.Model):
    """One reminder e-mail per agency, period and stage, so `send_reminders` is idempotent."""

    class Stage(models.TextChoices):
        DUE_IN_7 = "due_7", _("Due in 7 days")
        DUE_TOMORROW = "due_1", _("Due tomorrow")
        OVERDUE = "overdue", _("Overdue")

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="reminders", verbose_name=_("agency"))
    period = models.ForeignKey(
        ReportingPeriod, models.CASCADE, related_name="reminders", verbose_name=_("reporting period")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period", "stage"],
                name="%(app_label)s_%(class)s_once_per_stage",
                violation_error_message=_("This reminder was already sent."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.period} – {self.get_stage_display()}"


# What the first digest "covers after": earlier than any submission (a fixed value, so the unique constraint
# below also holds for the first digest; NULLs would never collide).
DIGEST_START = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class DigestLog(models.Model):
    """Reviewer digests sent: which submissions were already announced.

    Each digest covers the submissions after the previous digest's cut-off up to its own. `covers_after` is
    unique, so two runs of `send_reminders` at the same moment (two hosts, a retried cron job) cannot both
    announce the same submissions: the second insert fails and that run sends nothing.
    """

    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    covers_after = models.DateTimeField(_("covers submissions after"), unique=True)
    covered_until = models.DateTimeField(_("covers submissions up to"))
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("reviewer digest sent")
        verbose_name_plural = _("reviewer digests sent")
        ordering = ["-sent_at"]

    def __str__(self):
        return str(self.sent_at)


class AgencyReminder(models.Model):
    """A reviewer's "remind this agency now": at most one a day (Asia/Bangkok) per agency and period."""

    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="manual_reminders", verbose_name=_("agency")
    )
    period = models.ForeignKey(
        ReportingPeriod, models.CASCADE, related_name="manual_reminders", verbose_name=_("reporting period")
    )
    day = models.DateField(_("day (Asia/Bangkok)"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("reminder sent by a reviewer")
        verbose_name_plural = _("reminders sent by reviewers")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period", "day"],
                name="%(app_label)s_%(class)s_once_a_day",
                violation_error_message=_("This agency was already reminded about this period today."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.period} – {self.day}"


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user's own notices, nobody else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """Something a user should know about a report: shown in the portal until read, and e-mailed.

    One row per recipient and event (or reviewer's reminder), so nobody is told the same thing twice; the
    e-mail's state is kept on the row, so a failed e-mail is retried by the next `send_reminders`.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Report submitted for review")
        RETURNED = "returned", _("Report returned for revision")
        APPROVED = "approved", _("Report approved")
        REOPENED = "reopened", _("Approved report reopened")
        REMINDER = "reminder", _("Reminder from the provincial office")

    class Email(models.TextChoices):
        PENDING = "pending", _("to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, to be retried")
        NONE = "none", _("not by e-mail")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notices", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="notices", verbose_name=_("agency"))
    period = models.ForeignKey(
        ReportingPeriod, models.CASCADE, related_name="notices", verbose_name=_("reporting period")
    )
    report = models.ForeignKey(
        QuarterlyReport,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("report"),
    )
    event = models.ForeignKey(
        ReportEvent, models.CASCADE, null=True, blank=True, related_name="notices", verbose_name=_("event")
    )
    reminder = models.ForeignKey(
        AgencyReminder,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("reminder"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email = models.CharField(_("e-mail"), max_length=7, choices=Email.choices, default=Email.PENDING)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.TextField(_("last e-mail error"), blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"],
                condition=Q(event__isnull=False),
                name="%(app_label)s_%(class)s_once_per_event",
                violation_error_message=_("This user was already told about this event."),
            ),
            models.UniqueConstraint(
                fields=["reminder", "recipient"],
                condition=Q(reminder__isnull=False),
                name="%(app_label)s_%(class)s_once_per_reminder",
                violation_error_message=_("This user was already sent this reminder."),
            ),
        ]
        indexes = [
            # The header's unread count and the agency home's list: a user's unread notices.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="reports_notice_unread",
            ),
            # send_reminders' retry: e-mails still to be sent or that failed.
            models.Index(
                fields=["created_at"],
                condition=Q(email__in=["pending", "failed"]),
                name="reports_notice_to_email",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} – {self.get_kind_display()} – {self.period}"

    def get_absolute_url(self):
        return reverse("reports:notice", args=[self.pk])
