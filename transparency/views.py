"""The public side: the year's approved results per quarter, per indicator and per agency, search, the
per-agency pages agencies paste into the NACC's ITAS, and public evidence files.

No login anywhere here; everything is read through transparency.published (approved snapshots only).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from measures import thaidate
from measures.models import Agency, FiscalYear, Indicator, ReportingPeriod
from measures.plan_table import default_plan_year, plan_years
from satun_ita import pdf
from transparency import oit_items, published
from transparency.caching import PUBLIC_MAX_AGE, cache_public, public_page

AGENCIES_PER_PAGE = 50
RESULTS_PER_PAGE = 20
# The three kinds of per-agency page, and the quarters each shows.
PAGE_KINDS = {
    "year": (1, 2, 3, 4),
    "r6": (1, 2),
    "r12": (1, 2, 3, 4),
}


def render_public(request, template, context, status=200):
    """Render a public page; for anonymous visitors without the CSRF token (no cookie: shared caches may keep
    the page), which base.html leaves out when `public_page` is set."""
    context = {"public_page": not request.user.is_authenticated, **context}
    return render(request, template, context, status=status)


def _year(year: int) -> tuple[FiscalYear, list[int]]:
    years = plan_years()
    if year not in years:
        raise Http404(_("No plan for this fiscal year."))
    return get_object_or_404(FiscalYear, year=year), sorted(years)


def _quarter(request, default=None) -> int | None:
    value = request.GET.get("quarter", "")
    if value.isdecimal() and 1 <= int(value) <= 4:
        return int(value)
    return default


def _periods(fiscal_year: FiscalYear) -> list[ReportingPeriod]:
    return list(fiscal_year.periods.order_by("quarter"))


@require_safe
def index(request):
    """/public/: the active fiscal year's page."""
    year = default_plan_year(plan_years())
    if year is None:
        return render_public(request, "transparency/empty.html", {})
    return year_page(request, year)


@dataclass
class AgencyRow:
    agency: Agency
    report: published.PublishedReport | None


