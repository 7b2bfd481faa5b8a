"""Deadline reminders to agencies and the reviewers' digest of new submissions (`manage.py send_reminders`).

Run once a day from cron. The rule, by days left until a period's due date (today in Asia/Bangkok):

    stage     days left                   meaning
    due_7     2 … 7                       due within a week
    due_1     0 … 1                       due tomorrow (or today, if yesterday's run was missed)
    overdue   -OVERDUE_WINDOW_DAYS … -1   past due

Each stage goes at most once per agency and period (ReminderLog is unique on agency, period, stage), to
every active agency whose report of the period is not submitted or approved. A run that missed some days
sends the stage the agency is in now, never one already past: nobody gets "due in 7 days" the day before
the deadline. Overdue reminders stop OVERDUE_WINDOW_DAYS after the due date, so the first run on a new
installation does not mail about periods closed long ago. Running twice a day sends nothing new.

Reminders go to the agency's reporters (users of the agency with the submit permission and an e-mail
address) and to the agency's contact address. Reviewers (the review permission and an e-mail address) get
one digest of the reports submitted since the previous digest; with nothing new there is no digest.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures import thaidate
from measures.models import Agency, Measure, ReportingPeriod
from reports.models import DIGEST_START, DigestLog, QuarterlyReport, ReminderLog
from reports.notices import services as notices
from reports.roles import REVIEW, reporter_memberships, users_with_permission

logger = logging.getLogger(__name__)

Stage = ReminderLog.Stage
Status = QuarterlyReport.Status

WEEK_DAYS = 7
OVERDUE_WINDOW_DAYS = 30


def stage_for(days_left: int) -> str | None:
    """The reminder stage for a report due in `days_left` days (negative: overdue), or None."""
    if -OVERDUE_WINDOW_DAYS <= days_left < 0:
        return Stage.OVERDUE
    if 0 <= days_left <= 1:
        return Stage.DUE_TOMORROW
    if 1 < days_left <= WEEK_DAYS:
        return Stage.DUE_IN_7
    return None


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _url_or_none(name: str, *args) -> str | None:
    try:
        return _absolute(reverse(name, args=args))
    except NoReverseMatch:
        return None


# --- reminders -------------------------------------------------------------------------------------------


@dataclass
class Reminder:
    agency: Agency
    period: ReportingPeriod
    stage: str
    days_left: int
    recipients: list

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label


def due_reminders(today: datetime.date) -> list[Reminder]:
    """Reminders owed today and not sent yet: a query for the periods, then one per period in the window
    (a handful) for its agencies, with their reporters prefetched."""
    has_plan = Exists(Measure.objects.filter(indicator__fiscal_year=OuterRef("fiscal_year")))
    periods = (
        ReportingPeriod.objects.filter(
            due_date__gte=today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS),
            due_date__lte=today + datetime.timedelta(days=WEEK_DAYS),
        )
        .filter(has_plan)
        .select_related("fiscal_year")
        .order_by("due_date", "pk")
    )
    reminders = []
    for period in periods:
        days_left = period.days_until_due(today)
        stage = stage_for(days_left)
        if stage is None:
            continue
        sent_in = QuarterlyReport.objects.filter(
            agency=OuterRef("pk"), period=period, status__in=[Status.SUBMITTED, Status.APPROVED]
        )
        reminded = ReminderLog.objects.filter(agency=OuterRef("pk"), period=period, stage=stage)
        agencies = (
            Agency.objects.active()
            .exclude(Exists(sent_in))
            .exclude(Exists(reminded))
            .order_by("order", "code")
            .prefetch_related(Prefetch("members", queryset=reporter_memberships(), to_attr="reporters"))
        )
        for agency in agencies:
            addresses = [m.user.email for m in agency.reporters]
            if agency.email:
                addresses.append(agency.email)
            recipients = sorted({a.strip().lower() for a in addresses if a.strip()})
            reminders.append(Reminder(agency, period, stage, days_left, recipients))
    return reminders


def _headline(reminder: Reminder) -> tuple[str, str]:
    """(subject, first sentence) of a reminder, in the active language."""
    values = {
        "period": reminder.period,
        "due": thaidate.thai_date(reminder.period.due_date),
        "days": abs(reminder.days_left),
    }
    if reminder.stage == Stage.OVERDUE:
        subject = _("The report for %(period)s is overdue") % values
        sentence = ngettext(
            "The report for %(period)s was due on %(due)s, %(days)s day ago, and has not been submitted yet.",
            "The report for %(period)s was due on %(due)s, %(days)s days ago, and has not been submitted yet.",
            values["days"],
        )
    elif reminder.days_left == 0:
        subject = _("The report for %(period)s is due today") % values
        sentence = _("The report for %(period)s is due today, %(due)s.")
    elif reminder.days_left == 1:
        subject = _("The report for %(period)s is due tomorrow") % values
        sentence = _("The report for %(period)s is due tomorrow, %(due)s.")
    else:
        subject = _("The report for %(period)s is due on %(due)s") % values
        sentence = ngettext(
            "The report for %(period)s is due on %(due)s, in %(days)s day.",
            "The report for %(period)s is due on %(due)s, in %(days)s days.",
            values["days"],
        )
    return subject, sentence % values


def _reminder_message(reminder: Reminder) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        subject, headline = _headline(reminder)
        context = {
            "agency": reminder.agency,
            "period": reminder.period,
            "headline": headline,
            "due_date": thaidate.thai_date(reminder.period.due_date),
            "link": _absolute(reverse("reports:agency_home")),
            "portal_name": settings.PORTAL_NAME,
        }
        text = render_to_string("reports/email/reminder.txt", context)
        html = render_to_string("reports/email/reminder.html", context)
    message = EmailMultiAlternatives(
        f"[ITA] {subject}", text, settings.DEFAULT_FROM_EMAIL, reminder.recipients
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class ReminderResult:
    sent: list = field(default_factory=list)  # Reminder
    no_recipient: list = field(default_factory=list)  # Reminder
    failed: list = field(default_factory=list)  # (Reminder, exception)
    already_sent: int = 0


def send_reminders(today: datetime.date | None = None, *, dry_run: bool = False) -> ReminderResult:
    """Send every reminder owed on `today`, each at most once (see the module docstring for the rule)."""
    today = today or thaidate.today()
    result = ReminderResult()
    for reminder in due_reminders(today):
        if not reminder.recipients:
            result.no_recipient.append(reminder)
            continue
        if dry_run:
            result.sent.append(reminder)
            continue
        # The log row and the e-mail together: if sending fails the row is rolled back and the next run
        # tries again; if another run got there first, get_or_create finds its row and nothing is sent.
        try:
            with transaction.atomic():
                _log, created = ReminderLog.objects.get_or_create(
                    agency=reminder.agency,
                    period=reminder.period,
                    stage=reminder.stage,
                    defaults={"recipients": ", ".join(reminder.recipients)},
                )
                if created:
                    _reminder_message(reminder).send()
        except Exception as error:  # noqa: BLE001 - one failing address must not stop the other agencies
            logger.exception("Reminder %s to %s failed", reminder.stage, reminder.agency.code)
            result.failed.append((reminder, error))
            continue
        if created:
            result.sent.append(reminder)
        else:
            result.already_sent += 1
    return result


# --- the reviewers' digest -------------------------------------------------------------------------------


@dataclass
class DigestResult:
    reports: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    sent: bool = False
    already_sent: bool = False  # another run sent this digest at the same moment
    immediate: bool = False  # SUBMISSION_NOTICES=immediate: reviewers had each submission at once


def _review_link():
    """Per report: the review page if installed, else the report page, else nothing (decided once)."""
    for name in ("reports:review", "reports:report"):
        if _url_or_none(name, 0) is not None:
            return lambda pk, name=name: _absolute(reverse(name, args=[pk]))
    return lambda pk: None


def last_cut_off() -> datetime.datetime:
    """Where the next digest starts: the previous digest's cut-off, or DIGEST_START before the first."""
    last = DigestLog.objects.order_by("-covered_until").values_list("covered_until", flat=True).first()
    return last or DIGEST_START


