"""The consolidated report's addresses (README "Exports"): /exports/<year>/<scope>.<xlsx|pdf> and
/exports/<year>/<scope>/print/, with ?agency=<code>, ?include=submitted and ?digits=thai.

Reviewers and administrators export every agency (or one, with ?agency=); a reporter exports their own agency
only: another agency's code is a 404, as if it did not exist. Anyone else signed in: 403; anonymous: login.
"""

import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_safe
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from measures.models import FiscalYear
from reports import access
from reports.exports import tasks
from reports.exports.document import SCOPES, build_document
from reports.exports.xlsx import write_xlsx
from satun_ita.pdf import (
    PDFUnavailable,
    pdf_response,
    pdf_unavailable_response,
    render_print_html,
    thai_digits_requested,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE = tasks.TEMPLATE


def _document(request, year: int, scope: str):
    scope = SCOPES.get(scope)
    if scope is None:
        raise Http404("No such scope.")
    agency = access.export_agency(request.user, request.GET.get("agency", "").strip())
    fiscal_year = get_object_or_404(FiscalYear, year=int(year))
    return build_document(
        request.user,
        fiscal_year,
        scope,
        agency=agency,
        include_submitted=request.GET.get("include") == "submitted",
    )


def _query(request, **extra) -> str:
    params = {k: request.GET[k] for k in ("agency", "include", "digits") if request.GET.get(k)}
    params.update(extra)
    return f"?{urlencode(params)}" if params else ""


def _context(request, document) -> dict:
    year, scope = document.fiscal_year.year, document.scope.code
    urls = {
        "pdf": reverse("reports:export", args=[year, scope, "pdf"]) + _query(request),
        "xlsx": reverse("reports:export", args=[year, scope, "xlsx"]) + _query(request),
    }
    return tasks.print_context(document, urls=urls, thai_digits=thai_digits_requested(request))


def _pdf(request, document):
    """The PDF: from storage when made before with the same content, else rendered now, or for a large
    document in the background (302 to the job's page); a document too large for any PDF gets a page that
    offers its XLSX instead."""
    thai_digits = thai_digits_requested(request)
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = tasks.document_key(document, thai_digits=thai_digits, language=language)
    name = tasks.stored_name(key)
    filename = document.filename("pdf")
    if default_storage.exists(name):
        return FileResponse(default_storage.open(name), as_attachment=True, filename=filename)
    if document.result_count > tasks.MAX_RESULTS:
        return _too_large(request, document)
    if document.result_count > tasks.SYNC_RESULTS:
        job_id = tasks.pending_job(request.user.pk, key)
        if job_id is None:
            params = tasks.document_params(document, thai_digits=thai_digits, language=language)
            job_id = tasks.build_pdf.enqueue(request.user.pk, *params, key).id
        return redirect(
            reverse("reports:export_job", args=[job_id]) + "?" + urlencode({"next": request.get_full_path()})
        )
    content = tasks.render_and_store(document, _context(request, document), key, request=request)
    return pdf_response(content, filename)


def _too_large(request, document):
    """The page for a document too large to lay out as pages (PDF or print page): its XLSX instead."""
    xlsx_url = reverse("reports:export", args=[document.fiscal_year.year, document.scope.code, "xlsx"])
    return render(
        request,
        "reports/exports/too_large.html",
        {"document": document, "max_results": tasks.MAX_RESULTS, "xlsx_url": xlsx_url + _query(request)},
    )


@require_safe
@login_required
def export_file(request, year, scope, fmt):
    """The consolidated report as XLSX (streamed from a temporary file) or PDF."""
    document = _document(request, year, scope)
    if fmt == "xlsx":
        output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
        write_xlsx(document, output, base_url=request.build_absolute_uri("/"))
        output.seek(0)
        return FileResponse(
            output, as_attachment=True, filename=document.filename("xlsx"), content_type=XLSX_TYPE
        )
    try:
        return _pdf(request, document)
    except PDFUnavailable:
        return pdf_unavailable_response(request)


@require_safe
@login_required
def export_job(request, job_id):
    """A background PDF's state: waiting, being made (the page reloads itself), ready (its link), or failed."""
    try:
        job = tasks.build_pdf.get_result(job_id)
    except (TaskResultDoesNotExist, ValueError, ValidationError) as missing:
        raise Http404("No such job.") from missing
    if not job.args or job.args[0] != request.user.pk:
        raise Http404("No such job.")  # another user's job does not exist for this one
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) or not next_url.startswith(
        "/exports/"
    ):
        next_url = ""
    return render(
        request,
        "reports/exports/job.html",
        {"job": job, "status": job.status, "Status": TaskResultStatus, "next_url": next_url},
    )


@require_safe
@login_required
def export_print(request, year, scope):
    """The same document as print-ready HTML (the browser's print gives A4 landscape pages)."""
    document = _document(request, year, scope)
    if document.result_count > tasks.MAX_RESULTS:
        return _too_large(request, document)  # a national quarter would be a page of ~50 MB
    return HttpResponse(render_print_html(TEMPLATE, _context(request, document), request=request))
