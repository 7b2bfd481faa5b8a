"""Agency reporting: the agency's quarters, the report page (save draft, submit), last quarter's values
and the report's history. Evidence (add a link, upload a file, remove, download): reports/reporting/evidence_views.py.

Every view gets its objects from `reports.access` (404 outside the user's scope, 403 without the role); changes
are POST-only and allowed to the agency's reporters only (403 for reviewers and admins reading a report).
Business rules live in `reports.reporting.services` and `reports.workflow`; these views bind forms, call them
and show the outcome.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from measures.models import MeasureStep, ReportingPeriod
from ops.pagecache import kept_page
from reports import access, history, roles, workflow
from reports.models import Evidence, MeasureProgress, Notice, QuarterlyReport
from reports.reporting import services
from reports.reporting.forms import (
    FileEvidenceForm,
    LinkEvidenceForm,
    MeasureProgressForm,
    PrefillForm,
    ReportForm,
)
from reports.reporting.merge import digest, merge_after_conflict
from reports.templatetags import linkstatus
from reports.templatetags.fragments import fragment_key

Status = QuarterlyReport.Status


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- agency home -----------------------------------------------------------------------------------------


@dataclass
class QuarterRow:
    period: ReportingPeriod
    report: QuarterlyReport | None
    is_current: bool
    has_started: bool
    days: int = 0
    due_text: str = ""

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""


@login_required
@require_safe
def agency_home(request):
    """The reporter's agency, the fiscal year's four quarters with status and due dates, and the way in."""
    user = request.user
    if not roles.REPORTER.allows(user) and roles.READER.allows(user):
        try:
            return redirect(reverse("reports:dashboard"))
        except NoReverseMatch:
            pass
    try:
        agency = access.reporter_agency(user)
    except PermissionDenied:
        return render(request, "reports/not_a_reporter.html", status=403)
    years, active = services.reporting_years(agency)
    fiscal_year = None
    # isdecimal, not isdigit: "²" is a digit that int() refuses. Thai digits are decimals int() reads.
    if request.GET.get("year", "").isdecimal():
        fiscal_year = next((y for y in years if y.year == int(request.GET["year"])), None)
        if fiscal_year is None:
            raise Http404(_("No such fiscal year."))
    if fiscal_year is None:
        fiscal_year = next((y for y in years if active and y.pk == active.pk), years[0] if years else None)
    rows = []
    current, why = None, ""
    if fiscal_year is not None:
        today = services.today()
        periods = list(
            ReportingPeriod.objects.filter(fiscal_year=fiscal_year)
            .select_related("fiscal_year")
            .order_by("quarter")
        )
        reports = {
            r.period_id: r
            for r in QuarterlyReport.objects.for_user(user)
            .filter(agency=agency, period__in=periods)
            .order_by()
        }
        current, why = services.needs_action_first(periods, reports, today)
        for period in periods:
            report = reports.get(period.pk)
            row = QuarterRow(
                period=period,
                report=report,
                is_current=period == current,
                has_started=period.start_date <= today,
                days=period.days_until_due(today),
            )
            if report is None or report.is_editable_by_agency:
                row.due_text = services.due_text(period, today)
            rows.append(row)
    current_row = next((row for row in rows if row.is_current), None)
    return render(
        request,
        "reports/agency_home.html",
        {
            "agency": agency,
            "fiscal_year": fiscal_year,
            "years": years,
            "rows": rows,
            "current_row": current_row,
            "headline_reason": why,
            "notices": list(
                Notice.objects.for_user(user).unread().select_related("period__fiscal_year", "agency")[:5]
            ),
        },
    )


@login_required
@require_POST
def start_report(request, period_id):
    """Open (creating on first use) the agency's report for a quarter that has started."""
    agency = access.reporter_agency(request.user)
    period = access.period(request.user, period_id)
    if period.start_date > services.today():
        messages.error(request, _("This quarter has not started yet."))
        return redirect("reports:agency_home")
    if not services.is_open_for_reporting(period.fiscal_year_id):
        messages.error(
            request, _("Fiscal year %(year)s is not open for reporting.") % {"year": period.fiscal_year.year}
        )
        return redirect("reports:agency_home")
    report = workflow.get_or_create_report(agency=agency, period=period, user=request.user)
    return redirect(report)


