"""Display helpers for the agency's report pages: status badges (text plus colour, never colour alone)."""

from django import template
from django.template.defaultfilters import filesizeformat

from reports.models import QuarterlyReport

register = template.Library()

Status = QuarterlyReport.Status

BADGE_CLASSES = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-primary",
    Status.RETURNED: "text-bg-warning",
    Status.APPROVED: "text-bg-success",
}


@register.filter
def status_badge(status) -> str:
    """Bootstrap badge classes for a report status ('' = no report yet)."""
    return BADGE_CLASSES.get(status, "text-bg-light border")


@register.filter
def file_size(value) -> str:
    return filesizeformat(value) if value else ""


@register.filter
def widget_class(field, css: str) -> str:
    """The field's own widget with Bootstrap's classes, and `is-invalid` when it has errors (as crispy did)."""
    return field.as_widget(attrs={"class": f"{css} is-invalid" if field.errors else css})
