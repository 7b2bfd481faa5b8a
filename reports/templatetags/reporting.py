"""Display helpers for the agency's report pages: status badges (text plus colour, never colour alone)."""

from django import forms, template
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
def bootstrap_widget(field) -> str:
    """The field's own widget with the classes crispy-bootstrap5 gave it: the widget's class name and
    `form-select` (a select) or `form-control`, and `is-invalid` when the field has errors."""
    widget = field.field.widget
    kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
    css = f"{type(widget).__name__.lower()} {kind}"
    if widget.attrs.get("class"):
        css = f"{widget.attrs['class']} {css}"
    return field.as_widget(attrs={"class": f"{css} is-invalid" if field.errors else css})
