"""Safer submit: submitting asks first (a confirmation page without JavaScript, a dialog with it), a measure
left as last quarter's asks again, "start from last quarter" keeps what was typed, and the report form warns
before unsaved changes are left."""

import re

import pytest
from django.urls import reverse

from reports import workflow
from reports.models import QuarterlyReport
from tests.factories import LinkEvidenceFactory
from tests.reporting.helpers import login, progress_data

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status


def _complete(progress):
    values = {}
    for p in progress:
        LinkEvidenceFactory(progress=p)
        values[p.pk] = {"status": "done", "result": f"ผลไตรมาสนี้ {p.pk}"}
    return values


def _unconfirmed(report, values):
    data = progress_data(report, values, action="submit")
    del data["confirmed"]
    return data


def _hidden_fields(html):
    form = re.search(r'<form method="post" action="[^"]*" novalidate>(.*?)</form>', html, re.S).group(1)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))


def test_submitting_without_confirmation_saves_and_shows_what_will_be_sent(client, alice, report, progress):
    response = login(client, alice).post(report.get_absolute_url(), _unconfirmed(report, _complete(progress)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ส่งรายงานหรือไม่" in html and "2 มาตรการ" in html and "ดำเนินการแล้วเสร็จ 2" in html
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert report.progress.filter(result__startswith="ผลไตรมาสนี้").count() == 2  # the typing is saved


def test_the_confirmation_page_sends_the_report_on(client, alice, report, progress):
    html = login(client, alice).post(report.get_absolute_url(), _unconfirmed(report, _complete(progress)))
    data = {**_hidden_fields(html.content.decode()), "action": "submit"}
    assert data["confirmed"] == "1"
    response = client.post(report.get_absolute_url(), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_an_incomplete_report_shows_its_problems_instead_of_asking(client, alice, report, progress):
    response = login(client, alice).post(report.get_absolute_url(), _unconfirmed(report, {}))
    assert response.status_code == 400
    assert "สิ่งที่จะส่งถึงสำนักงานจังหวัด" not in response.content.decode()


@pytest.fixture
def q2_copied(client, alice, report, progress, fiscal_year, agency):
    """Q1 submitted; Q2 started from it and left as it was."""
    for p in progress:
        p.status, p.result = "in_progress", f"ผลไตรมาส 1 ข้อ {p.measure.code}"
        p.save()
    workflow.decide(report, "submit", user=alice)
    q2 = workflow.get_or_create_report(agency=agency, period=fiscal_year.periods.get(quarter=2), user=alice)
    login(client, alice).post(reverse("reports:prefill", args=[q2.pk]))
    q2.refresh_from_db()
    return q2


def test_a_measure_copied_and_left_unchanged_asks_before_it_is_submitted(client, alice, q2_copied):
    # confirmed=1 is what the dialog sends: the copied measures still ask, on the page.
    response = client.post(q2_copied.get_absolute_url(), progress_data(q2_copied, action="submit"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "คัดลอกจากไตรมาสก่อนและยังไม่ได้แก้ไข" in html
    assert html.count("มาตรการ 1.1") == 1 and html.count("มาตรการ 2.1") == 1
    q2_copied.refresh_from_db()
    assert q2_copied.status == Status.DRAFT


def test_confirming_the_copied_measures_submits(client, alice, q2_copied):
    html = client.post(
        q2_copied.get_absolute_url(), progress_data(q2_copied, action="submit")
    ).content.decode()
    data = {**_hidden_fields(html), "action": "submit", "copied_ok": "1"}
    assert client.post(q2_copied.get_absolute_url(), data).status_code == 302
    q2_copied.refresh_from_db()
    assert q2_copied.status == Status.SUBMITTED


def test_a_changed_measure_no_longer_counts_as_copied(client, alice, q2_copied):
    first, second = q2_copied.progress.order_by("measure__indicator__number")
    values = {first.pk: {"result": "ผลใหม่ของไตรมาส 2"}, second.pk: {"result": "ผลใหม่อีกข้อ"}}
    response = client.post(q2_copied.get_absolute_url(), progress_data(q2_copied, values, action="submit"))
    assert response.status_code == 302
    q2_copied.refresh_from_db()
    assert q2_copied.status == Status.SUBMITTED


def test_start_from_last_quarter_with_the_report_form_keeps_what_was_typed(
    client, alice, report, progress, fiscal_year, agency
):
    for p in progress:
        p.status, p.result = "in_progress", f"ผลไตรมาส 1 ข้อ {p.measure.code}"
        p.save()
    q2 = workflow.get_or_create_report(agency=agency, period=fiscal_year.periods.get(quarter=2), user=alice)
    html = login(client, alice).get(q2.get_absolute_url()).content.decode()
    assert re.search(
        r'<button[^>]*name="action"[^>]*value="prefill"[^>]*form="report-form"', html
    ) or re.search(r'<button[^>]*form="report-form"[^>]*value="prefill"', html)
    first, second = q2.progress.order_by("measure__indicator__number")
    data = progress_data(q2, {first.pk: {"result": "พิมพ์ไว้ยังไม่ได้บันทึก"}}, action="prefill")
    client.post(q2.get_absolute_url(), data)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.result == "พิมพ์ไว้ยังไม่ได้บันทึก"
    assert second.result == f"ผลไตรมาส 1 ข้อ {second.measure.code}"


def test_the_report_page_warns_before_leaving_and_asks_before_submitting(client, alice, report):
    html = login(client, alice).get(report.get_absolute_url()).content.decode()
    tag = re.search(r'<form [^>]*id="report-form"[^>]*>', html).group(0)
    assert "data-warn-unsaved" in tag
    assert 'data-confirm-dialog="submit-dialog"' in html and '<dialog id="submit-dialog"' in html


# --- approve ----------------------------------------------------------------------------------------------


def test_approving_asks_first_and_the_confirmation_page_approves(client, alice, rita, report, progress):
    _complete(progress)
    for p in progress:
        p.status, p.result = "done", "ผล"
        p.save()
    workflow.decide(report, "submit", user=alice)
    report.refresh_from_db()
    client.force_login(rita)
    url = reverse("reports:review_approve", args=[report.pk])
    response = client.post(url, {"version": report.version, "reason": ""})
    assert response.status_code == 200 and "อนุมัติรายงานหรือไม่" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    fields = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode())
    )
    assert client.post(url, fields).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.APPROVED


def test_the_review_page_asks_in_a_dialog_before_approving(client, alice, rita, report, progress):
    for p in progress:
        p.status, p.result = "in_progress", "ผล"
        p.save()
    workflow.decide(report, "submit", user=alice)
    client.force_login(rita)
    html = client.get(reverse("reports:review", args=[report.pk])).content.decode()
    assert 'data-confirm-dialog="approve-dialog"' in html and '<dialog id="approve-dialog"' in html
    # A reason or comments typed and not yet sent are not lost by leaving the page (portal.js asks first).
    assert "data-warn-unsaved" in re.search(r'<form [^>]*id="review-form"[^>]*>', html).group(0)
