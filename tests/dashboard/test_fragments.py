"""The dashboard's plain-template filter forms write what crispy-forms wrote, and its matrix, kept rendered by
its content ({% fragment %}), shows every change on the next visit."""

import datetime

import pytest
import time_machine
from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from crispy_forms.utils import render_crispy_form
from django.core.cache import caches
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.urls import reverse

from reports.dashboard import filters, selectors
from reports.dashboard.views import RoundFilterForm
from reports.models import MeasureProgress
from tests.dashboard_data import BKK, build_province
from tests.factories import BrokenLinkFactory, LinkEvidenceFactory, make_reviewer

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


@pytest.fixture(autouse=True)
def on_20_january_2022():
    caches["fragments"].clear()
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, 0, tzinfo=BKK), tick=False):
        yield


@pytest.fixture
def province():
    return build_province()


@pytest.mark.parametrize("query", [{}, {"status": "overdue", "q": "หน่วย"}, {"status": "nonsense"}])
def test_the_dashboard_filter_form_is_crispys_markup(province, query):
    selection = selectors.select_period("2565", "1", today=datetime.date(2022, 1, 20))
    filterset = filters.AgencyStandingFilter(query, selection=selection, today=datetime.date(2022, 1, 20))
    filterset.is_valid()
    plain = parse_html(
        render_to_string("reports/dashboard/includes/filter_form.html", {"form": filterset.form})
    )
    helper = FormHelper()
    helper.form_method, helper.disable_csrf, helper.form_class = "get", True, "d-print-none"
    helper.layout = Layout(
        Row(
            Column("year", css_class="col-12 col-sm-6 col-lg-2"),
            Column("quarter", css_class="col-12 col-sm-6 col-lg-4"),
            Column("status", css_class="col-6 col-lg-2"),
            Column("q", css_class="col-6 col-lg-2"),
            Column(
                StrictButton("แสดง", type="submit", css_class="btn-primary mt-lg-4 w-100"),
                css_class="col-12 col-lg-2",
            ),
        )
    )
    assert plain == parse_html(render_crispy_form(filterset.form, helper))


def test_the_round_form_is_crispys_markup(province):
    selection = selectors.select_period("2565", today=datetime.date(2022, 1, 20))
    form = RoundFilterForm(selection=selection, initial={"year": 2565})
    plain = parse_html(render_to_string("reports/dashboard/includes/round_form.html", {"form": form}))
    helper = FormHelper()
    helper.form_method, helper.disable_csrf, helper.form_class = "get", True, "d-print-none"
    helper.layout = Layout(
        Row(
            Column("year", css_class="col-8 col-md-4"),
            Column(
                StrictButton("แสดง", type="submit", css_class="btn-primary mt-4 w-100"),
                css_class="col-4 col-md-2",
            ),
        )
    )
    assert plain == parse_html(render_crispy_form(form, helper))


def matrix(client):
    html = client.get(URL, {"year": 2565, "quarter": 1}).content.decode()
    return html[html.index('id="matrix-heading"') : html.index("</table>")]


def progress(client):
    html = client.get(URL, {"year": 2565, "quarter": 1}).content.decode()
    return html[html.index('id="progress-heading"') : html.index('id="late-heading"')]


def test_the_matrix_follows_every_change(client, province):
    client.force_login(make_reviewer(username="reviewer"))
    first, first_progress = matrix(client), progress(client)
    assert len(caches["fragments"]._cache) == 3  # the filter form, the matrix, the progress and trend tables
    assert matrix(client) == first
    # A reporter marks a measure done: agency D's cell of indicator 2 goes from 0/2 to 1/2.
    MeasureProgress.objects.filter(report=province.reports["D"], measure=province.measures[1]).update(
        status="done"
    )
    second = matrix(client)
    assert second != first and "1/2" in second
    assert progress(client) != first_progress
    # An agency renamed, a report approved, a link found broken, an indicator renamed.
    agency = province.agencies["E"]
    agency.name_th = "หน่วยงานชื่อใหม่"
    agency.save()
    assert "หน่วยงานชื่อใหม่" in matrix(client)
    report = province.reports["B"]
    report.status = "approved"
    report.save()
    assert matrix(client).count("dash-standing-approved") == 2
    LinkEvidenceFactory(progress=report.progress.first(), url="https://prov.go.th/gone")
    BrokenLinkFactory(url="https://prov.go.th/gone").owners.create(owner=f"agency:{report.agency.code}")
    assert "ลิงก์เสีย 1 ลิงก์" in matrix(client)
    indicator = province.indicators[0]
    indicator.name_th = "ตัวชี้วัดที่เปลี่ยนชื่อ"
    indicator.save()
    assert "ตัวชี้วัดที่เปลี่ยนชื่อ" in matrix(client)


def test_the_rounds_tables_follow_every_change(client, province):
    client.force_login(make_reviewer(username="reviewer"))
    url = reverse("reports:round", args=[6])

    def tables():
        html = client.get(url, {"year": 2565}).content.decode()
        return html[html.index('id="round-indicators-heading"') : html.rindex("</table>")]

    first = tables()
    assert len(caches["fragments"]._cache) == 3  # the year form and the two tables
    assert tables() == first
    MeasureProgress.objects.filter(report=province.reports["D"], measure=province.measures[1]).update(
        status="done"
    )
    second = tables()
    assert second != first
    report = province.reports["B"]
    report.status = "approved"
    report.save()
    assert tables().count("dash-standing-approved") == first.count("dash-standing-approved") + 1
    agency = province.agencies["E"]
    agency.name_th = "หน่วยงานชื่อใหม่"
    agency.save()
    assert "หน่วยงานชื่อใหม่" in tables()


def test_the_filter_form_kept_rendered_shows_what_was_asked(client, province):
    client.force_login(make_reviewer(username="reviewer"))

    def form(**query):
        html = client.get(URL, {"year": 2565, "quarter": 1, **query}).content.decode()
        return html[html.index('<form class="d-print-none"') : html.index("</form>", html.index('id="id_q"'))]

    plain = form()
    assert form() == plain and 'value="" selected' in plain
    overdue = form(status="overdue", q="หน่วยงาน ข")
    assert 'value="overdue" selected' in overdue and 'value="หน่วยงาน ข"' in overdue
    assert form(status="nonsense") != plain  # the refused choice is shown with its error
    assert 'value="2" selected' in form(quarter=2)
    assert form() == plain
