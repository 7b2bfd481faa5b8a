"""The report workflow: creating a quarter's report, snapshots and diffs, and the four transitions.

    draft --submit--> submitted --approve--> approved --reopen(reason)--> returned
                          |                                                  |
                          +--return(reason)--> returned --submit-------------+--> submitted

Each transition is one function here: it locks the report row, checks the actor's role and the
current status against TRANSITIONS, sets every dependent field, and writes a ReportEvent, all in one
transaction. Views only call these functions and show their errors.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from measures.models import Agency, Measure, ReportingPeriod
from reports import roles
from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent

Status = QuarterlyReport.Status


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    needs_reason: bool
    by_reviewer: bool


TRANSITIONS = {
    "submit": Transition(
        "submit", frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED, False, False
    ),
    "return": Transition("return", frozenset({Status.SUBMITTED}), Status.RETURNED, True, True),
    "approve": Transition("approve", frozenset({Status.SUBMITTED}), Status.APPROVED, False, True),
    "reopen": Transition("reopen", frozenset({Status.APPROVED}), Status.RETURNED, True, True),
}


class WorkflowError(ValidationError):
    """A transition that is not allowed now (wrong status, missing reason, incomplete report)."""


class ConcurrentEditError(WorkflowError):
    """Someone else saved the report after this form was opened."""


# --- creating reports -----------------------------------------------------------------------------------


def applicable_measures(period: ReportingPeriod):
    """Measures an agency reports on in `period`: every measure of the period's fiscal year, in plan order."""
    return (
        Measure.objects.filter(indicator__fiscal_year_id=period.fiscal_year_id)
        .select_related("indicator")
        .order_by("indicator__number", "order")
    )


def add_missing_progress(report: QuarterlyReport, user=None, *, record: bool = True) -> int:
    """Give a report the progress rows it lacks: measures added to the plan after it was created.

    Only for a report its agency can still edit (draft or returned): a submitted or approved report is what
    the agency sent and never changes behind the reviewer's back. Call with the report row locked (or just
    created). With `record`, the rows added are written to the report's history (a new report's first rows
    are not: its CREATED event says it). Returns how many rows were added.
    """
    if not report.is_editable_by_agency:
        return 0
    missing = list(
        Measure.objects.filter(indicator__fiscal_year__periods=report.period_id)
        .exclude(progress__report=report)
        .select_related("indicator")
        .order_by("indicator__number", "order")
    )
    if missing:
        MeasureProgress.objects.bulk_create([MeasureProgress(report=report, measure=m) for m in missing])
        if record:
            record_event(
                report,
                user,
                ReportEvent.Action.MEASURES_ADDED,
                changes={"measures_added": [m.code for m in missing]},
            )
    return len(missing)


@transaction.atomic
def get_or_create_report(*, agency: Agency, period: ReportingPeriod, user=None) -> QuarterlyReport:
    """The agency's report for the period, created as a draft with one progress row per applicable measure.

    An existing report the agency can still edit gets the rows of measures added to the plan since; a
    submitted or approved one is returned as it is.
    """
    report, created = QuarterlyReport.objects.get_or_create(agency=agency, period=period)
    if not created:
        report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    add_missing_progress(report, user, record=not created)
    if created:
        record_event(report, user, ReportEvent.Action.CREATED, to_status=report.status)
    return report


# --- history ---------------------------------------------------------------------------------------------


def record_event(
    report, actor, action, *, from_status="", to_status="", comment="", changes=None
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        changes=changes or {},
    )


# --- snapshots and diffs ---------------------------------------------------------------------------------

SNAPSHOT_FIELDS = ("status", "result", "obstacles", "percent")


def _evidence_label(evidence: Evidence) -> str:
    target = evidence.url if evidence.kind == Evidence.Kind.LINK else evidence.original_name
    return f"{evidence.description} – {target}" if evidence.description else target


def snapshot(report: QuarterlyReport) -> dict:
    """What the agency has written, measure by measure: a JSON-able dict keyed by measure id."""
    progress = report.progress.select_related("measure__indicator").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk"))
    )
    return {
        str(p.measure_id): {
            "code": p.measure.code,
            **{field: getattr(p, field) for field in SNAPSHOT_FIELDS},
            "evidence": [_evidence_label(e) for e in p.evidence.all()],
        }
        for p in progress
    }


