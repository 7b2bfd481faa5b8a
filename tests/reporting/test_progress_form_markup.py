"""The measure form's plain template writes the same HTML crispy-forms wrote with the form's old layout.

The report page renders ten MeasureProgressForms; crispy-forms rendered each field through its own templates (and
each radio choice through more), half of the page's time. `reports/includes/progress_form.html` writes the same
markup in one template. Here both are rendered for the states a reporter meets (opened, typed, every kind of
error, an error added after validation) and compared as HTML (attribute order and whitespace aside).
"""

import difflib

import pytest
from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from crispy_forms.utils import render_crispy_form
from django.template.loader import render_to_string
from django.test.html import parse_html

from reports.reporting.forms import MeasureProgressForm

pytestmark = pytest.mark.django_db


def crispy_html(form):
    """What `{% crispy item.form %}` rendered with the form's layout before the plain template."""
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(
        InlineRadios("status"),
        Field("result"),
        Div(
            Div(Field("obstacles"), css_class="col-md-9"),
            Div(Field("percent"), css_class="col-md-3"),
            css_class="row",
        ),
        Field("base"),
    )
    return render_crispy_form(form, helper)


def plain_html(form):
    return render_to_string("reports/includes/progress_form.html", {"form": form})


def assert_same(form):
    actual = parse_html(plain_html(form))  # first: crispy leaves its classes in the widgets' attrs
    expected = parse_html(crispy_html(form))
    assert actual == expected, "\n".join(
        difflib.unified_diff(str(expected).splitlines(), str(actual).splitlines())
    )


def bound(progress, **values):
    form = MeasureProgressForm(instance=progress)
    data = {form.add_prefix(name): "" for name in ("status", "result", "obstacles", "percent", "base")}
    data.update({form.add_prefix(name): value for name, value in values.items()})
    form = MeasureProgressForm(data, instance=progress)
    form.is_valid()
    return form


def test_an_empty_measure_opened(progress):
    assert_same(MeasureProgressForm(instance=progress[0]))


def test_a_filled_measure_opened(progress):
    p = progress[0]
    p.status, p.result, p.obstacles, p.percent = "done", 'ผล <b>ทำแล้ว</b> & "ครบ"', "อุปสรรค\nบรรทัดสอง", 100
    p.save()
    html = plain_html(MeasureProgressForm(instance=p))
    assert "checked" in html and "&lt;b&gt;" in html
    assert_same(MeasureProgressForm(instance=p))


def test_valid_typed_values(progress):
    form = bound(progress[0], status="in_progress", result="ผลใหม่", percent="40")
    assert form.is_valid()
    assert_same(form)


def test_errors_on_every_kind_of_field(progress):
    form = bound(progress[0], status="nonsense", result="ก" * 5001, obstacles="ข" * 2001, percent="101")
    assert set(form.errors) == {"status", "result", "obstacles", "percent"}
    html = plain_html(form)
    assert html.count("invalid-feedback") == 4 and 'aria-invalid="true"' in html
    assert_same(form)


def test_two_errors_on_one_field_and_one_added_after_validation(progress):
    form = bound(progress[0], percent="abc")
    form.add_error("percent", "ค่าอื่นด้วย")
    form.add_error("result", "มีคนอื่นแก้ไขช่องนี้")
    assert_same(form)


def crispy_report_form(form, action):
    from crispy_forms.bootstrap import FormActions, StrictButton

    from reports.workflow import SUBMIT

    helper = FormHelper(form)
    helper.form_id = "report-form"
    helper.form_method = "post"
    helper.form_action = action
    helper.form_class = "report-actions"
    helper.attrs = {"novalidate": "", "data-warn-unsaved": ""}
    helper.layout = Layout(
        Field("version"),
        FormActions(
            StrictButton("บันทึกฉบับร่าง", type="submit", name="action", value="save", css_class="btn-primary"),
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
    return render_crispy_form(form, helper, {"csrf_token": "TOKEN"})


@pytest.mark.parametrize("data", [None, {"version": "x"}])
def test_the_report_form(data):
    from reports.reporting.forms import ReportForm

    form = ReportForm(data, initial={"version": 3}, action="/reports/2/")
    plain = render_to_string("reports/includes/report_form.html", {"form": form, "csrf_token": "TOKEN"})
    assert parse_html(plain) == parse_html(crispy_report_form(form, "/reports/2/"))


def test_the_prefill_form():
    from crispy_forms.bootstrap import StrictButton

    from reports.reporting.forms import PrefillForm

    form = PrefillForm(action="/reports/2/prefill/")
    helper = FormHelper(form)
    helper.form_method = "post"
    helper.form_action = "/reports/2/prefill/"
    helper.form_class = "d-inline"
    helper.layout = Layout(
        StrictButton(
            "เริ่มจากไตรมาสก่อน",
            type="submit",
            name="action",
            value="prefill",
            form="report-form",
            css_class="btn-outline-primary btn-sm",
        )
    )
    plain = render_to_string("reports/includes/prefill_form.html", {"form": form, "csrf_token": "TOKEN"})
    assert parse_html(plain) == parse_html(render_crispy_form(form, helper, {"csrf_token": "TOKEN"}))
