"""The reviewer's form: an overall reason or comment and a comment per measure.

One form serves the three decisions (approve, return, reopen): the page's buttons post it to the
decision's own URL. Whether a reason is required is the workflow's rule (`reports.workflow`), not the
form's, so the form only carries what the reviewer typed and the version they were looking at. It has no
field for anything the agency wrote: a reviewer cannot change an agency's texts.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_COMMENT_LENGTH = 5000


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Reason or comment for the agency"),
        help_text=gettext_lazy("Required to return or reopen the report; optional when approving."),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, progress, **kwargs):
        """`progress`: the report's MeasureProgress rows (with measures loaded), one comment field each."""
        super().__init__(*args, **kwargs)
        self.progress = list(progress)
        for entry in self.progress:
            self.fields[self.comment_field_name(entry.measure_id)] = forms.CharField(
                label=_("Comment on measure %(code)s") % {"code": entry.measure.code},
                required=False,
                initial=entry.reviewer_comment,
                help_text=_(
                    "Your comment from the last return. It goes to the agency again only if you return the "
                    "report again: edit or clear it if it no longer applies."
                )
                if entry.reviewer_comment
                else "",
                max_length=MAX_COMMENT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def comment_field_name(measure_id: int) -> str:
        return f"comment_{measure_id}"

    def comment_field(self, measure_id: int):
        return self[self.comment_field_name(measure_id)]

    def measure_comments(self) -> dict[int, str]:
        """{measure id: comment} as typed (cleaned), for `workflow.return_report` / `workflow.reopen`."""
        return {
            entry.measure_id: self.cleaned_data.get(self.comment_field_name(entry.measure_id), "")
            for entry in self.progress
        }