def diff_snapshots(old: dict | None, new: dict) -> dict:
    """Per measure id, the fields that differ: {measure_id: {field: {"old": …, "new": …}}}.

    Evidence is compared as lists of labels: {"evidence": {"added": [...], "removed": [...]}}.
    """
    old = old or {}
    changes = {}
    for measure_id, now in new.items():
        before = old.get(measure_id, {})
        fields = {}
        for field in SNAPSHOT_FIELDS:
            if before.get(field) != now.get(field) and (before.get(field) or now.get(field)):
                fields[field] = {"old": before.get(field), "new": now.get(field)}
        added = [e for e in now.get("evidence", []) if e not in before.get("evidence", [])]
        removed = [e for e in before.get("evidence", []) if e not in now.get("evidence", [])]
        if added or removed:
            fields["evidence"] = {"added": added, "removed": removed}
        if fields:
            changes[measure_id] = fields
    return changes


# --- optimistic locking ----------------------------------------------------------------------------------


def claim_version(report: QuarterlyReport, expected_version: int, user) -> int:
    """Raise the report's version if it is still `expected_version`; otherwise refuse the save.

    One UPDATE … WHERE version = expected: of two concurrent saves from the same version, exactly one wins.
    """
    updated = QuarterlyReport.objects.filter(pk=report.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), updated_by=user
    )
    if not updated:
        raise ConcurrentEditError(
            _("Someone else saved this report after you opened it. Your text has not been saved yet."),
            code="concurrent_edit",
        )
    report.version = expected_version + 1
    return report.version


# --- transitions -----------------------------------------------------------------------------------------


def submission_problems(report: QuarterlyReport) -> dict[int, dict[str, str]]:
    """What keeps the report from being submitted: {progress id: {field: message}}; empty when complete.

    Every measure needs a status and a result narrative; a measure marked done needs evidence.
    """
    problems: dict[int, dict[str, str]] = {}
    progress = report.progress.prefetch_related("evidence")
    for p in progress:
        errors = {}
        if not p.status:
            errors["status"] = _("Choose the implementation status.")
        if not p.result.strip():
            errors["result"] = _("Describe the results of this quarter.")
        if p.status == MeasureProgress.Status.DONE and not p.evidence.all():
            errors["evidence"] = _(
                "A measure marked done needs at least one piece of evidence (a link or a file)."
            )
        if errors:
            problems[p.pk] = errors
    return problems


def _check_actor(transition: Transition, report: QuarterlyReport, user) -> None:
    if transition.by_reviewer:
        if not roles.is_reviewer(user):
            raise PermissionDenied(_("Only provincial reviewers can do this."))
    elif not (roles.can_report(user) and roles.user_agency(user).pk == report.agency_id):
        raise PermissionDenied(_("Only reporters of this agency can submit its report."))


def _action_label(name: str) -> str:
    # A context of their own: "submitted" is also a field label, and Thai words the two differently.
    return {
        "submit": pgettext("report action", "submitted"),
        "return": pgettext("report action", "returned"),
        "approve": pgettext("report action", "approved"),
        "reopen": pgettext("report action", "reopened"),
    }[name]


def _lock(report: QuarterlyReport, transition: Transition, user, reason: str) -> QuarterlyReport:
    locked = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    _check_actor(transition, locked, user)
    if locked.status not in transition.sources:
        raise WorkflowError(
            _("This report is “%(status)s”, so it cannot be %(action)s now.")
            % {"status": locked.get_status_display(), "action": _action_label(transition.name)},
            code="bad_status",
        )
    if transition.needs_reason and not reason.strip():
        raise WorkflowError(_("Give a reason, so the agency knows what to fix."), code="reason_required")
    return locked


def _move(report, transition, user, *, comment="", changes=None, update_fields=()):
    from_status = report.status
    report.status = transition.target
    report.version = F("version") + 1
    report.save(update_fields=["status", "version", "updated_at", *update_fields])
    report.refresh_from_db(fields=["version", "updated_at"])
    action = {
        "submit": ReportEvent.Action.SUBMITTED,
        "return": ReportEvent.Action.RETURNED,
        "approve": ReportEvent.Action.APPROVED,
        "reopen": ReportEvent.Action.REOPENED,
    }[transition.name]
    record_event(
        report,
        user,
        action,
        from_status=from_status,
        to_status=report.status,
        comment=comment,
        changes=changes,
    )
    return report


