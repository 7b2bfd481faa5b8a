from django import forms
from django.utils.translation import gettext_lazy as _

from oit.readiness.models import ChecklistAnswer


class ItemAnswerForm(forms.Form):
    """One item of the checklist: มี/ไม่มี, the URL, the explanation."""

    answer = forms.ChoiceField(
        label=_("answer"),
        choices=[("", _("Not answered yet")), *ChecklistAnswer.Answer.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "form-control form-control-sm"}),
    )
    explanation = forms.CharField(
        label=_("explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        max_length=4000,
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == ChecklistAnswer.Answer.YES and not data.get("url"):
            self.add_error("url", _("An item answered มี needs the URL that shows it."))
        return data


ItemAnswerFormSet = forms.formset_factory(ItemAnswerForm, extra=0, max_num=200, absolute_max=200)
