"""Forms of the agency's report page, rendered with crispy-forms (Bootstrap 5).

The page is one HTML form (`#report-form`) for every measure's fields: each measure has its own prefixed
`MeasureProgressForm`, and its inputs join the report form through the HTML `form` attribute, so the evidence
forms (real `<form>` elements of their own: add a link, upload a file, remove) can sit beside each measure
without nesting forms.
"""

from crispy_forms.bootstrap import FormActions, InlineRadios, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from measures import thaidate
from reports.models import Evidence, MeasureProgress
from reports.reporting import uploads
from reports.reporting.merge import digest, normalise_text
from reports.workflow import SUBMIT

REPORT_FORM_ID = "report-form"
REPORTED_FIELDS = MeasureProgress.REPORTED_FIELDS


class MeasureProgressForm(forms.ModelForm):
    """One measure's status, results, obstacles and percent; prefixed `p<progress id>`."""

    status = forms.ChoiceField(
        label=REPORTED_FIELDS["status"],
        choices=MeasureProgress.Status.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    percent = forms.IntegerField(
        label=_("Percent complete (optional)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100, "step": 1}),
    )
    # Fingerprints of the values this form was opened with: after a concurrent save, they tell which fields
    # the other person changed and which ones this user changed.
    base = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = MeasureProgress
        # `percent` is declared above and left out here on purpose: the form field checks 0–100 and the
        # database constraint backs it, so the model's CheckConstraint is not re-validated with one
        # query per measure on every save.
        fields = ["status", "result", "obstacles"]
        labels = {
            "result": _("Results this quarter (ผลการดำเนินการ)"),
            "obstacles": _("Obstacles and suggestions (optional)"),
        }
        widgets = {
            "result": forms.Textarea(attrs={"rows": 4}),
            "obstacles": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", f"p{kwargs['instance'].pk}")
        super().__init__(*args, **kwargs)
        self.initial.setdefault("percent", self.instance.percent)
        if not self.is_bound:
            self.initial["base"] = digest({f: getattr(self.instance, f) for f in REPORTED_FIELDS})
        for field in self.fields.values():
            field.widget.attrs["form"] = REPORT_FORM_ID
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            InlineRadios("status"),
            Field("result"),
            Div(
                Div(Field("obstacles"), css_class="col-md-9"),
                Div(Field("percent"), css_class="col-md-3"),
                css_class="row",
            ),
            Field("base"),
        )

    def clean_result(self):
        return normalise_text(self.cleaned_data.get("result"))

    def clean_obstacles(self):
        return normalise_text(self.cleaned_data.get("obstacles"))

    def values(self) -> dict:
        """The reported fields as typed (after validation)."""
        return {field: self.cleaned_data.get(field) for field in REPORTED_FIELDS}


class ReportForm(forms.Form):
    """The report's own form element: the version it was opened at, and the two buttons."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, action="", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_id = REPORT_FORM_ID
        self.helper.form_method = "post"
        self.helper.form_action = action
        self.helper.form_class = "report-actions"
        # novalidate: the server's Thai messages, beside each measure; data-warn-unsaved: portal.js asks before
        # the page is left with changes not saved.
        self.helper.attrs = {"novalidate": "", "data-warn-unsaved": ""}
        self.helper.layout = Layout(
            Field("version"),
            FormActions(
                StrictButton(
                    _("Save draft"), type="submit", name="action", value="save", css_class="btn-primary"
                ),
                StrictButton(
                    SUBMIT.label,
                    type="submit",
                    name="action",
                    value=SUBMIT.name,
                    css_class=SUBMIT.style,
                    data_confirm_dialog="submit-dialog",
                ),
                css_class="d-flex flex-wrap gap-2 mb-0",
            ),
        )


class PrefillForm(forms.Form):
    """ "Start from last quarter": a button, and nothing else."""

    def __init__(self, *args, action="", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.form_action = action
        self.helper.form_class = "d-inline"
        # The button belongs to the report form too (form=…, name=action): what was typed is saved first and
        # only the empty measures are filled. Its own form posts to the prefill URL when the report form is not
        # on the page.
        self.helper.layout = Layout(
            StrictButton(
                _("Start from last quarter"),
                type="submit",
                name="action",
                value="prefill",
                form=REPORT_FORM_ID,
                css_class="btn-outline-primary btn-sm",
            )
        )


class _EvidenceForm(forms.ModelForm):
    """Shared by both evidence forms: a description and a date, prefixed per measure."""

    submit_label = ""
    kind = ""

    def __init__(self, *args, progress, action="", hx_target="", **kwargs):
        kwargs.setdefault("prefix", f"{self.kind}{progress.pk}")
        super().__init__(*args, **kwargs)
        self.progress = progress
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.form_action = action
        self.helper.form_class = f"evidence-form evidence-{self.kind}"
        # data-hx-*: htmx reads them like hx-*, and they are valid HTML. novalidate: the server's Thai
        # messages beside the field, not the browser's own (English) bubbles.
        self.helper.attrs = {
            "data-hx-post": action,
            "data-hx-target": hx_target,
            "data-hx-swap": "outerHTML",
            "novalidate": "",
        }
        self.helper.layout = self.build_layout()

    # The evidence itself (the link or the file field) and the button that adds it; set by each subclass.
    main_field = ""
    button_label = ""

    def build_layout(self):
        return Layout(
            Field(self.main_field),
            Div(
                Div(Field("description"), css_class="col-sm-8"),
                Div(Field("date"), css_class="col-sm-4"),
                css_class="row",
            ),
            StrictButton(self.button_label, type="submit", css_class="btn-outline-primary btn-sm"),
        )

    def clean_date(self):
        """A B.E. year typed into the browser's date picker (which counts C.E.) is read as B.E.

        Thai staff write 15/03/2565 out of habit; stored as C.E. 2565 it would read "15 มี.ค. 3108".
        """
        try:
            return thaidate.be_to_ce(self.cleaned_data.get("date"))
        except ValueError:  # 29 February of a B.E. year whose C.E. year is not a leap year
            raise ValidationError(_("Enter a valid date."), code="invalid") from None


class LinkEvidenceForm(_EvidenceForm):
    kind = "link"
    main_field = "url"
    button_label = _("Add link")
    url = forms.URLField(
        label=_("Link (URL) to the published page"),
        max_length=500,
        assume_scheme="https",
        # A text box, not type="url": the browser would refuse "www.example.go.th" with its own English
        # message; the server adds the https:// (assume_scheme) and answers in Thai.
        widget=forms.TextInput(
            attrs={
                "inputmode": "url",
                "autocomplete": "url",
                "spellcheck": "false",
                "placeholder": "www.example.go.th",
            }
        ),
    )

    class Meta:
        model = Evidence
        fields = ["url", "description", "date"]
        labels = {
            "description": _("Short description"),
            "date": _("Date (optional)"),
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Enter a web address starting with http:// or https://."))
        return url


class FileEvidenceForm(_EvidenceForm):
    kind = "file"
    main_field = "file"
    button_label = _("Upload file")

    class Meta:
        model = Evidence
        fields = ["file", "description", "date", "is_public"]
        labels = {
            "file": _("File (PDF, JPEG, PNG, DOCX, XLSX, ODT or ODS)"),
            "description": _("Short description"),
            "date": _("Date (optional)"),
            "is_public": _("Publish this file with the approved results (no personal data in it)"),
        }
        widgets = {
            "file": forms.FileInput(attrs={"accept": uploads.ACCEPT}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True
        self.fields["file"].help_text = _("At most %(mb)s MB.") % {"mb": uploads.max_upload_bytes() // 2**20}
        self.helper.attrs["data-hx-encoding"] = "multipart/form-data"
        self.helper.layout.insert(2, Field("is_public"))
        self.content_type = ""

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.content_type = uploads.check_upload(uploaded)
        return uploaded
