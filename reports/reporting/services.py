"""What an agency does to its report: save progress, start from last quarter, add and remove evidence.

Each write is one transaction that locks the report row, checks that the user reports for the report's agency
and that the report is still editable (draft or returned), writes, and records one ReportEvent. Transitions
(submit, return, approve, reopen) live in `reports.workflow`; this module uses its helpers and never
re-implements them.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures import thaidate
from measures.models import FiscalYear, Measure, ReportingPeriod
from reports import history, roles, workflow
from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent
from reports.reporting.merge import comparable

Action = ReportEvent.Action
REPORTED_FIELDS = MeasureProgress.REPORTED_FIELDS


# --- who may change a report -----------------------------------------------------------------------------


def _lock_for_agency_edit(report: QuarterlyReport, user) -> QuarterlyReport:
    """Lock the report row and check that `user` may change it now. Call inside a transaction."""
    locked = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    roles.REPORTER.check(user, locked.agency_id)
    if not locked.is_editable_by_agency:
        raise workflow.WorkflowError(
            _("This report is “%(status)s” and can no longer be changed by the agency.")
            % {"status": locked.get_status_display()},
            code="not_editable",
        )
    return locked


def reporting_years(agency) -> tuple[list, FiscalYear | None]:
    """The fiscal years an agency's reporter is offered, newest first — the active year when it has measures,
    and the years the agency already has reports in (to read them); a year without measures, or one being
    prepared but not active, is not offered — and the active year. Two or three queries."""
    active = FiscalYear.objects.active()
    has_report = Exists(QuarterlyReport.objects.filter(agency=agency, period__fiscal_year=OuterRef("pk")))
    years = list(
        FiscalYear.objects.with_measures()
        .filter(Q(pk=active.pk if active else None) | Q(has_report))
        .order_by("-year")
    )
    return years, active


def is_open_for_reporting(fiscal_year_id) -> bool:
    """New reports are started only in the active fiscal year."""
    active = FiscalYear.objects.active()
    return active is not None and active.pk == fiscal_year_id


def join_new_measures(report: QuarterlyReport, user) -> int:
    """Give an editable report the rows of measures added to the plan since it was started, when one of its
    agency's reporters opens it, so the page shows every measure to report on (and the history says which
    joined). One query when nothing is missing; returns how many rows were added."""
    if not (report.is_editable_by_agency and roles.REPORTER.allows(user, report.agency_id)):
        return 0
    missing = (
        Measure.objects.filter(indicator__fiscal_year__periods=report.period_id)
        .for_agency(report.agency_id)
        .exclude(progress__report=report)
    )
    if not missing.exists():
        return 0
    try:
        with transaction.atomic():
            return workflow.add_missing_progress(_lock_for_agency_edit(report, user), user)
    except (PermissionDenied, workflow.WorkflowError):
        return 0  # submitted (or the user's role changed) a moment ago: the page shows the report as it is


# --- saving ----------------------------------------------------------------------------------------------


@dataclass
class SaveResult:
    changes: dict = field(default_factory=dict)
    event: ReportEvent | None = None
    version: int | None = None  # the report's version after this save: what the user has now seen

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@transaction.atomic
def save_progress(report: QuarterlyReport, user, version: int, forms, *, require_current=False) -> SaveResult:
    """Write what changed in the measures' forms, if the report is still at `version`.

    `forms` are valid MeasureProgressForms of this report (measures added to the plan since it was started get
    their empty rows first, see `workflow.add_missing_progress`). Only fields whose value differs from the database
    are written; one SAVED event lists them per measure code ({code: {field: {"old", "new"}}}). When nothing
    differs, nothing is written (no version bump, no event). When someone else saved since `version`,
    `workflow.ConcurrentEditError` is raised and nothing is written. With `require_current` (before a
    submission), a page opened at an older version is refused even when it changed nothing, so nobody
    submits text they have not seen.
    """
    locked = _lock_for_agency_edit(report, user)
    # Measures added to the plan since the report was started join it now, so it is never submitted without
    # them (they are empty, so the submission that follows is refused and shows them).
    workflow.add_missing_progress(locked, user)
    current = {p.pk: p for p in locked.progress.select_related("measure__indicator")}
    changes: dict[str, dict] = {}
    dirty: list[tuple[MeasureProgress, list[str]]] = []
    for form in forms:
        progress = current.get(form.instance.pk)
        if progress is None:
            raise ValueError(f"Progress {form.instance.pk} is not part of report {report.pk}.")
        fields = {}
        for name, new in form.values().items():
            old = getattr(progress, name)
            if comparable(name, old) != comparable(name, new):
                fields[name] = history.history_change(name, old, new)
                setattr(progress, name, new)
        if fields:
            changes[progress.measure.code] = fields
            dirty.append((progress, list(fields)))
    if not changes:
        if require_current and locked.version != version:
            workflow.claim_version(locked, version, user)  # refuses: the version has moved on
        return SaveResult(version=locked.version)
    workflow.claim_version(locked, version, user)
    now = timezone.now()
    for progress, _names in dirty:
        progress.updated_at = now
    # One UPDATE however many measures changed; each row gets its own (unchanged or new) values.
    names = sorted({name for _progress, changed in dirty for name in changed})
    MeasureProgress.objects.bulk_update([p for p, _names in dirty], [*names, "updated_at"])
    event = history.record_event(locked, user, Action.SAVED, changes=changes)
    report.version = locked.version
    return SaveResult(changes=changes, event=event, version=locked.version)


# --- start from last quarter -----------------------------------------------------------------------------


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    """The quarter before `period`: Q-1 of the same fiscal year, or Q4 of the year before for Q1."""
    if period.quarter > 1:
        year, quarter = period.fiscal_year.year, period.quarter - 1
    else:
        year, quarter = period.fiscal_year.year - 1, 4
    return (
        ReportingPeriod.objects.select_related("fiscal_year")
        .filter(fiscal_year__year=year, quarter=quarter)
        .first()
    )


def previous_report(report: QuarterlyReport) -> QuarterlyReport | None:
    period = previous_period(report.period)
    if period is None:
        return None
    return (
        QuarterlyReport.objects.select_related("period__fiscal_year")
        .filter(agency_id=report.agency_id, period=period)
        .first()
    )


def _is_empty(progress: MeasureProgress) -> bool:
    return not (progress.status or progress.result.strip() or progress.obstacles.strip()) and (
        progress.percent is None
    )


def _all_empty(progress_list) -> bool:
    return all(_is_empty(p) and not p.evidence.all() for p in progress_list)


def can_prefill(report: QuarterlyReport, progress_list) -> bool:
    """Offered only while every measure is still empty and has no evidence (so nothing is overwritten), and
    only when the agency has a previous quarter's report to start from (one query, asked only then)."""
    if not _all_empty(progress_list):
        return False
    period = previous_period(report.period)
    return (
        period is not None
        and QuarterlyReport.objects.filter(agency_id=report.agency_id, period=period).exists()
    )


