"""The report workflow: creating a quarter's report, snapshots and diffs, and the four transitions.

    draft --submit--> submitted --approve--> approved --reopen(reason)--> returned
                          |                                                  |
                          +--return(reason)--> returned --submit-------------+--> submitted

The transitions are data (`TRANSITIONS`, one `Transition` record each: from and to states, the history event,
the button's label, the success message, the gate of who may, the URL name); views and templates loop over
them. `decide()` applies one: in one transaction it locks the report row, checks the actor against the
transition's gate (`reports.roles`), the version the user's page showed, the current status and the reason,
sets every dependent field, and writes a ReportEvent. Views only call it and show its errors.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from measures.models import Agency, Measure, ReportingPeriod
from reports import roles
from reports.history import diff_snapshots, record_event, snapshot
from reports.models import MeasureProgress, QuarterlyReport, ReportEvent
from reports.notices import services as notices

Status = QuarterlyReport.Status
Action = ReportEvent.Action


@dataclass(frozen=True, eq=False)
class Transition:
    name: str
    sources: frozenset
    target: str
    event: str  # the ReportEvent action it writes
    gate: roles.Gate  # who may apply it
    url_name: str  # where its button posts
    label: Promise  # the button
    done: Promise  # "approved", in "… so it cannot be approved now"
    success: Promise  # shown after it, with %(agency)s and %(period)s
    stale: Promise  # the refusal when the report changed since the user's page was opened
    needs_reason: bool = False  # return and reopen: a reason, and a comment per measure
    style: str = ""  # the button's Bootstrap class
    hint: Promise | str = ""  # what the decision does, under the buttons


_REVIEW_STALE = gettext_lazy(
    "This report changed after you opened it (someone else acted on it). "
    "Nothing was done; check the report again before deciding."
)
# A context of their own for the `done` words: "submitted" is also a field label, and Thai words the two
# differently.
SUBMIT = Transition(
    "submit",
    frozenset({Status.DRAFT, Status.RETURNED}),
    Status.SUBMITTED,
    Action.SUBMITTED,
    roles.REPORTER,
    "reports:report",
    label=gettext_lazy("Submit report"),
    done=pgettext_lazy("report action", "submitted"),
    success=gettext_lazy("The report has been submitted to the provincial office. Thank you."),
    stale=gettext_lazy(
        "The report was not submitted: someone else saved it in the meantime. Check their changes, "
        "then submit it again."
    ),
    style="btn-success",
)
RETURN = Transition(
    "return",
    frozenset({Status.SUBMITTED}),
    Status.RETURNED,
    Action.RETURNED,
    roles.REVIEWER,
    "reports:review_return",
    label=gettext_lazy("Return for revision"),
    done=pgettext_lazy("report action", "returned"),
    success=gettext_lazy(
        "The report of %(agency)s for %(period)s was returned to the agency with your reason."
    ),
    stale=_REVIEW_STALE,
    needs_reason=True,
    style="btn-warning",
)
APPROVE = Transition(
    "approve",
    frozenset({Status.SUBMITTED}),
    Status.APPROVED,
    Action.APPROVED,
    roles.REVIEWER,
    "reports:review_approve",
    label=gettext_lazy("Approve"),
    done=pgettext_lazy("report action", "approved"),
    success=gettext_lazy("The report of %(agency)s for %(period)s is approved and locked."),
    stale=_REVIEW_STALE,
    style="btn-success",
    hint=gettext_lazy(
        "Approving locks the report. The comments on measures go to the agency, each beside its measure, "
        "only with a return; approving clears them."
    ),
)
REOPEN = Transition(
    "reopen",
    frozenset({Status.APPROVED}),
    Status.RETURNED,
    Action.REOPENED,
    roles.REVIEWER,
    "reports:review_reopen",
    label=gettext_lazy("Reopen for correction"),
    done=pgettext_lazy("report action", "reopened"),
    success=gettext_lazy("The report of %(agency)s for %(period)s was reopened for the agency to correct."),
    stale=_REVIEW_STALE,
    needs_reason=True,
    style="btn-outline-danger",
    hint=gettext_lazy(
        "Reopening unlocks the report for the agency; what was approved is kept for comparison."
    ),
)
TRANSITIONS = {t.name: t for t in (SUBMIT, RETURN, APPROVE, REOPEN)}
# The reviewer's decisions, in the order the review page offers them.
DECISIONS = (APPROVE, RETURN, REOPEN)


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


def _move(report, transition, user, *, comment="", changes=None, update_fields=()):
    from_status = report.status
    report.status = transition.target
    report.version = F("version") + 1
    report.save(update_fields=["status", "version", "updated_at", *update_fields])
    report.refresh_from_db(fields=["version", "updated_at"])
    event = record_event(
        report,
        user,
        transition.event,
        from_status=from_status,
        to_status=report.status,
        comment=comment,
        changes=changes,
    )
    notices.announce(event)
    return report


def _submit(report, user, reason, measure_comments):
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
    return _move(report, SUBMIT, user, changes=changes, update_fields=fields)


def _send_back(transition):
    """Return (a submitted report) or reopen (an approved one): the reason, a comment per measure (by measure
    id), and the snapshot of what was sent back, to compare the resubmission with."""

    def send_back(report, user, reason, measure_comments):
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
        codes = {
            str(p.measure_id): p.measure.code for p in report.progress.select_related("measure__indicator")
        }
        changes = {"measure_comments": {codes.get(str(k), str(k)): v for k, v in comments.items() if v}}
        return _move(
            report,
            transition,
            user,
            comment=report.review_comment,
            changes=changes,
            update_fields=["review_comment", "returned_snapshot", "decided_at", "decided_by"],
        )

    return send_back


def _approve(report, user, reason, measure_comments):
    """Approve and lock the report, freezing what was approved; the comments on measures are cleared."""
    report.approved_snapshot = snapshot(report)
    report.decided_at = timezone.now()
    report.decided_by = user
    report.review_comment = ""
    report.progress.exclude(reviewer_comment="").update(reviewer_comment="")
    return _move(
        report,
        APPROVE,
        user,
        comment=reason.strip(),
        update_fields=["approved_snapshot", "decided_at", "decided_by", "review_comment"],
    )


_APPLY = {"submit": _submit, "return": _send_back(RETURN), "approve": _approve, "reopen": _send_back(REOPEN)}


@transaction.atomic
def decide(
    report: QuarterlyReport,
    action: str,
    *,
    user,
    reason: str = "",
    expected_version: int | None = None,
    measure_comments: dict[int, str] | None = None,
) -> QuarterlyReport:
    """Apply the transition `action` ("submit", "return", "approve", "reopen") to `report` as `user`.

    One transaction: the report row is locked, then the user must pass the transition's gate (else
    PermissionDenied), the report must still be at `expected_version` (the version the user's page showed,
    when given; else ConcurrentEditError), in one of the transition's source states and, for a return or a
    reopen, `reason` must not be blank (else WorkflowError). `reason` is the comment of an approval;
    `measure_comments` ({measure id: text}) go with a return or a reopen. Returns the locked, updated report.
    """
    transition = TRANSITIONS[action]
    locked = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    transition.gate.check(user, locked.agency_id)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError(transition.stale, code="stale")
    if locked.status not in transition.sources:
        raise WorkflowError(
            _("This report is “%(status)s”, so it cannot be %(action)s now.")
            % {"status": locked.get_status_display(), "action": transition.done},
            code="bad_status",
        )
    if transition.needs_reason and not reason.strip():
        raise WorkflowError(_("Give a reason, so the agency knows what to fix."), code="reason_required")
    return _APPLY[action](locked, user, reason, measure_comments or {})


def submit(report: QuarterlyReport, user, *, expected_version: int | None = None) -> QuarterlyReport:
    """Submit the report. With `expected_version` (the version the submitter's page was saved at), a report
    saved by someone else since is refused, so nobody submits text they have not seen."""
    return decide(report, "submit", user=user, expected_version=expected_version)


def return_report(
    report: QuarterlyReport, user, *, reason: str, measure_comments: dict[int, str] | None = None
) -> QuarterlyReport:
    """Send a submitted report back with a reason and, optionally, a comment per measure (by measure id)."""
    return decide(report, "return", user=user, reason=reason, measure_comments=measure_comments)


def reopen(
    report: QuarterlyReport, user, *, reason: str, measure_comments: dict[int, str] | None = None
) -> QuarterlyReport:
    """Unlock an approved report for the agency to correct; the approved snapshot is kept for comparison."""
    return decide(report, "reopen", user=user, reason=reason, measure_comments=measure_comments)


def approve(report: QuarterlyReport, user, *, comment: str = "") -> QuarterlyReport:
    """Approve and lock the report, freezing what was approved."""
    return decide(report, "approve", user=user, reason=comment)


def available_transitions(report: QuarterlyReport, user) -> list[Transition]:
    """The transitions `user` may apply to `report` now (for showing the right buttons)."""
    return [
        t
        for t in TRANSITIONS.values()
        if report.status in t.sources and t.gate.allows(user, report.agency_id)
    ]


def allowed_transitions(report: QuarterlyReport, user) -> list[str]:
    """Names of the transitions `user` may apply to `report` now."""
    return [t.name for t in available_transitions(report, user)]
