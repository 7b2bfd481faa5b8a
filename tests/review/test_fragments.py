"""The review page keeps each measure's card rendered by its content ({% fragment %}): changes show on the next
visit, and the comment fields, written by the plain field template, are what crispy-forms wrote."""

import pytest
from crispy_forms.utils import render_crispy_form
from django.core.cache import caches
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.urls import reverse

from reports.models import Evidence
from reports.review.forms import ReviewForm
from tests.factories import BrokenLinkFactory, LinkEvidenceFactory
from tests.review.helpers import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_fragments():
    caches["fragments"].clear()


@pytest.fixture
def world():
    return make_world()


def page(client, world):
    response = client.get(reverse("reports:review", args=[world.report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_cards_follow_every_change(client, world):
    client.force_login(world.reviewer)
    first = page(client, world)
    assert len([k for k in caches["fragments"]._cache if "includes/measure.html" in k]) == len(world.measures)
    progress = world.report.progress.select_related("measure").first()
    progress.result, progress.percent = "ผลที่แก้ไขแล้ว", 55
    progress.save()
    assert "ผลที่แก้ไขแล้ว" in page(client, world) and "55%" in page(client, world)
    measure = progress.measure
    measure.text = "ข้อความมาตรการใหม่"
    measure.save()
    assert "ข้อความมาตรการใหม่" in page(client, world)
    evidence = LinkEvidenceFactory(progress=progress, url="https://prov.go.th/gone", description="หลักฐานใหม่")
    assert "หลักฐานใหม่" in page(client, world)
    Evidence.objects.filter(pk=evidence.pk).update(description="คำอธิบายใหม่")
    assert "คำอธิบายใหม่" in page(client, world)
    BrokenLinkFactory(url="https://prov.go.th/gone")
    assert "ลิงก์เสียตั้งแต่ 10 มกราคม 2565" in page(client, world)
    progress.reviewer_comment = "ความเห็นเดิม"
    progress.save()
    assert "ความเห็นเดิม" in page(client, world)
    assert first != page(client, world)


def test_a_reader_without_decisions_gets_cards_without_comment_fields(client, world):
    client.force_login(world.reviewer)
    assert 'name="comment_' in page(client, world)
    client.force_login(world.admin)
    html = page(client, world)
    client.force_login(world.reporter)  # not a reader of the review page: nothing else to check
    assert html.count("review-measure") == len(world.measures)


@pytest.mark.parametrize("bound", [False, True])
def test_the_comment_fields_are_crispys_markup(world, bound):
    progress = list(world.report.progress.select_related("measure__indicator"))
    progress[0].reviewer_comment = "ความเห็นจากรอบก่อน"
    data = {"version": "1", "reason": "x" * 5001, f"comment_{progress[1].measure_id}": "y" * 5001}
    form = ReviewForm(data if bound else None, progress=progress, initial={"version": 1})
    if bound:
        assert not form.is_valid()
    for name in ("reason", *(f"comment_{p.measure_id}" for p in progress)):
        plain = parse_html(render_to_string("includes/field.html", {"field": form[name]}))
        assert plain == parse_html(render_crispy_form(form, _only(name))), name


def _only(name):
    from crispy_forms.helper import FormHelper
    from crispy_forms.layout import Field, Layout

    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(Field(name))
    return helper


@pytest.mark.parametrize("query", [{}, {"period": "2565-1", "status": "submitted"}, {"status": "nonsense"}])
def test_the_inbox_filter_form_is_crispys_markup(world, query):
    from crispy_forms.bootstrap import StrictButton
    from crispy_forms.helper import FormHelper
    from crispy_forms.layout import Column, Layout, Row
    from django.http import QueryDict

    from reports.review.filters import ReviewInboxFilter, inbox_queryset

    data = QueryDict(mutable=True)
    data.update(query)
    form = ReviewInboxFilter(data, queryset=inbox_queryset(world.reviewer)).form
    form.is_valid()
    plain = parse_html(render_to_string("reports/review/includes/filter_form.html", {"form": form}))
    helper = FormHelper()
    helper.form_method, helper.form_class, helper.disable_csrf = "get", "review-filters", True
    helper.layout = Layout(
        Row(
            Column("period", css_class="col-12 col-md-4"),
            Column("agency", css_class="col-12 col-md-4"),
            Column("status", css_class="col-12 col-md-2"),
            Column(
                StrictButton("แสดงรายงาน", type="submit", css_class="btn-primary w-100"),
                css_class="col-12 col-md-2 align-self-end mb-3",
            ),
        )
    )
    assert plain == parse_html(render_crispy_form(form, helper))
