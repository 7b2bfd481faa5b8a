"""Notices: telling people what happened to a report, in the portal and by e-mail.

    event        who is told                       e-mail
    returned     the agency's reporters            at once, with the reason and the per-measure comments
    reopened     the agency's reporters            at once, with the reason and the per-measure comments
    approved     the agency's reporters            at once
    submitted    the provincial reviewers          at once, or in the daily digest (SUBMISSION_NOTICES)
    reminder     the agency's reporters            at once ("remind this agency now", once a day)

One Notice row per recipient and event (unique), written in the same transaction as the event; the
e-mails go only after that transaction commits (`transaction.on_commit`). Each row is claimed before its
e-mail is sent (an UPDATE that only one sender wins), so nobody gets the same e-mail twice; a failed
e-mail is logged, marked failed and retried by the next `send_reminders` run, MAX_ATTEMPTS times at most.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from measures import thaidate
from reports.models import AgencyReminder, Notice, QuarterlyReport, ReportEvent
from reports.roles import REVIEW, SUBMIT, users_with_permission

logger = logging.getLogger(__name__)

Kind = Notice.Kind
Email = Notice.Email
Status = QuarterlyReport.Status

MAX_ATTEMPTS = 5
IMMEDIATE = "immediate"
DIGEST = "digest"

_KIND_BY_ACTION = {
    ReportEvent.Action.SUBMITTED: Kind.SUBMITTED,
    ReportEvent.Action.RETURNED: Kind.RETURNED,
    ReportEvent.Action.APPROVED: Kind.APPROVED,
    ReportEvent.Action.REOPENED: Kind.REOPENED,
}


def submissions_emailed_at_once() -> bool:
    """Reviewers are e-mailed each submission at once, instead of in the daily digest."""
    return settings.SUBMISSION_NOTICES == IMMEDIATE


def agency_reporters(agency):
    """The agency's reporters (active users with the submit permission and a membership of it)."""
    return users_with_permission(SUBMIT).filter(membership__agency=agency).order_by("pk")


def _email_state(user, *, wanted: bool = True) -> str:
    return Email.PENDING if wanted and user.email else Email.NONE


# --- writing notices ------------------------------------------------------------------------------------


def announce(event: ReportEvent) -> int:
    """Write the notices an event calls for and send their e-mails once the transaction commits.

    Called by the workflow with each event it records; events that tell nobody anything return 0.
    """
    kind = _KIND_BY_ACTION.get(event.action)
    if kind is None:
        return 0
    report = event.report
    if kind == Kind.SUBMITTED:
        users = users_with_permission(REVIEW).order_by("pk")
        wanted = submissions_emailed_at_once()
    else:
        users = agency_reporters(report.agency_id)
        wanted = True
    if event.actor_id is not None:
        users = users.exclude(pk=event.actor_id)
    notices = [
        Notice(
            recipient=user,
            kind=kind,
            agency_id=report.agency_id,
            period_id=report.period_id,
            report=report,
            event=event,
            reason=event.comment,
            email=_email_state(user, wanted=wanted),
        )
        for user in users
    ]
    Notice.objects.bulk_create(notices)
    if any(n.email == Email.PENDING for n in notices):
        transaction.on_commit(lambda: deliver(Notice.objects.filter(event=event)))
    return len(notices)


class AlreadyReminded(Exception):
    """The agency was already reminded about this period today."""


class NothingToRemind(Exception):
    """The agency's report of the period is submitted or approved already."""


@transaction.atomic
def remind_agency(*, agency, period, user) -> AgencyReminder:
    """A reviewer's "remind this agency now": notices to the agency's reporters, recorded, once a day."""
    report = QuarterlyReport.objects.filter(agency=agency, period=period).first()
    if report is not None and report.status in (Status.SUBMITTED, Status.APPROVED):
        raise NothingToRemind
    reporters = list(agency_reporters(agency))
    try:
        with transaction.atomic():
            reminder = AgencyReminder.objects.create(
                agency=agency,
                period=period,
                day=thaidate.today(),
                sent_by=user,
                recipients=", ".join(sorted({u.email for u in reporters if u.email})),
            )
    except IntegrityError as error:
        raise AlreadyReminded from error
    Notice.objects.bulk_create(
        [
            Notice(
                recipient=reporter,
                kind=Kind.REMINDER,
                agency=agency,
                period=period,
                report=report,
                reminder=reminder,
                email=_email_state(reporter),
            )
            for reporter in reporters
        ]
    )
    transaction.on_commit(lambda: deliver(Notice.objects.filter(reminder=reminder)))
    return reminder


