"""The report page keeps each measure's card rendered ({% fragment %}, keyed on everything the card shows): every
change a reporter, a reviewer, an administrator or the link monitor makes shows on the next visit, and no one
gets another's CSRF token out of a kept card."""

import datetime
import re

import pytest
from django.core.cache import caches

from linkcheck.models import Link
from measures.models import MeasureStep
from reports.models import Evidence
from tests.factories import BrokenLinkFactory, LinkEvidenceFactory, make_reporter
from tests.reporting.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_fragments():
    caches["fragments"].clear()


def page(client, report):
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def seen(client, alice, report, progress):
    """The page visited once, so every card is kept."""
    login(client, alice)
    page(client, report)
    assert len([k for k in caches["fragments"]._cache if "includes/measure.html" in k]) == len(progress)
    return client


def without_tokens(html):
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)  # the masked CSRF token differs on every response


def test_a_second_visit_shows_the_same_page_from_the_kept_cards(client, alice, report, progress):
    LinkEvidenceFactory(progress=progress[0], url="https://prov.go.th/a")
    login(client, alice)
    first = page(client, report)
    assert len([k for k in caches["fragments"]._cache if "includes/measure.html" in k]) == len(progress)
    assert without_tokens(page(client, report)) == without_tokens(first)
    caches["fragments"].clear()
    assert without_tokens(page(client, report)) == without_tokens(first)


def test_the_plan_changed_by_an_administrator(seen, report, progress):
    measure = progress[0].measure
    measure.text, measure.responsible, measure.monitoring = "ข้อความใหม่ของมาตรการ", "ผู้รับผิดชอบใหม่", "ติดตามใหม่"
    measure.save()
    html = page(seen, report)
    assert "ข้อความใหม่ของมาตรการ" in html and "ผู้รับผิดชอบใหม่" in html and "ติดตามใหม่" in html
    MeasureStep.objects.create(measure=measure, order=9, text="ขั้นตอนที่เพิ่มมา", sub_points=["ข้อย่อยใหม่"])
    html = page(seen, report)
    assert "ขั้นตอนที่เพิ่มมา" in html and "ข้อย่อยใหม่" in html
    measure.parts = ["ส่วนที่หนึ่ง", "ส่วนที่สอง"]
    measure.save()
    assert "ส่วนที่สอง" in page(seen, report)


def test_progress_saved_elsewhere_and_the_reviewers_comment(seen, report, progress):
    p = progress[0]
    p.status, p.result, p.obstacles, p.percent = "in_progress", "ผลที่บันทึกจากอีกเครื่อง", "อุปสรรคใหม่", 37
    p.reviewer_comment = "โปรดแนบหลักฐานเพิ่ม"
    p.save()
    html = page(seen, report)
    assert "ผลที่บันทึกจากอีกเครื่อง" in html and "อุปสรรคใหม่" in html and 'value="37"' in html
    assert "โปรดแนบหลักฐานเพิ่ม" in html
    assert re.search(rf'value="in_progress"[^>]*id="id_p{p.pk}-status_1" checked', html)


def test_evidence_added_described_anew_and_removed(seen, report, progress):
    evidence = LinkEvidenceFactory(
        progress=progress[0], url="https://prov.go.th/new", description="หลักฐานใหม่"
    )
    assert "หลักฐานใหม่" in page(seen, report)
    Evidence.objects.filter(pk=evidence.pk).update(description="คำอธิบายที่แก้")
    html = page(seen, report)
    assert "คำอธิบายที่แก้" in html and "หลักฐานใหม่" not in html
    Evidence.objects.filter(pk=evidence.pk).delete()
    assert "คำอธิบายที่แก้" not in page(seen, report)


def test_a_link_the_monitor_finds_broken_and_then_working_again(seen, report, progress):
    LinkEvidenceFactory(progress=progress[0], url="https://prov.go.th/gone")
    assert "ลิงก์เสียตั้งแต่" not in page(seen, report)
    since = datetime.datetime(2022, 1, 10, 2, 0, tzinfo=datetime.UTC)
    BrokenLinkFactory(url="https://prov.go.th/gone", failing_since=since)
    assert "ลิงก์เสียตั้งแต่ 10 มกราคม 2565 (HTTP 404)" in page(seen, report)
    Link.objects.update(last_status_code=410)
    assert "(HTTP 410)" in page(seen, report)
    Link.objects.update(status="up", fail_count=0, failing_since=None)
    assert "ลิงก์เสียตั้งแต่" not in page(seen, report)


def test_the_report_submitted_turns_the_cards_read_only(seen, report, progress):
    report.status = "submitted"
    report.save()
    html = page(seen, report)
    assert "<textarea" not in html and "/remove/" not in html


def test_each_user_gets_their_own_csrf_token_in_the_kept_cards(client, alice, report, progress, agency):
    LinkEvidenceFactory(progress=progress[0], url="https://prov.go.th/a")
    tokens = []
    for user in (alice, make_reporter(agency=agency)):
        client.logout()
        client.force_login(user)
        html = page(client, report)
        remove_form = html[html.index("/remove/") :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', remove_form).group(1)
        assert "\x00" not in html
        tokens.append((token, client.cookies["csrftoken"].value))
    from django.middleware.csrf import _unmask_cipher_token

    for token, cookie in tokens:
        assert _unmask_cipher_token(token) == cookie
    assert tokens[0][1] != tokens[1][1]


def test_the_language_is_part_of_the_key(seen, report):
    thai = page(seen, report)
    seen.cookies["django_language"] = "en"
    english = seen.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ("มาตรการ 1." in thai) and (english == thai or "Measure 1." in english)


def test_a_new_event_shows_in_the_history(seen, report):
    from tests.factories import ReportEventFactory

    ReportEventFactory(report=report, comment="เหตุการณ์ใหม่ในประวัติ")
    assert "เหตุการณ์ใหม่ในประวัติ" in page(seen, report)


def test_outside_a_request_a_fragment_is_rendered_and_not_kept():
    from django.template import Context, Template

    template = Template("{% load fragments %}{% fragment key %}x{% csrf_token %}{% endfragment %}")
    assert template.render(Context({"key": "k"})) == "x"
    assert not caches["fragments"]._cache
    assert (
        template.render(Context({"key": "", "csrf_token": "t"}))
        == 'x<input type="hidden" name="csrfmiddlewaretoken" value="t">'
    )
    assert not caches["fragments"]._cache


def test_a_form_with_a_model_choice_is_not_kept():
    from django import forms

    from measures.models import Agency
    from reports.templatetags.fragments import form_key

    class WithModel(forms.Form):
        agency = forms.ModelChoiceField(Agency.objects.all())

    class Plain(forms.Form):
        year = forms.ChoiceField(choices=[(1, "หนึ่ง")])

    assert form_key(WithModel()) == ""
    assert form_key(Plain()) != form_key(Plain({"year": "1"})) != ""
