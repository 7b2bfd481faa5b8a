"""{% load exports %}: the query string of the consolidated report's download buttons."""

from django import template
from django.utils.http import urlencode

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
