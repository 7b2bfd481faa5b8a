"""The OIT checklist pages: an agency's checklist (its reporters edit it, reviewers read it), the province's
readiness, and the answer sheet (CSV, XLSX) in ITAS's order."""

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from measures import thaidate
from measures.models import FiscalYear
from oit.readiness import access
from oit.readiness import checklist as service
from oit.readiness.forms import ItemAnswerFormSet
from oit.readiness.models import AnswerWindow, ChecklistAnswer


def _window_context(window: AnswerWindow | None) -> dict:
    today = thaidate.today()
    if window is None:
        return {"window": None}
    return {
        "window": window,
        "window_open": window.is_open(today),
        "days_to_open": window.days_to_open(today),
        "days_to_close": window.days_to_close(today),
    }


@login_required
@require_GET
def index(request):
    """The reviewer's readiness page or the reporter's own checklist, for the active fiscal year."""
    year = FiscalYear.objects.active()
    if year is None:
        raise PermissionDenied
    if access.can_view_all(request.user):
        return redirect("oit:readiness", year=year.year)
    agency = access.user_agency(request.user)
    if agency is not None and access.can_edit(request.user, agency):
        return redirect("oit:checklist", year=year.year, code=agency.code)
    raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def checklist_page(request, year, code):
    fiscal_year = access.get_year(year)
    agency = access.get_agency_for_user(request.user, code)
    editable = access.can_edit(request.user, agency)
    rows = service.checklist(agency, fiscal_year, site_url=settings.SITE_URL)
    initial = [{"answer": r.answer, "url": r.url, "explanation": r.explanation} for r in rows]
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        formset = ItemAnswerFormSet(request.POST, initial=initial)
        if formset.is_valid() and len(formset.forms) != len(rows):
            messages.error(
                request, _("The year's OIT items changed while you were editing; please fill them in again.")
            )
            return redirect("oit:checklist", year=year, code=code)
        if formset.is_valid():
            changes = [
                (row.item, form.cleaned_data)
                for row, form in zip(rows, formset.forms, strict=True)
                if form.has_changed()
            ]
            saved = service.save_answers(agency, changes, user=request.user)
            messages.success(
                request,
                _("Saved %(count)s item(s).") % {"count": saved} if saved else _("Nothing changed."),
            )
            return redirect("oit:checklist", year=year, code=code)
        messages.error(request, _("Some items could not be saved; see the messages beside them."))
    else:
        formset = ItemAnswerFormSet(initial=initial)
    context = {
        "fiscal_year": fiscal_year,
        "agency": agency,
        "editable": editable,
        "formset": formset,
        "rows": list(zip(rows, formset.forms, strict=True)) if len(formset.forms) == len(rows) else [],
        "counts": {
            state: sum(1 for r in rows if r.state == state) for state in ("ready", "broken", "no", "missing")
        },
        "total": len(rows),
        **_window_context(AnswerWindow.objects.filter(fiscal_year=fiscal_year).first()),
    }
    return render(request, "oit/checklist.html", context)


@login_required
@require_GET
def readiness_page(request, year):
    if not access.can_view_all(request.user):
        raise PermissionDenied
    fiscal_year = access.get_year(year)
    result = service.readiness(fiscal_year, site_url=settings.SITE_URL)
    years = FiscalYear.objects.filter(oit_items__isnull=False).distinct().order_by("-year")
    context = {
        "fiscal_year": fiscal_year,
        "readiness": result,
        "per_item": result.per_item(),
        "years": years,
        **_window_context(result.window),
    }
    return render(request, "oit/readiness.html", context)


# --- the answer sheet ----------------------------------------------------------------------------------------

ANSWER_WORDS = {ChecklistAnswer.Answer.YES: "มี", ChecklistAnswer.Answer.NO: "ไม่มี"}


def _sheet(request, year, code):
    fiscal_year = access.get_year(year)
    agency = access.get_agency_for_user(request.user, code)
    rows = service.checklist(agency, fiscal_year, site_url=settings.SITE_URL)
    header = [_("Item"), _("มี/ไม่มี"), _("URL"), _("Explanation")]
    lines = [[r.item.code, ANSWER_WORDS.get(r.answer, ""), r.url, r.explanation] for r in rows]
    return fiscal_year, agency, header, lines


def _filename(fiscal_year, agency, ext: str) -> str:
    return f"oit-{fiscal_year.year}-{agency.code}.{ext}"


@login_required
@require_GET
def answers_csv(request, year, code):
    fiscal_year, agency, header, lines = _sheet(request, year, code)
    out = io.StringIO()
    out.write("\ufeff")  # so Excel opens the Thai text as UTF-8
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(lines)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(fiscal_year, agency, "csv")}"'
    return response


@login_required
@require_GET
def answers_xlsx(request, year, code):
    import xlsxwriter

    fiscal_year, agency, header, lines = _sheet(request, year, code)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(f"OIT {fiscal_year.year}")
    bold = book.add_format({"bold": True, "font_name": "Sarabun", "bottom": 1})
    text = book.add_format({"font_name": "Sarabun", "text_wrap": True, "valign": "top"})
    sheet.write_row(0, 0, header, bold)
    for number, line in enumerate(lines, start=1):
        sheet.write_row(number, 0, line, text)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 60)
    sheet.set_column(3, 3, 60)
    sheet.freeze_panes(1, 0)
    # Printed, it is one page wide (landscape A4), its header row on every page, the agency and year on top.
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.hide_gridlines(0)
    title = _("OIT answer sheet, fiscal year %(year)s: %(agency)s") % {
        "year": fiscal_year.year,
        "agency": agency.name,
    }
    sheet.set_header("&C&12" + title.replace("&", "&&"))
    sheet.set_footer("&C&P / &N")
    book.close()
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(fiscal_year, agency, "xlsx")}"'
    return response
