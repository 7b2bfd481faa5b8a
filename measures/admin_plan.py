"""The fiscal year admin's plan tools: import a plan file (upload → preview of the changes → confirm) and copy
a year's plan to the next year.

The uploaded file is kept in the default storage (not on one app server's disk) between the preview and the
confirmation, under a random name held in the administrator's session; confirming reads it back, loads it in one
transaction and deletes it. The preview runs the real load and rolls it back, so it lists exactly what the
confirmation will change (if nothing changes in between).
"""

import re
import secrets

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from measures.plan_import import PlanFormatError, PlanImportError, load_plan, parse_document, preview_plan

MAX_PLAN_BYTES = 5 * 1024 * 1024
SESSION_KEY = "measures_plan_import"
UPLOAD_DIR = "plan-imports"


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan file"),
        help_text=_(
            "An Excel workbook (.xlsx) with the plan's six columns, or the tab-separated text (.tsv)."
        ),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.tsv,.txt"}),
    )
    year = forms.IntegerField(
        label=_("Fiscal year (B.E.)"),
        required=False,
        min_value=2500,
        max_value=2700,
        help_text=_("Leave empty to read it from the plan's title (พ.ศ. ….)."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_PLAN_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_PLAN_BYTES // 2**20}
            )
        return uploaded


def _describe(error) -> str:
    return _("The file cannot be imported: %(error)s. Nothing was changed.") % {"error": error}


def import_plan_view(model_admin, request):
    """GET: the upload form. POST with a file: the preview. POST with `confirm`: the import."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import a plan"),
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(model_admin, request)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        name = form.cleaned_data["file"].name
        year = form.cleaned_data["year"]
        try:
            plan = parse_document(data)
            target_year, changes = preview_plan(plan, year=year, source_name=name)
        except (PlanFormatError, PlanImportError) as error:
            form.add_error("file", _describe(error))
        else:
            stored = default_storage.save(f"{UPLOAD_DIR}/{secrets.token_hex(16)}.upload", ContentFile(data))
            _discard(request)
            request.session[SESSION_KEY] = {"path": stored, "name": name, "year": year}
            return TemplateResponse(
                request,
                "admin/measures/fiscalyear/import_plan_preview.html",
                {
                    **context,
                    "changes": changes,
                    "summary": summarize(changes),
                    "target_year": target_year,
                    "file_name": name,
                },
            )
    return TemplateResponse(request, "admin/measures/fiscalyear/import_plan.html", {**context, "form": form})


def _discard(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and default_storage.exists(pending["path"]):
        default_storage.delete(pending["path"])


def _confirm(model_admin, request):
    pending = request.session.get(SESSION_KEY)
    here = reverse("admin:measures_fiscalyear_import_plan")
    if not pending or not default_storage.exists(pending["path"]):
        messages.error(request, _("The uploaded file has expired; upload it again."))
        return redirect(here)
    with default_storage.open(pending["path"], "rb") as handle:
        data = handle.read()
    try:
        fiscal_year, changes = load_plan(
            parse_document(data), year=pending["year"], source_name=pending["name"]
        )
    except (PlanFormatError, PlanImportError) as error:
        messages.error(request, _describe(error))
        return redirect(here)
    finally:
        _discard(request)
    model_admin.log_change(
        request, fiscal_year, _("Imported the plan from %(name)s") % {"name": pending["name"]}
    )
    messages.success(
        request,
        _("Fiscal year %(year)s: the plan from %(name)s is imported (%(count)s changes).")
        % {"year": fiscal_year.year, "name": pending["name"], "count": len(changes)},
    )
    return redirect(reverse("admin:measures_fiscalyear_change", args=[fiscal_year.pk]))


# What the importer's change lines are about, for the preview's summary (the lines themselves are the command's).
_KINDS = ("fiscal year", "reporting period", "indicator", "measure", "step")
_CHANGE_RE = re.compile(rf"(created|updated|deleted) (?:(\d+) )?({'|'.join(_KINDS)})")


def summarize(changes: list[str]) -> list[str]:
    """The change lines counted in Thai: "สร้างมาตรการ 3 รายการ" (created measures: 3) and so on."""
    labels = {
        "created": {
            "fiscal year": _("Fiscal year created: %(count)s"),
            "reporting period": _("Reporting periods created: %(count)s"),
            "indicator": _("Indicators created: %(count)s"),
            "measure": _("Measures created: %(count)s"),
            "step": _("Steps created: %(count)s"),
        },
        "updated": {
            "fiscal year": _("Fiscal year updated: %(count)s"),
            "reporting period": _("Reporting periods updated: %(count)s"),
            "indicator": _("Indicators updated: %(count)s"),
            "measure": _("Measures updated: %(count)s"),
            "step": _("Steps updated: %(count)s"),
        },
        "deleted": {
            "fiscal year": _("Fiscal year deleted: %(count)s"),
            "reporting period": _("Reporting periods deleted: %(count)s"),
            "indicator": _("Indicators deleted: %(count)s"),
            "measure": _("Measures deleted: %(count)s"),
            "step": _("Steps deleted: %(count)s"),
        },
    }
    counts: dict[tuple[str, str], int] = {}
    for line in changes:
        match = _CHANGE_RE.match(line)
        if match:
            key = (match.group(1), match.group(3))
            counts[key] = counts.get(key, 0) + int(match.group(2) or 1)
    return [
        labels[verb][kind] % {"count": count}
        for verb in labels
        for kind in _KINDS
        if (count := counts.get((verb, kind)))
    ]