@require_safe
@public_page
def year_page(request, year):
    """The fiscal year: the plan, the quarters, every agency's approved report for the chosen quarter, the
    indicators (each with its results page), and the search box."""
    fiscal_year, years = _year(year)
    periods = _periods(fiscal_year)
    reports = published.published_reports(fiscal_year)
    quarters_published = set(reports.values_list("period__quarter", flat=True).distinct())
    quarter = _quarter(request, default=max(quarters_published, default=1))
    in_quarter = reports.filter(period__quarter=quarter)
    agencies = Agency.objects.filter(is_active=True).order_by("order", "code")
    page = Paginator(agencies, AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    # Only the page's agencies' reports: the page reads the same number of rows with 33 agencies or 2,500.
    headers = {
        r.agency_id: published.publish_header(r)
        for r in in_quarter.filter(agency__in=list(page.object_list)).defer("approved_snapshot")
    }
    rows = [AgencyRow(agency, headers.get(agency.pk)) for agency in page.object_list]
    indicators = Indicator.objects.filter(fiscal_year=fiscal_year).order_by("number")
    return render_public(
        request,
        "transparency/year.html",
        {
            "fiscal_year": fiscal_year,
            "years": years,
            "periods": periods,
            "quarter": quarter,
            "period": next((p for p in periods if p.quarter == quarter), None),
            "quarters_published": quarters_published,
            "page": page,
            "rows": rows,
            "published_count": in_quarter.count(),
            "indicators": indicators,
            "canonical": reverse("transparency:year", args=[fiscal_year.year]),
        },
    )


@require_safe
@public_page
def indicator_page(request, year, number):
    """One indicator's measures and, for the chosen quarter, each agency's approved result on them."""
    fiscal_year, years = _year(year)
    indicator = get_object_or_404(Indicator, fiscal_year=fiscal_year, number=number)
    periods = _periods(fiscal_year)
    quarter = _quarter(request, default=1)
    measures = {
        pk: m for pk, m in published.plan_measures(fiscal_year).items() if m.indicator_id == indicator.pk
    }
    reports = published.published_reports(fiscal_year).filter(period__quarter=quarter)
    page = Paginator(reports, AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    results = [published.publish(report, measures) for report in page.object_list]
    published.keep_available_files(entry for result in results for entry in result.entries)
    return render_public(
        request,
        "transparency/indicator.html",
        {
            "fiscal_year": fiscal_year,
            "years": years,
            "indicator": indicator,
            "measures": list(measures.values()),
            "periods": periods,
            "quarter": quarter,
            "period": next((p for p in periods if p.quarter == quarter), None),
            "page": page,
            "results": results,
            "canonical": reverse("transparency:indicator", args=[fiscal_year.year, indicator.number]),
        },
    )


@require_safe
@public_page
def search(request, year):
    """Approved results and measures containing the words typed (see published.search for why "contains")."""
    fiscal_year, years = _year(year)
    query = request.GET.get("q", "").strip()[:100]
    quarter = _quarter(request)
    found = published.search(fiscal_year, query, quarter=quarter) if query else []
    page = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    published.keep_available_files(entry for _header, entry in page.object_list)
    return render_public(
        request,
        "transparency/search.html",
        {
            "fiscal_year": fiscal_year,
            "years": years,
            "periods": _periods(fiscal_year),
            "query": query,
            "quarter": quarter,
            "page": page,
            "total": len(found),
            "canonical": reverse("transparency:search", args=[fiscal_year.year]),
        },
    )


class Moved(Exception):
    """The agency's code has changed: its pages now live under `code`."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def agency_page_context(request, year, code, kind):
    """What a per-agency page shows: the quarters of `kind` (the year, or the 6- or 12-month round) with the
    agency's approved results. Raises Http404, or Moved for a former code."""
    fiscal_year, years = _year(year)
    agency, moved = published.agency_by_code(code)
    if agency is None:
        raise Http404(_("No such agency."))
    if moved:
        raise Moved(agency.code)
    quarters = PAGE_KINDS[kind]
    periods = [p for p in _periods(fiscal_year) if p.quarter in quarters]
    measures = published.plan_measures(fiscal_year)
    reports = {
        r.period.quarter: published.publish(r, measures)
        for r in published.published_reports(fiscal_year).filter(agency=agency, period__quarter__in=quarters)
    }
    published.keep_available_files(entry for report in reports.values() for entry in report.entries)
    sections = [(period, reports.get(period.quarter)) for period in periods]
    path = agency_url(fiscal_year.year, agency.code, kind)
    return {
        "fiscal_year": fiscal_year,
        "years": years,
        "agency": agency,
        "kind": kind,
        "sections": sections,
        "any_published": bool(reports),
        "oit_items": oit_items.items_for_page(fiscal_year, kind),
        "canonical": path,
        "absolute_url": request.build_absolute_uri(path),
        "printed_on": thaidate.today(),
        "pdf_url": agency_url(fiscal_year.year, agency.code, kind, pdf=True),
    }


def agency_url(year: int, code: str, kind: str = "year", *, pdf: bool = False) -> str:
    name = {"year": "agency", "r6": "agency_r6", "r12": "agency_r12"}[kind]
    return reverse(f"transparency:{name}{'_pdf' if pdf else ''}", args=[year, code])


@require_safe
@public_page
def agency_page(request, year, code, kind="year"):
    """/public/<year>/agency/<code>/ (and …/r6/, …/r12/): the stable address an agency gives ITAS."""
    try:
        context = agency_page_context(request, year, code, kind)
    except Moved as moved:
        return redirect(agency_url(year, moved.code, kind), permanent=True)
    return render_public(request, "transparency/agency.html", context)


@require_safe
def agency_pdf(request, year, code, kind="year"):
    """The per-agency page as a PDF (the shared renderer, satun_ita/pdf.py), for where a file is asked for."""
    try:
        context = agency_page_context(request, year, code, kind)
    except Moved as moved:
        return redirect(agency_url(year, moved.code, kind, pdf=True), permanent=True)
    try:
        content = pdf.render_pdf("transparency/agency_pdf.html", context, request=request)
    except pdf.PDFUnavailable:
        return pdf.pdf_unavailable_response(request)
    response = pdf.pdf_response(content, f"ita-{year}-{context['agency'].code}-{kind}.pdf")
    return cache_public(response, request)


@require_safe
def evidence_download(request, report_id, evidence_id):
    """A public evidence file: only if it is in the report's approved version marked public, and the agency
    has not withdrawn the mark since (a file removed after the approval stays, as approved, until the next
    approval). Always an attachment, never rendered in the portal's origin."""
    served = published.public_file(report_id, evidence_id)
    if served is None:
        raise Http404(_("This file is not published."))
    try:
        handle = published.evidence_storage().open(served.stored, "rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404(_("The file is no longer available.")) from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=served.filename or served.stored.rsplit("/", 1)[-1],
        content_type=served.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


@csrf_exempt
@require_POST
def set_language(request):
    """The language switcher of a public page seen by an anonymous visitor.

    Those pages carry no CSRF token, so that they set no cookie and a shared cache may keep them; this form
    only sets the visitor's own language preference (Django's view, which checks the `next` address), which
    another site gains nothing by changing.
    """
    return i18n.set_language(request)