# --- what a notice says -----------------------------------------------------------------------------------


def headline(notice: Notice) -> str:
    """One sentence for the notice list and the e-mail's subject, in the active language."""
    values = {"period": notice.period, "agency": notice.agency.name}
    return {
        Kind.SUBMITTED: _("%(agency)s submitted the report for %(period)s for review"),
        Kind.RETURNED: _("The report for %(period)s was returned for revision"),
        Kind.APPROVED: _("The report for %(period)s was approved"),
        Kind.REOPENED: _("The approved report for %(period)s was reopened for correction"),
        Kind.REMINDER: _("The provincial office asks you to submit the report for %(period)s"),
    }[notice.kind] % values


def target_path(notice: Notice) -> str:
    """Where the notice leads: the review page for reviewers, the report (or the agency home) for agencies."""
    if notice.kind == Kind.SUBMITTED and notice.report_id:
        return reverse("reports:review", args=[notice.report_id])
    if notice.report_id:
        return reverse("reports:report", args=[notice.report_id])
    return reverse("reports:agency_home")


def measure_comments(notice: Notice) -> list[tuple[str, str]]:
    """(measure code, reviewer's comment) pairs sent with a return or reopen."""
    if notice.event is None:
        return []
    comments = (notice.event.changes or {}).get("measure_comments") or {}
    return sorted(comments.items())


def _message(notice: Notice) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        subject = headline(notice)
        context = {
            "notice": notice,
            "headline": subject,
            "name": notice.recipient.get_full_name() or notice.recipient.username,
            "comments": measure_comments(notice),
            "due_date": thaidate.thai_date(notice.period.due_date),
            "link": settings.SITE_URL.rstrip("/") + target_path(notice),
            "portal_name": settings.PORTAL_NAME,
        }
        text = render_to_string("reports/email/notice.txt", context)
        html = render_to_string("reports/email/notice.html", context)
    message = EmailMultiAlternatives(
        f"[ITA] {subject}", text, settings.DEFAULT_FROM_EMAIL, [notice.recipient.email]
    )
    message.attach_alternative(html, "text/html")
    return message


# --- sending ---------------------------------------------------------------------------------------------


def deliver(notices) -> tuple[int, int]:
    """E-mail the notices of `notices` (a queryset) still to be sent or failed before; (sent, failed).

    Each row is claimed first (pending/failed -> sent, in one UPDATE on its current attempt count), so two
    senders at the same moment never both send it. A failure puts the row back to failed with the error.
    """
    sent = failed = 0
    to_send = notices.filter(email__in=[Email.PENDING, Email.FAILED], email_attempts__lt=MAX_ATTEMPTS)
    to_send = to_send.select_related("recipient", "agency", "period__fiscal_year", "event")
    for notice in to_send.order_by("pk"):
        claimed = Notice.objects.filter(
            pk=notice.pk, email=notice.email, email_attempts=notice.email_attempts
        ).update(email=Email.SENT, emailed_at=timezone.now(), email_attempts=F("email_attempts") + 1)
        if not claimed:
            continue
        try:
            _message(notice).send()
        except Exception as error:  # noqa: BLE001 - one failing address must not stop the others
            logger.exception("Notice %s e-mail to %s failed", notice.pk, notice.recipient.email)
            Notice.objects.filter(pk=notice.pk).update(
                email=Email.FAILED, emailed_at=None, email_error=str(error)[:1000]
            )
            failed += 1
            continue
        sent += 1
    return sent, failed


def retry_unsent() -> tuple[int, int]:
    """Send what is still owed (failed e-mails, or pending ones whose process stopped before sending)."""
    return deliver(Notice.objects.all())