# --- the report page -------------------------------------------------------------------------------------


def _progress_list(report: QuarterlyReport) -> list[MeasureProgress]:
    """The report's measures in plan order, with evidence and steps, in a fixed number of queries."""
    return list(
        report.progress.select_related("measure__indicator")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk")),
            Prefetch("measure__steps", queryset=MeasureStep.objects.order_by("order")),
        )
        .order_by("measure__indicator__number", "measure__order")
    )


@dataclass
class MeasureItem:
    progress: MeasureProgress
    posted_form: MeasureProgressForm | None = None  # the form as posted, to show again with what was typed
    link_form: LinkEvidenceForm | None = None
    file_form: FileEvidenceForm | None = None
    editable: bool = False
    problems: dict = field(default_factory=dict)
    conflicts: list = field(default_factory=list)
    taken: list = field(default_factory=list)
    notice: str = ""
    notice_is_error: bool = False
    cache_key: str = ""

    @cached_property
    def form(self) -> MeasureProgressForm | None:
        """The measure's form for an editable report: made on first use, so a card kept rendered needs none."""
        if not self.editable:
            return None
        return self.posted_form or MeasureProgressForm(instance=self.progress)

    @property
    def measure(self):
        return self.progress.measure

    @property
    def anchor(self) -> str:
        return f"measure-{self.progress.pk}"

    def fragment_key(self, broken: dict) -> str:
        """The digest of everything the measure's card shows ('' = render it afresh: a form with what was
        typed, errors, conflicts or a notice). `broken`: the link monitor's broken links by URL."""
        if self.posted_form is not None or self.problems or self.conflicts or self.taken:
            return ""
        if self.notice or self.link_form is not None:
            return ""
        p, m = self.progress, self.progress.measure
        links = [broken.get(e.url.strip()) for e in p.evidence.all() if e.url]
        return fragment_key(
            p.pk,
            self.editable,
            (p.status, p.result, p.obstacles, p.percent, p.reviewer_comment),
            (m.indicator.number, m.order, m.text, m.parts, m.responsible, m.monitoring),
            [(s.text, s.sub_points) for s in m.steps.all()],
            [
                (e.pk, e.url, e.description, e.date, e.original_name, e.size, e.is_public)
                for e in p.evidence.all()
            ],
            [(link.broken_since, link.reason) if link else None for link in links],
        )


@dataclass
class IndicatorGroup:
    indicator: object
    items: list = field(default_factory=list)


