"""{% load exports %}: the consolidated report's download buttons (their query string, the agency home's list)."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from reports.exports.document import SCOPES
from reports.models import QuarterlyReport

register = template.Library()


@register.simple_tag
def export_query(agency="", include_submitted=False, report_status=""):
    """'?agency=AGA&include=submitted', or '' for every agency's approved reports."""
    params = {}
    if agency:
        params["agency"] = agency
    if include_submitted or report_status == "submitted":
        params["include"] = "submitted"
    return f"?{urlencode(params)}" if params else ""


@register.simple_tag
def agency_documents(agency, fiscal_year, rows) -> list[dict]:
    """The agency home's documents (reports/exports/): each quarter with a submitted or approved report, and
    each round with one, as {"label", "pdf", "xlsx"}. A document with a report still waiting for approval
    includes it, marked as not yet approved. No query: `rows` (the home's QuarterRow list) hold the reports."""
    shown = {QuarterlyReport.Status.APPROVED, QuarterlyReport.Status.SUBMITTED}
    statuses = {row.period.quarter: row.status for row in rows if row.status in shown}
    scopes = [(f"q{q}", _("Quarter %(quarter)s") % {"quarter": q}, (q,)) for q in sorted(statuses)]
    for code, quarters in (("r6", (1, 2)), ("r12", (1, 2, 3, 4))):
        if any(q in statuses for q in quarters):
            scopes.append((code, SCOPES[code].label, quarters))
    documents = []
    for code, label, quarters in scopes:
        submitted = any(statuses.get(q) == QuarterlyReport.Status.SUBMITTED for q in quarters)
        query = export_query(agency.code, include_submitted=submitted)
        urls = {
            fmt: reverse("reports:export", args=[fiscal_year.year, code, fmt]) + query
            for fmt in ("pdf", "xlsx")
        }
        documents.append({"label": label, "submitted": submitted, **urls})
    return documents
