"""The consolidated report's addresses (README "Exports"): /exports/<year>/<scope>.<xlsx|pdf> and
/exports/<year>/<scope>/print/, with ?agency=<code>, ?include=submitted and ?digits=thai.

Reviewers and administrators export every agency (or one, with ?agency=); a reporter exports their own agency
only: another agency's code is a 404, as if it did not exist. Anyone else signed in: 403; anonymous: login.
"""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from measures.models import FiscalYear
from reports import access
from reports.exports.document import SCOPES, build_document
from reports.exports.xlsx import write_xlsx
from satun_ita.pdf import (
    PDFUnavailable,
    pdf_response,
    pdf_unavailable_response,
    render_pdf,
    render_print_html,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE = "reports/exports/consolidated.html"


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
    by_measure = document.results_by_measure()
    for row in document.rows:
        row.results = by_measure.get(row.measure.pk, []) if row.measure is not None else []
    year, scope = document.fiscal_year.year, document.scope.code
    return {
        "document": document,
        "rows": document.rows,
        "urls": {
            "pdf": reverse("reports:export", args=[year, scope, "pdf"]) + _query(request),
            "xlsx": reverse("reports:export", args=[year, scope, "xlsx"]) + _query(request),
        },
    }


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
        content = render_pdf(TEMPLATE, _context(request, document), request=request)
    except PDFUnavailable:
        return pdf_unavailable_response(request)
    return pdf_response(content, document.filename("pdf"))


@require_safe
@login_required
def export_print(request, year, scope):
    """The same document as print-ready HTML (the browser's print gives A4 landscape pages)."""
    document = _document(request, year, scope)
    return HttpResponse(render_print_html(TEMPLATE, _context(request, document), request=request))
