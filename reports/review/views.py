"""Provincial review: the inbox of reports, the review page, and the three decisions.

Reviewers and administrators read (the READER gate); only reviewers decide (REVIEWER). Every report comes
from `reports.access`. The decisions are one POST-only view per transition of `workflow.DECISIONS`, calling
`workflow.decide`, which holds the rules, the lock and the version check; a refused decision re-renders the
page with everything the reviewer typed.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from measures import thaidate
from ops.pagecache import kept_page
from reports import access, history, roles, workflow
from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent
from reports.review.diffing import MeasureChanges, render_changes
from reports.review.filters import ReviewInboxFilter, inbox_queryset, period_value, waiting_elsewhere
from reports.review.forms import ReviewForm
from reports.templatetags import linkstatus
from reports.templatetags.fragments import fragment_key

Status = QuarterlyReport.Status
PAGE_SIZE = 25

# The comparisons a review page can show: against what was returned, or against what was approved.
COMPARE_RETURN = "return"
COMPARE_APPROVAL = "approval"


def waiting_days(report: QuarterlyReport, today: datetime.date) -> int | None:
    """Whole days a submitted report has waited for a decision (Asia/Bangkok dates); None if not waiting."""
    if report.status != Status.SUBMITTED or report.submitted_at is None:
        return None
    return (today - report.submitted_at.astimezone(thaidate.BANGKOK).date()).days


def inbox_url(report: QuarterlyReport) -> str:
    return f"{reverse('reports:review_inbox')}?{urlencode({'period': period_value(report.period)})}"


# --- inbox -----------------------------------------------------------------------------------------------


@kept_page
@login_required
@require_safe
def inbox(request):
    access.require(request.user, roles.READER)
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
            "export_period": _export_period(filterset.form.data.get("period", "")),
        },
    )


def _export_period(value: str):
    """(year, scope) of the consolidated report for the inbox's period ('2565-4' → (2565, 'q4')), or None."""
    year, _sep, quarter = str(value).partition("-")
    if year.isdigit() and quarter in ("1", "2", "3", "4"):
        return int(year), f"q{quarter}"
    return None


# --- review page -----------------------------------------------------------------------------------------


@dataclass
class MeasureRow:
    progress: MeasureProgress
    changes: MeasureChanges | None
    comment_field: object | None
    cache_key: str = ""

    def fragment_key(self, broken: dict) -> str:
        """The digest of everything the measure's card shows ('' = render it afresh: changes since a snapshot
        to show, or comments typed into a refused decision)."""
        if self.changes or (self.comment_field is not None and self.comment_field.form.is_bound):
            return ""
        p, m = self.progress, self.progress.measure
        return fragment_key(
            "review",
            p.pk,
            self.comment_field is not None,
            (p.status, p.result, p.obstacles, p.percent, p.reviewer_comment),
            (m.pk, m.indicator.number, m.order, m.text),
            [(e.pk, e.kind, e.url, e.description, e.date, e.original_name, e.size) for e in p.evidence.all()],
            [
                (link.broken_since, link.reason) if (link := broken.get(e.url.strip())) else None
                for e in p.evidence.all()
                if e.url
            ],
        )


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


def _render_review(request, report: QuarterlyReport, may: access.May, progress: list, form: ReviewForm):
    actions = may.decisions
    # After a refused decision the form is shown again even if no decision is possible any more, so that
    # nothing the reviewer typed is lost.
    show_form = bool(actions) or form.is_bound
    can_comment = any(t.needs_reason for t in actions) or form.is_bound
    events = list(report.events.order_by("-created_at", "-pk"))

    comparisons = _comparisons(report)
    compare = request.GET.get("compare", COMPARE_RETURN)
    if compare not in comparisons:
        compare = next(iter(comparisons), None)
    changes: dict[int, MeasureChanges] = {}
    if compare is not None:
        changes = render_changes(history.diff_snapshots(comparisons[compare], history.snapshot(report)))

    rows = [
        MeasureRow(
            progress=entry,
            changes=changes.get(entry.measure_id),
            comment_field=form.comment_field(entry.measure_id) if can_comment else None,
        )
        for entry in progress
    ]
    # Each measure's card is kept rendered by its content ({% fragment %}), the link monitor's verdicts included.
    broken = (
        linkstatus.cached_broken(request) if any(e.url for p in progress for e in p.evidence.all()) else {}
    )
    for row in rows:
        row.cache_key = row.fragment_key(broken)
    indicators = [
        (indicator, list(group))
        for indicator, group in groupby(rows, key=lambda row: row.progress.measure.indicator)
    ]
    history_rows = history.rows(events, {str(p.measure_id): p.measure.code for p in progress})
    context = {
        "report": report,
        "form": form,
        "indicators": indicators,
        "actions": actions,
        "decision_hint": next((t.hint for t in actions if t.hint), ""),
        "form_action": reverse(actions[0].url_name, args=[report.pk]) if actions else "",
        "EvidenceKind": Evidence.Kind,
        "show_form": show_form,
        "history": history_rows,
        "history_key": history.rows_key(history_rows),
        "compare": compare,
        "comparisons": list(comparisons),
        "changed_rows": [row for row in rows if row.changes],
        "returned_at": _last_event_time(events, (ReportEvent.Action.RETURNED, ReportEvent.Action.REOPENED)),
        "approved_at": _last_event_time(events, (ReportEvent.Action.APPROVED,)),
        "waiting": waiting_days(report, thaidate.today()),
        "inbox_url": inbox_url(report),
    }
    return render(request, "reports/review/review.html", context)


@kept_page
@login_required
@require_safe
def review(request, pk: int):
    report, may = access.report(request.user, pk, roles.READER)
    progress = _load_progress(report)
    form = ReviewForm(progress=progress, initial={"version": report.version})
    return _render_review(request, report, may, progress, form)


# --- decisions -------------------------------------------------------------------------------------------


def _confirm_approve(request, report, progress, form):
    """Approving locks and publishes the report: without JavaScript this page asks first (with it, a dialog)."""
    hidden = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed")
        for value in values
    ]
    done = sum(1 for p in progress if p.status == MeasureProgress.Status.DONE)
    return render(
        request,
        "reports/review/confirm_approve.html",
        {
            "report": report,
            "hidden": hidden,
            "measure_count": len(progress),
            "done_count": done,
            "form": form,
        },
    )


@login_required
@require_POST
def decide(request, pk: int, action: str):
    """One of `workflow.DECISIONS` (the URL conf gives each its own URL): approve, return or reopen."""
    report, may = access.report(request.user, pk, roles.READER, roles.REVIEWER)
    progress = _load_progress(report)
    form = ReviewForm(request.POST, progress=progress)
    if form.is_valid() and action == workflow.APPROVE.name and request.POST.get("confirmed") != "1":
        return _confirm_approve(request, report, progress, form)
    if form.is_valid():
        try:
            workflow.decide(
                report,
                action,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                measure_comments=form.measure_comments(),
            )
        except workflow.WorkflowError as error:
            if error.code == "reason_required":
                form.add_error("reason", error)
                form.fields["reason"].widget.attrs["autofocus"] = True
            else:
                form.add_error(None, error)
            # Show the report as it is now (another reviewer may have acted), keeping what was typed.
            report, may = access.report(request.user, pk, roles.READER)
        else:
            success = workflow.TRANSITIONS[action].success
            messages.success(request, success % {"agency": report.agency, "period": report.period})
            return redirect(inbox_url(report))
    return _render_review(request, report, may, progress, form)