def _render_report(
    request,
    report: QuarterlyReport,
    may: access.May,
    *,
    progress_list=None,
    forms=None,
    report_form=None,
    problems=None,
    merge=None,
    status=200,
):
    """The report page: editable for the agency's reporters while draft/returned, read-only otherwise."""
    progress_list = progress_list if progress_list is not None else _progress_list(report)
    editable = may.edit
    forms = {f.instance.pk: f for f in forms or []}
    problems = problems or {}
    groups: list[IndicatorGroup] = []
    for progress in progress_list:
        item = MeasureItem(
            progress=progress,
            editable=editable,
            problems=problems.get(progress.pk, {}),
            posted_form=forms.get(progress.pk),
        )
        if merge is not None:
            item.conflicts = merge.conflicts.get(progress.pk, [])
            item.taken = merge.taken.get(progress.pk, [])
        indicator = progress.measure.indicator
        if not groups or groups[-1].indicator.pk != indicator.pk:
            groups.append(IndicatorGroup(indicator))
        groups[-1].items.append(item)
    if editable and report_form is None:
        report_form = ReportForm(initial={"version": report.version}, action=report.get_absolute_url())
    # Each measure's card is kept rendered by its content ({% fragment %}); the key includes the link monitor's
    # verdict on the card's links, read once per page as the cards' {% broken_link %} would.
    broken = (
        linkstatus.cached_broken(request)
        if any(e.url for p in progress_list for e in p.evidence.all())
        else {}
    )
    for group in groups:
        for item in group.items:
            item.cache_key = item.fragment_key(broken)
    filled = sum(1 for p in progress_list if p.status and p.result.strip())
    codes = {str(p.measure_id): p.measure.code for p in progress_list}
    history_rows, history_truncated = history.latest(report, codes)
    context = {
        "report": report,
        "groups": groups,
        "editable": editable,
        "is_reporter": may.report,
        "can_view_all": may.read_all,
        "is_reviewer": may.review,
        "problem_items": [item for group in groups for item in group.items if item.problems],
        "report_form": report_form if editable else None,
        "prefill_form": (
            PrefillForm(action=reverse("reports:prefill", args=[report.pk]))
            if editable and services.can_prefill(report, progress_list)
            else None
        ),
        "merge": merge,
        "filled": filled,
        "total": len(progress_list),
        "history": history_rows,
        "history_truncated": history_truncated,
        "history_key": history.rows_key(history_rows, history_truncated),
        "shown": history.HISTORY_SHOWN,
        "due_text": services.due_text(report.period, services.today())
        if report.is_editable_by_agency
        else "",
    }
    return render(request, "reports/report.html", context, status=status)


@kept_page
@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    """GET: the report. POST (agency reporters, draft/returned only): save the draft, or save and submit."""
    if request.method == "POST":
        return _post_report(request, *access.report(request.user, pk, roles.REPORTER))
    report, may = access.report(request.user, pk)
    if may.edit:
        services.join_new_measures(report, request.user)
    return _render_report(request, report, may)


def _post_report(request, report, may):
    user = request.user
    if not report.is_editable_by_agency:
        messages.error(
            request,
            _("This report is “%(status)s” and can no longer be changed.")
            % {"status": report.get_status_display()},
        )
        return redirect(report)
    action = request.POST.get("action")
    submitting = action == "submit"
    rows = report.progress.select_related("measure__indicator").order_by("pk")
    forms = [MeasureProgressForm(request.POST, instance=p) for p in rows]
    report_form = ReportForm(request.POST, action=report.get_absolute_url())
    valid = [f.is_valid() for f in forms]
    if not (report_form.is_valid() and all(valid)):
        messages.error(request, _("Some entries need correcting (marked below). Nothing has been saved yet."))
        return _render_report(request, report, may, forms=forms, report_form=report_form, status=400)
    try:
        result = services.save_progress(
            report, user, report_form.cleaned_data["version"], forms, require_current=submitting
        )
    except workflow.ConcurrentEditError as error:
        return _show_conflict(request, report, may, forms, error)
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
        return redirect(report)
    if action == "prefill":
        # "Start from last quarter" sent with the report form: what was typed is saved first, then only the
        # measures still empty are filled.
        if result.changed:
            messages.success(request, _("Draft saved."))
        return _prefill(request, report)
    if not submitting:
        if result.changed:
            messages.success(request, _("Draft saved."))
        else:
            messages.info(request, _("Nothing had changed, so there was nothing to save."))
        return redirect(report)
    unchanged = services.unchanged_from_previous(report)
    confirmed = request.POST.get("confirmed") == "1"
    if not confirmed or (unchanged and request.POST.get("copied_ok") != "1"):
        problems = workflow.submission_problems(report)
        if not problems:
            return _confirm_submit(request, report, forms, unchanged, saved=result.changed)
    try:
        # The same version the save left (or found): a save by someone else in between stops the submission.
        workflow.decide(report, "submit", user=user, expected_version=result.version)
    except workflow.WorkflowError as error:
        if error.code != "incomplete":
            if result.changed:
                messages.success(request, _("Draft saved."))
            messages.error(request, error.message)
            return redirect(report)
        return _show_submit_problems(request, report, may, forms, error, saved=result.changed)
    messages.success(request, workflow.SUBMIT.success)
    return redirect(report)