def new_submissions(now: datetime.datetime, after: datetime.datetime | None = None) -> list:
    """Reports waiting for review that were submitted after `after` (default: the last digest's cut-off)
    and up to `now`, oldest first."""
    after = last_cut_off() if after is None else after
    reports = QuarterlyReport.objects.filter(
        status=Status.SUBMITTED, submitted_at__gt=after, submitted_at__lte=now
    )
    return list(reports.select_related("agency", "period__fiscal_year").order_by("submitted_at", "pk"))


def _digest_message(reports, recipients, now) -> EmailMultiAlternatives:
    link = _review_link()
    items = [
        {"report": r, "submitted": thaidate.thai_datetime(r.submitted_at), "url": link(r.pk)} for r in reports
    ]
    context = {
        "items": items,
        "count": len(items),
        "date": thaidate.thai_date(now),
        "inbox": _url_or_none("reports:review_inbox") or _url_or_none("reports:dashboard"),
        "portal_name": settings.PORTAL_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(count)s new report submitted for review",
            "%(count)s new reports submitted for review",
            len(items),
        ) % {"count": len(items)}
        text = render_to_string("reports/email/digest.txt", context)
        html = render_to_string("reports/email/digest.html", context)
    message = EmailMultiAlternatives(f"[ITA] {subject}", text, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach_alternative(html, "text/html")
    return message


def send_digest(now: datetime.datetime | None = None, *, dry_run: bool = False) -> DigestResult:
    """E-mail reviewers the reports submitted since the last digest, and log the new cut-off.

    Nothing new: no e-mail and no log. No reviewer with an e-mail address: nothing is sent or logged, so the
    submissions are announced once someone can receive them. Two runs at the same moment: the log row is
    unique on where it starts (`covers_after`), so only one of them inserts it and sends; the other finds
    the row taken (on PostgreSQL it waits for the first to commit) and sends nothing.
    """
    now = now or timezone.now()
    if notices.submissions_emailed_at_once():
        return DigestResult(immediate=True)  # each submission was e-mailed when it came in
    after = last_cut_off()
    result = DigestResult(reports=new_submissions(now, after))
    result.recipients = sorted(
        set(users_with_permission(REVIEW).exclude(email="").values_list("email", flat=True))
    )
    if not result.reports or not result.recipients or dry_run:
        return result
    with transaction.atomic():
        try:
            with transaction.atomic():
                DigestLog.objects.create(
                    covers_after=after,
                    covered_until=now,
                    report_count=len(result.reports),
                    recipients=", ".join(result.recipients),
                )
        except IntegrityError:
            logger.info("Reviewer digest after %s was sent by another run at the same time", after)
            result.already_sent = True
            return result
        _digest_message(result.reports, result.recipients, now).send()
    result.sent = True
    return result
