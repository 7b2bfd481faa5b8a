"""Provincial review: the inbox of reports, the review page, and the three decisions.

Reviewers and administrators read (permission `view_all_quarterlyreport`); only reviewers decide
(`review_quarterlyreport`). Every report is fetched through `QuarterlyReport.objects.for_user()`. The
decisions are POST-only views that call `reports.workflow`, which holds the rules; a refused decision
re-renders the page with everything the reviewer typed.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from measures import thaidate
from reports import roles, workflow
from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent
from reports.review.diffing import MeasureChanges, render_changes
from reports.review.filters import ReviewInboxFilter, inbox_queryset, period_value, waiting_elsewhere
from reports.review.forms import ReviewForm

Status = QuarterlyReport.Status
PAGE_SIZE = 25

# The comparisons a review page can show: against what was returned, or against what was approved.
COMPARE_RETURN = "return"
COMPARE_APPROVAL = "approval"


def _require_view_all(user) -> None:
    if not roles.can_view_all(user):
        raise PermissionDenied(_("Only provincial reviewers and administrators can see this page."))


def _report_for_reviewer(request, pk: int) -> QuarterlyReport:
    """The report, if the user may review-read it: 403 without the permission, 404 outside their scope."""
    _require_view_all(request.user)
    queryset = QuarterlyReport.objects.for_user(request.user).select_related(
        "agency", "period__fiscal_year", "submitted_by", "decided_by"
    )
    return get_object_or_404(queryset, pk=pk)


def waiting_days(report: QuarterlyReport, today: datetime.date) -> int | None:
    """Whole days a submitted report has waited for a decision (Asia/Bangkok dates); None if not waiting."""
    if report.status != Status.SUBMITTED or report.submitted_at is None:
        return None
    return (today - report.submitted_at.astimezone(thaidate.BANGKOK).date()).days


def inbox_url(report: QuarterlyReport) -> str:
    return f"{reverse('reports:review_inbox')}?{urlencode({'period': period_value(report.period)})}"


# --- inbox -----------------------------------------------------------------------------------------------


@login_required
@require_safe
def inbox(request):
    _require_view_all(request.user)
    filterset = ReviewInboxFilter(request.GET, queryset=inbox_queryset(request.user), request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = thaidate.today()
    rows = [(report, waiting_days(report, today)) for report in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    if "period" not in query and filterset.form.data.get("period"):
        query["period"] = filterset.form.data["period"]
    elsewhere = []
    for period, count in waiting_elsewhere(request.user, filterset):
        link = query.copy()
        link["period"] = period_value(period)
        link.pop("status", None)
        elsewhere.append((period, count, link.urlencode()))
    every_period = query.copy()
    every_period["period"] = ""
    return render(
        request,
        "reports/review/inbox.html",
        {
            "filter": filterset,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "rows": rows,
            "page_query": query.urlencode(),
            "waiting_elsewhere": elsewhere,
            "every_period_query": every_period.urlencode(),
        },
    )


# --- review page -----------------------------------------------------------------------------------------


@dataclass
class MeasureRow:
    progress: MeasureProgress
    changes: MeasureChanges | None
    comment_field: object | None


def _load_progress(report: QuarterlyReport) -> list[MeasureProgress]:
    return list(
        report.progress.select_related("measure__indicator")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk")))
        .order_by("measure__indicator__number", "measure__order")
    )


def _comparisons(report: QuarterlyReport) -> dict[str, dict]:
    """The snapshots this report can be compared with now, by name."""
    available = {}
    if report.returned_snapshot is not None:
        available[COMPARE_RETURN] = report.returned_snapshot
    if report.approved_snapshot is not None and report.status != Status.APPROVED:
        available[COMPARE_APPROVAL] = report.approved_snapshot
    return available


def _last_event_time(events: list[ReportEvent], actions) -> datetime.datetime | None:
    times = [event.created_at for event in events if event.action in actions]
    return max(times) if times else None


def _render_review(request, report: QuarterlyReport, progress: list[MeasureProgress], form: ReviewForm):
    actions = [name for name in workflow.allowed_transitions(report, request.user) if name != "submit"]
    # After a refused decision the form is shown again even if no decision is possible any more, so that
    # nothing the reviewer typed is lost.
    show_form = bool(actions) or form.is_bound
    can_comment = bool({"return", "reopen"} & set(actions)) or form.is_bound
    events = list(report.events.select_related("actor").order_by("-created_at", "-pk"))

    comparisons = _comparisons(report)
    compare = request.GET.get("compare", COMPARE_RETURN)
    if compare not in comparisons:
        compare = next(iter(comparisons), None)
    changes: dict[int, MeasureChanges] = {}
    if compare is not None:
        changes = render_changes(workflow.diff_snapshots(comparisons[compare], workflow.snapshot(report)))

    rows = [
        MeasureRow(
            progress=entry,
            changes=changes.get(entry.measure_id),
            comment_field=form.comment_field(entry.measure_id) if can_comment else None,
        )
        for entry in progress
    ]
    indicators = [
        (indicator, list(group))
        for indicator, group in groupby(rows, key=lambda row: row.progress.measure.indicator)
    ]
    context = {
        "report": report,
        "form": form,
        "indicators": indicators,
        "actions": actions,
        "form_action": reverse(f"reports:review_{actions[0]}", args=[report.pk]) if actions else "",
        "EvidenceKind": Evidence.Kind,
        "show_form": show_form,
        "events": events,
        "compare": compare,
        "comparisons": list(comparisons),
        "changed_rows": [row for row in rows if row.changes],
        "returned_at": _last_event_time(events, (ReportEvent.Action.RETURNED, ReportEvent.Action.REOPENED)),
        "approved_at": _last_event_time(events, (ReportEvent.Action.APPROVED,)),
        "waiting": waiting_days(report, thaidate.today()),
        "inbox_url": inbox_url(report),
    }
    return render(request, "reports/review/review.html", context)


@login_required
@require_safe
def review(request, pk: int):
    report = _report_for_reviewer(request, pk)
    progress = _load_progress(report)
    form = ReviewForm(progress=progress, initial={"version": report.version})
    return _render_review(request, report, progress, form)


# --- decisions -------------------------------------------------------------------------------------------


def _stale_error() -> workflow.WorkflowError:
    return workflow.WorkflowError(
        _(
            "This report changed after you opened it (someone else acted on it). "
            "Nothing was done; check the report again before deciding."
        ),
        code="stale",
    )


def _decide(request, pk: int, action: str):
    report = _report_for_reviewer(request, pk)
    if not roles.is_reviewer(request.user):
        raise PermissionDenied(_("Only provincial reviewers can do this."))
    progress = _load_progress(report)
    form = ReviewForm(request.POST, progress=progress)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            with transaction.atomic():
                locked = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
                if locked.version != form.cleaned_data["version"]:
                    raise _stale_error()
                if action == "approve":
                    workflow.approve(locked, request.user, comment=reason)
                elif action == "return":
                    workflow.return_report(
                        locked, request.user, reason=reason, measure_comments=form.measure_comments()
                    )
                else:
                    workflow.reopen(
                        locked, request.user, reason=reason, measure_comments=form.measure_comments()
                    )
        except workflow.WorkflowError as error:
            if error.code == "reason_required":
                form.add_error("reason", error)
                form.fields["reason"].widget.attrs["autofocus"] = True
            else:
                form.add_error(None, error)
            # Show the report as it is now (another reviewer may have acted), keeping what was typed.
            report = _report_for_reviewer(request, pk)
        else:
            messages.success(request, _success_message(action, report))
            return redirect(inbox_url(report))
    return _render_review(request, report, progress, form)


def _success_message(action: str, report: QuarterlyReport) -> str:
    texts = {
        "approve": _("The report of %(agency)s for %(period)s is approved and locked."),
        "return": _("The report of %(agency)s for %(period)s was returned to the agency with your reason."),
        "reopen": _("The report of %(agency)s for %(period)s was reopened for the agency to correct."),
    }
    return texts[action] % {"agency": report.agency, "period": report.period}


@login_required
@require_POST
def approve(request, pk: int):
    return _decide(request, pk, "approve")


@login_required
@require_POST
def return_report(request, pk: int):
    return _decide(request, pk, "return")


@login_required
@require_POST
def reopen(request, pk: int):
    return _decide(request, pk, "reopen")