@transaction.atomic
def submit(report: QuarterlyReport, user, *, expected_version: int | None = None) -> QuarterlyReport:
    """Submit the report. With `expected_version` (the version the submitter's page was saved at), a report
    saved by someone else since is refused, so nobody submits text they have not seen."""
    transition = TRANSITIONS["submit"]
    report = _lock(report, transition, user, "")
    if expected_version is not None and report.version != expected_version:
        raise ConcurrentEditError(
            _(
                "The report was not submitted: someone else saved it in the meantime. Check their changes, "
                "then submit it again."
            ),
            code="concurrent_edit",
        )
    problems = submission_problems(report)
    if problems:
        error = WorkflowError(
            ngettext(
                "The report is not complete yet: %(count)s measure needs attention.",
                "The report is not complete yet: %(count)s measures need attention.",
                len(problems),
            )
            % {"count": len(problems)},
            code="incomplete",
        )
        error.problems = problems
        raise error
    report.submitted_at = timezone.now()
    report.submitted_by = user
    first = report.record_first_submission(report.submitted_at)
    changes = {}
    if report.returned_snapshot is not None:
        changes = {"since_return": diff_snapshots(report.returned_snapshot, snapshot(report))}
    fields = ["submitted_at", "submitted_by", *(["first_submitted_at", "days_late"] if first else [])]
    return _move(report, transition, user, changes=changes, update_fields=fields)


@transaction.atomic
def return_report(
    report: QuarterlyReport, user, *, reason: str, measure_comments: dict[int, str] | None = None
) -> QuarterlyReport:
    """Send a submitted report back with a reason and, optionally, a comment per measure (by measure id)."""
    transition = TRANSITIONS["return"]
    report = _lock(report, transition, user, reason)
    return _send_back(report, transition, user, reason, measure_comments or {})


@transaction.atomic
def reopen(
    report: QuarterlyReport, user, *, reason: str, measure_comments: dict[int, str] | None = None
) -> QuarterlyReport:
    """Unlock an approved report for the agency to correct; the approved snapshot is kept for comparison."""
    transition = TRANSITIONS["reopen"]
    report = _lock(report, transition, user, reason)
    return _send_back(report, transition, user, reason, measure_comments or {})


def _send_back(report, transition, user, reason, measure_comments):
    comments = {int(k): v.strip() for k, v in measure_comments.items()}
    for progress in report.progress.all():
        text = comments.get(progress.measure_id, "")
        if progress.reviewer_comment != text:
            progress.reviewer_comment = text
            progress.save(update_fields=["reviewer_comment", "updated_at"])
    report.review_comment = reason.strip()
    report.returned_snapshot = snapshot(report)
    report.decided_at = timezone.now()
    report.decided_by = user
    codes = {str(p.measure_id): p.measure.code for p in report.progress.select_related("measure__indicator")}
    changes = {"measure_comments": {codes.get(str(k), str(k)): v for k, v in comments.items() if v}}
    return _move(
        report,
        transition,
        user,
        comment=report.review_comment,
        changes=changes,
        update_fields=["review_comment", "returned_snapshot", "decided_at", "decided_by"],
    )


@transaction.atomic
def approve(report: QuarterlyReport, user, *, comment: str = "") -> QuarterlyReport:
    """Approve and lock the report, freezing what was approved."""
    transition = TRANSITIONS["approve"]
    report = _lock(report, transition, user, "")
    report.approved_snapshot = snapshot(report)
    report.decided_at = timezone.now()
    report.decided_by = user
    report.review_comment = ""
    report.progress.exclude(reviewer_comment="").update(reviewer_comment="")
    return _move(
        report,
        transition,
        user,
        comment=comment.strip(),
        update_fields=["approved_snapshot", "decided_at", "decided_by", "review_comment"],
    )


def allowed_transitions(report: QuarterlyReport, user) -> list[str]:
    """Names of the transitions `user` may apply to `report` now (for showing the right buttons)."""
    names = []
    for name, transition in TRANSITIONS.items():
        if report.status not in transition.sources:
            continue
        try:
            _check_actor(transition, report, user)
        except PermissionDenied:
            continue
        names.append(name)
    return names