def _resubmittable(request, report, forms):
    """The posted data with the version and bases the save just left, to send again unchanged."""
    report.refresh_from_db()
    data = request.POST.copy()
    data["version"] = str(report.version)
    for form in forms:
        data[form.add_prefix("base")] = digest(form.values())
    return data


def _confirm_submit(request, report, forms, unchanged, *, saved):
    """Before submitting: what will be sent, and the measures left as last quarter's, to confirm (the page
    without JavaScript; with it, a dialog asked already and this page comes only for copied measures)."""
    data = _resubmittable(request, report, forms)
    hidden = [
        (name, value)
        for name, values in data.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed", "copied_ok", "action")
        for value in values
    ]
    progress = list(report.progress.select_related("measure__indicator").prefetch_related("evidence"))
    counts = dict.fromkeys(MeasureProgress.Status.values, 0)
    for p in progress:
        counts[p.status] = counts.get(p.status, 0) + 1
    return render(
        request,
        "reports/confirm_submit.html",
        {
            "report": report,
            "hidden": hidden,
            "saved": saved,
            "measure_count": len(progress),
            "status_counts": [(MeasureProgress.Status(s).label, n) for s, n in counts.items() if n],
            "evidence_count": sum(len(p.evidence.all()) for p in progress),
            "unchanged": unchanged,
            "copied_missing": request.POST.get("confirmed") == "1" and bool(unchanged),
        },
    )


def _show_submit_problems(request, report, may, forms, error, *, saved):
    """Submission refused: the text was saved as a draft; show every problem beside its field."""
    report.refresh_from_db()
    progress_list = _progress_list(report)
    data = request.POST.copy()
    data["version"] = str(report.version)
    for form in forms:
        data[form.add_prefix("base")] = digest(form.values())
    bound = []
    for progress in progress_list:
        form = MeasureProgressForm(data, instance=progress)
        form.is_valid()
        for name, message in error.problems.get(progress.pk, {}).items():
            if name in form.fields:
                form.add_error(name, message)
        bound.append(form)
    text = error.message
    if saved:
        text = _("Your changes were saved as a draft, but the report was not submitted: %(reason)s") % {
            "reason": error.message
        }
    messages.error(request, text)
    return _render_report(
        request,
        report,
        may,
        progress_list=progress_list,
        forms=bound,
        report_form=ReportForm(data, action=report.get_absolute_url()),
        problems=error.problems,
        status=400,
    )


def _show_conflict(request, report, may, forms, error):
    """Someone saved meanwhile: keep the typed text, show their version beside it, and the new version."""
    merge = merge_after_conflict(report, forms)
    progress_list = _progress_list(report)
    bound = []
    for progress in progress_list:
        form = MeasureProgressForm(merge.data, instance=progress)
        form.is_valid()
        bound.append(form)
    who = merge.saved_by.get_full_name() or merge.saved_by.username if merge.saved_by else _("someone")
    messages.error(
        request,
        _(
            "%(error)s It was saved by %(who)s. Their changes to fields you had not touched are now in the "
            "form; where you both changed a field, your text is kept and theirs is shown beside it. Check "
            "the measures marked below, then save again to keep your version."
        )
        % {"error": error.message, "who": who},
    )
    return _render_report(
        request,
        report,
        may,
        progress_list=progress_list,
        forms=bound,
        report_form=ReportForm(merge.data, action=report.get_absolute_url()),
        merge=merge,
        status=409,
    )


@login_required
@require_POST
def prefill(request, pk):
    """ "Start from last quarter": copy the previous quarter's entries and links into the empty measures."""
    report, _may = access.report(request.user, pk, roles.REPORTER)
    return _prefill(request, report)


def _prefill(request, report):
    try:
        count = services.prefill_from_previous(report, request.user)
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s measure was filled in from last quarter. Update it for this quarter.",
                "%(count)s measures were filled in from last quarter. Update them for this quarter.",
                count,
            )
            % {"count": count},
        )
    return redirect(report)
