"""Evidence of a measure: the forms to add a link or upload a file, removing, and downloading files.

With htmx the measure's evidence block is swapped in place; without JavaScript the forms are a page of
their own (`evidence_manage`) and every change is a normal POST and redirect. Downloads go only through
`evidence_download`, which gets the evidence from `reports.access` (its `for_user()` scope): stored files have
no public URL.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from reports import access, roles, workflow
from reports.models import Evidence, MeasureProgress
from reports.reporting import services
from reports.reporting.forms import FileEvidenceForm, LinkEvidenceForm
from reports.reporting.views import MeasureItem, is_htmx


def _evidence_forms(progress, link_form=None, file_form=None):
    target = f"#evidence-{progress.pk}"
    link_form = link_form or LinkEvidenceForm(
        progress=progress,
        action=reverse("reports:evidence_add_link", args=[progress.pk]),
        hx_target=target,
    )
    file_form = file_form or FileEvidenceForm(
        progress=progress,
        action=reverse("reports:evidence_add_file", args=[progress.pk]),
        hx_target=target,
    )
    return link_form, file_form


def _progress_for_change(request, progress_id) -> MeasureProgress:
    progress, _may = access.progress(request.user, progress_id, roles.REPORTER)
    return progress


def _evidence_item(request, progress, *, notice="", error=False, link_form=None, file_form=None, focus=False):
    """One measure's evidence block with its two forms (the measure's evidence list freshly read)."""
    progress = (
        MeasureProgress.objects.select_related(
            "measure__indicator", "report__period__fiscal_year", "report__agency"
        )
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk")))
        .get(pk=progress.pk)
    )
    item = MeasureItem(
        progress=progress,
        editable=access.may(request.user, progress.report).edit,
        notice=notice,
        notice_is_error=error,
    )
    if item.editable:
        item.link_form, item.file_form = _evidence_forms(progress, link_form, file_form)
        if focus:
            item.link_form.fields["url"].widget.attrs["autofocus"] = True
    return item


def _render_evidence(request, item, status=200):
    """htmx gets the block alone; without JavaScript it is a page of its own (the no-JS way to add)."""
    if is_htmx(request):
        return render(request, "reports/includes/evidence.html", {"item": item}, status=status)
    return render(
        request, "reports/evidence.html", {"item": item, "report": item.progress.report}, status=status
    )


def _evidence_response(request, progress, *, notice="", error=False, link_form=None, file_form=None):
    """After adding or removing: htmx gets the measure's evidence block again; without JavaScript, success
    goes back to the measure on the report page and a refused form is shown again on the evidence page."""
    if is_htmx(request):
        # htmx swaps 2xx responses only: a refused form comes back as 200 with its messages in it.
        item = _evidence_item(
            request, progress, notice=notice, error=error, link_form=link_form, file_form=file_form
        )
        return _render_evidence(request, item)
    if not error:
        messages.success(request, notice)
        return redirect(f"{progress.report.get_absolute_url()}#evidence-{progress.pk}")
    messages.error(request, notice)
    if link_form is None and file_form is None:
        return redirect(f"{progress.report.get_absolute_url()}#evidence-{progress.pk}")
    item = _evidence_item(request, progress, link_form=link_form, file_form=file_form)
    return _render_evidence(request, item, status=400)


@login_required
@require_safe
def evidence_manage(request, progress_id):
    """The measure's evidence with the forms to add a link or upload a file.

    With htmx, "+ add evidence" on the report page swaps this block in place; without JavaScript it is a
    page of its own, whose forms post back and return to the report.
    """
    progress = _progress_for_change(request, progress_id)
    if not progress.report.is_editable_by_agency:
        messages.error(
            request,
            _("This report is “%(status)s” and can no longer be changed.")
            % {"status": progress.report.get_status_display()},
        )
        return redirect(progress.report)
    return _render_evidence(request, _evidence_item(request, progress, focus=is_htmx(request)))


def _evidence_form_action(progress, kind):
    return reverse(f"reports:evidence_add_{kind}", args=[progress.pk])


@login_required
@require_POST
def evidence_add_link(request, progress_id):
    progress = _progress_for_change(request, progress_id)
    form = LinkEvidenceForm(
        request.POST,
        progress=progress,
        action=_evidence_form_action(progress, "link"),
        hx_target=f"#evidence-{progress.pk}",
    )
    if not form.is_valid():
        return _evidence_response(
            request, progress, notice=_("The link was not added."), error=True, link_form=form
        )
    try:
        services.add_link(progress, request.user, **form.cleaned_data)
    except workflow.WorkflowError as error:
        return _evidence_response(request, progress, notice=error.message, error=True)
    return _evidence_response(request, progress, notice=_("Link added."))


@login_required
@require_POST
def evidence_add_file(request, progress_id):
    progress = _progress_for_change(request, progress_id)
    form = FileEvidenceForm(
        request.POST,
        request.FILES,
        progress=progress,
        action=_evidence_form_action(progress, "file"),
        hx_target=f"#evidence-{progress.pk}",
    )
    if not form.is_valid():
        return _evidence_response(
            request, progress, notice=_("The file was not uploaded."), error=True, file_form=form
        )
    try:
        services.add_file(
            progress,
            request.user,
            uploaded=form.cleaned_data["file"],
            content_type=form.content_type,
            description=form.cleaned_data["description"],
            date=form.cleaned_data["date"],
            is_public=form.cleaned_data["is_public"],
        )
    except workflow.WorkflowError as error:
        return _evidence_response(request, progress, notice=error.message, error=True)
    return _evidence_response(request, progress, notice=_("File uploaded."))


@login_required
@require_POST
def evidence_remove(request, pk):
    evidence, _may = access.evidence(request.user, pk, roles.REPORTER)
    progress = evidence.progress
    try:
        still_published = services.remove_evidence(evidence, request.user)
    except workflow.WorkflowError as error:
        return _evidence_response(request, progress, notice=error.message, error=True)
    if still_published:
        notice = _(
            "Evidence removed from this report. The file stays on the public site with the approved version "
            "until the report is approved again."
        )
    else:
        notice = _("Evidence removed.")
    return _evidence_response(request, progress, notice=notice)


@login_required
@require_safe
def evidence_download(request, pk):
    """A stored evidence file, for whoever may read its report; always as an attachment, never rendered."""
    evidence, _may = access.evidence(request.user, pk, kind=Evidence.Kind.FILE)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404(_("The file is no longer available.")) from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