def unchanged_from_previous(report: QuarterlyReport) -> list[MeasureProgress]:
    """Measures whose entries are exactly last quarter's (copied and left as they were): asked about before
    they are submitted as this quarter's. Two queries."""
    source = previous_report(report)
    if source is None:
        return []
    before = {_plan_key(p.measure): p for p in source.progress.select_related("measure__indicator")}
    same = []
    for progress in report.progress.select_related("measure__indicator").order_by(
        "measure__indicator__number", "measure__order"
    ):
        origin = before.get(_plan_key(progress.measure))
        if origin is None or _is_empty(progress):
            continue
        if all(
            comparable(f, getattr(progress, f)) == comparable(f, getattr(origin, f)) for f in REPORTED_FIELDS
        ):
            same.append(progress)
    return same


def _plan_key(measure) -> tuple[int, int]:
    """Measures match across quarters (and across fiscal years for Q1) by indicator number and order."""
    return (measure.indicator.number, measure.order)


@transaction.atomic
def prefill_from_previous(report: QuarterlyReport, user) -> int:
    """Copy status, results, obstacles, percent and link evidence from the agency's previous quarter into the
    measures that are still empty (no entry, no evidence): nothing typed is ever replaced.

    Files are not copied (they belong to the quarter they were uploaded for). Returns how many measures were
    filled; records a PREFILLED event. Refused when no measure is empty any more.
    """
    locked = _lock_for_agency_edit(report, user)
    progress = list(locked.progress.select_related("measure__indicator").prefetch_related("evidence"))
    progress = [p for p in progress if _is_empty(p) and not p.evidence.all()]
    if not progress:
        raise workflow.WorkflowError(
            _("This report already has entries, so it cannot be filled from last quarter."),
            code="not_empty",
        )
    source = previous_report(locked)
    if source is None:
        raise workflow.WorkflowError(
            _("There is no report of your agency for the previous quarter to start from."),
            code="no_previous",
        )
    source_rows = {
        _plan_key(p.measure): p
        for p in source.progress.select_related("measure__indicator").prefetch_related("evidence")
    }
    changes: dict[str, dict] = {}
    new_evidence = []
    for target in progress:
        origin = source_rows.get(_plan_key(target.measure))
        if origin is None or _is_empty(origin):
            continue
        fields = {}
        for name in REPORTED_FIELDS:
            value = getattr(origin, name)
            if comparable(name, value) != comparable(name, getattr(target, name)):
                fields[name] = history.history_change(name, getattr(target, name), value)
                setattr(target, name, value)
        links = [e for e in origin.evidence.all() if e.kind == Evidence.Kind.LINK]
        for link in links:
            new_evidence.append(
                Evidence(
                    progress=target,
                    kind=Evidence.Kind.LINK,
                    url=link.url,
                    description=link.description,
                    date=link.date,
                    created_by=user,
                )
            )
        if links:
            fields["evidence"] = {"added": [history.evidence_label(e) for e in links], "removed": []}
        if fields:
            target.save(update_fields=[*REPORTED_FIELDS, "updated_at"])
            changes[target.measure.code] = fields
    if not changes:
        raise workflow.WorkflowError(
            _("Last quarter's report (%(period)s) has nothing filled in yet.") % {"period": source.period},
            code="previous_empty",
        )
    Evidence.objects.bulk_create(new_evidence)
    workflow.claim_version(locked, locked.version, user)
    history.record_event(
        locked,
        user,
        Action.PREFILLED,
        comment=_("From the report of %(period)s") % {"period": source.period},
        changes=changes,
    )
    report.version = locked.version
    return len(changes)


