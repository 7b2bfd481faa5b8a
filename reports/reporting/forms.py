"""Forms of the agency's report page: the evidence forms rendered with crispy-forms (Bootstrap 5); the
measure, report and prefill forms, which every visit renders, with plain templates of the same markup.

The page is one HTML form (`#report-form`) for every measure's fields: each measure has its own prefixed
`MeasureProgressForm`, and its inputs join the report form through the HTML `form` attribute, so the evidence
forms (real `<form>` elements of their own: add a link, upload a file, remove) can sit beside each measure
without nesting forms.
"""

from crispy_forms.bootstrap import StrictButton
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
    # The two texts, limited in length (told beside the field, with a live counter: static/js/portal.js).
    # Declared here and left out of Meta.fields like `percent`: the database's length constraints back them
    # without one validation query per measure and save.
    result = forms.CharField(
        label=_("Results this quarter (ผลการดำเนินการ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    obstacles = forms.CharField(
        label=_("Obstacles and suggestions (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Fingerprints of the values this form was opened with: after a concurrent save, they tell which fields
    # the other person changed and which ones this user changed.
    base = forms.CharField(required=False, widget=forms.HiddenInput)

    LIMITS = {"result": MeasureProgress.RESULT_MAX_LENGTH, "obstacles": MeasureProgress.OBSTACLES_MAX_LENGTH}

    class Meta:
        model = MeasureProgress
        # `percent`, `result` and `obstacles` are declared above and left out here on purpose: the form
        # fields check them and the database constraints back them, so the model's CheckConstraints are not
        # re-validated with one query per measure on every save.
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", f"p{kwargs['instance'].pk}")
        super().__init__(*args, **kwargs)
        for name in ("percent", "result", "obstacles"):
            self.initial.setdefault(name, getattr(self.instance, name))
        for name, limit in self.LIMITS.items():
            field = self.fields[name]
            field.help_text = _("At most %(limit)s characters.") % {"limit": f"{limit:,}"}
            field.widget.attrs.update(
                {
                    "maxlength": limit,
                    "data-counter": _("%(count)s of %(limit)s characters")
                    % {"count": "{count}", "limit": f"{limit:,}"},
                }
            )
        if not self.is_bound:
            self.initial["base"] = digest({f: getattr(self.instance, f) for f in REPORTED_FIELDS})
        for field in self.fields.values():
            field.widget.attrs["form"] = REPORT_FORM_ID
        # Rendered by templates/reports/includes/progress_form.html (crispy's markup without its per-field
        # templates; tests/reporting/test_progress_form_markup.py holds the crispy layout it replaces).

    def _clean_text(self, name):
        # Counted after line breaks are normalised: the browser counts a line break as one character.
        text = normalise_text(self.cleaned_data.get(name))
        if len(text) > self.LIMITS[name]:
            raise ValidationError(
                _(
                    "At most %(limit)s characters: this text has %(count)s. Shorten it, or attach the full text as a file."
                ),
                code="max_length",
                params={"limit": f"{self.LIMITS[name]:,}", "count": f"{len(text):,}"},
            )
        return text

    def clean_result(self):
        return self._clean_text("result")

    def clean_obstacles(self):
        return self._clean_text("obstacles")

    def values(self) -> dict:
        """The reported fields as typed (after validation)."""
        return {field: self.cleaned_data.get(field) for field in REPORTED_FIELDS}


class ReportForm(forms.Form):
    """The report's own form element: the version it was opened at, and the two buttons.

    Rendered by templates/reports/includes/report_form.html."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    form_id = REPORT_FORM_ID
    submit = SUBMIT

    def __init__(self, *args, action="", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action


class PrefillForm(forms.Form):
    """ "Start from last quarter": a button, and nothing else (templates/reports/includes/prefill_form.html)."""

    report_form_id = REPORT_FORM_ID

    def __init__(self, *args, action="", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action


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

        Thai staff write 15/03/2565 out of habit; stored as C.E. 2565 it would read "15 มี.ค. 3108". A date
        far outside the report's fiscal year (a typo such as 2556 for 2565) is refused.
        """
        try:
            day = thaidate.be_to_ce(self.cleaned_data.get("date"))
        except ValueError:  # 29 February of a B.E. year whose C.E. year is not a leap year
            raise ValidationError(_("Enter a valid date."), code="invalid") from None
        if day is not None:
            fiscal_year = self.progress.report.period.fiscal_year
            first, last = fiscal_year.evidence_window()
            if not first <= day <= last:
                raise ValidationError(
                    _(
                        "This date is too far outside fiscal year %(year)s: evidence for it is dated "
                        "from %(first)s to %(last)s."
                    )
                    % {
                        "year": fiscal_year.year,
                        "first": thaidate.local_date(first),
                        "last": thaidate.local_date(last),
                    },
                    code="outside_fiscal_year",
                )
        return day


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