# --- evidence --------------------------------------------------------------------------------------------


def _evidence_event(report, user, action, evidence, added: bool):
    label = history.evidence_label(evidence)
    change = {"added": [label], "removed": []} if added else {"added": [], "removed": [label]}
    history.record_event(report, user, action, changes={evidence.progress.measure.code: {"evidence": change}})


@transaction.atomic
def add_link(progress: MeasureProgress, user, *, url: str, description: str = "", date=None) -> Evidence:
    report = _lock_for_agency_edit(progress.report, user)
    evidence = Evidence(
        progress=progress,
        kind=Evidence.Kind.LINK,
        url=url,
        description=description.strip(),
        date=date,
        created_by=user,
    )
    evidence.full_clean()
    evidence.save()
    _evidence_event(report, user, Action.EVIDENCE_ADDED, evidence, added=True)
    return evidence


@transaction.atomic
def add_file(
    progress: MeasureProgress,
    user,
    *,
    uploaded,
    content_type: str,
    description: str = "",
    date=None,
    is_public: bool = False,
) -> Evidence:
    """Store an already-checked upload (see reports.reporting.uploads) under a random name, keeping its original name."""
    report = _lock_for_agency_edit(progress.report, user)
    evidence = Evidence(
        progress=progress,
        kind=Evidence.Kind.FILE,
        original_name=(uploaded.name or "")[:255],
        content_type=content_type,
        size=uploaded.size,
        description=description.strip(),
        date=date,
        is_public=is_public,
        created_by=user,
    )
    evidence.file.save(uploaded.name, uploaded, save=False)
    # If anything below fails, the transaction rolls back: the stored file must not stay behind.
    stored = evidence.file.name
    storage = evidence.file.storage
    try:
        evidence.full_clean()
        evidence.save()
        _evidence_event(report, user, Action.EVIDENCE_ADDED, evidence, added=True)
    except Exception:
        storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, user) -> bool:
    """Delete a piece of evidence; a stored file is deleted from storage once the transaction commits, unless
    the report's approval refers to it (approved, then reopened): what was approved stays whole, and stays
    published until the next approval (a public file still downloads, transparency.published.public_file).

    Returns whether the file stays on the public site with the approved version, which the agency is told."""
    report = _lock_for_agency_edit(evidence.progress.report, user)
    _evidence_event(report, user, Action.EVIDENCE_REMOVED, evidence, added=False)
    kept = history.refers_to_file(report.approved_snapshot, evidence)
    if (
        kept
        and not evidence.is_public
        and history.withdraw_public_mark(report.approved_snapshot, evidence.pk)
    ):
        # The approved version stays published, and can still serve a public file removed since; a file whose
        # public mark was withdrawn before its removal stays off the public site.
        report.save(update_fields=["approved_snapshot"])
    if evidence.kind == Evidence.Kind.FILE and evidence.file and not kept:
        storage, name = evidence.file.storage, evidence.file.name
        transaction.on_commit(lambda: storage.delete(name))
    still_published = (
        kept and evidence.is_public and history.published_in(report.approved_snapshot, evidence.pk)
    )
    evidence.delete()
    return still_published


# --- the agency's quarters -------------------------------------------------------------------------------


def reporting_period(periods, today: datetime.date) -> ReportingPeriod | None:
    """The quarter a reporter should be working on today, among a fiscal year's `periods` (in order).

    The earliest quarter that has started and whose due date has not passed (so on 5 January the Q1 report,
    due mid-January, comes before Q2); when every started quarter is past its due date, the latest one.
    None when the year has not started yet.
    """
    started = [p for p in periods if p.start_date <= today]
    for period in started:
        if period.due_date >= today:
            return period
    return started[-1] if started else None


def needs_action_first(periods, reports: dict, today: datetime.date) -> tuple[ReportingPeriod | None, str]:
    """The quarter the agency home headlines, and why: ("returned" | "overdue" | "due" , period).

    First a report returned for revision (the oldest), then a started quarter past its due date whose
    report is not submitted (the latest: the one the province is chasing now, as its dashboard opens on it),
    then the quarter to report on now (`reporting_period`).
    `reports` maps period id to the agency's report.
    """
    Status = QuarterlyReport.Status
    for period in periods:
        report = reports.get(period.pk)
        if report is not None and report.status == Status.RETURNED:
            return period, "returned"
    for period in reversed(periods):
        report = reports.get(period.pk)
        not_sent = report is None or report.status == Status.DRAFT
        if period.start_date <= today and period.due_date < today and not_sent:
            return period, "overdue"
    return reporting_period(periods, today), "due"


def due_text(period: ReportingPeriod, today: datetime.date) -> str:
    """ "อีก 5 วัน" / "ครบกำหนดวันนี้" / "เลยกำหนด 3 วัน"."""
    days = period.days_until_due(today)
    if days > 0:
        return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
    if days == 0:
        return _("Due today")
    return ngettext("Overdue by %(days)s day", "Overdue by %(days)s days", -days) % {"days": -days}


def today() -> datetime.date:
    return thaidate.today()
