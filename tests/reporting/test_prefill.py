"""“Start from last quarter”: copies entries and links (not files) into an empty editable report."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports import workflow
from reports.models import Evidence, QuarterlyReport, ReportEvent
from tests.factories import FiscalYearFactory, IndicatorFactory, LinkEvidenceFactory, MeasureFactory
from tests.reporting.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1_filled(report, progress, alice):
    first, second = progress
    first.status, first.result, first.obstacles, first.percent = "in_progress", "ผลไตรมาส 1", "งบจำกัด", 30
    first.save()
    LinkEvidenceFactory(progress=first, url="https://www.example.go.th/q1", description="หน้าเผยแพร่")
    Evidence.objects.create(
        progress=first,
        kind=Evidence.Kind.FILE,
        file=ContentFile(b"%PDF-1.4", name="q1.pdf"),
        original_name="คำสั่ง.pdf",
    )
    return report


@pytest.fixture
def q2(fiscal_year, agency, measures, alice):
    return workflow.get_or_create_report(agency=agency, period=fiscal_year.periods.get(quarter=2), user=alice)


def prefill_url(report):
    return reverse("reports:prefill", args=[report.pk])


def test_prefill_copies_entries_and_links_but_not_files(client, alice, q1_filled, q2):
    response = login(client, alice).post(prefill_url(q2))
    assert response.status_code == 302
    first = q2.progress.get(measure__indicator__number=1)
    assert (first.status, first.result, first.obstacles, first.percent) == (
        "in_progress",
        "ผลไตรมาส 1",
        "งบจำกัด",
        30,
    )
    assert [(e.kind, e.url) for e in first.evidence.all()] == [("link", "https://www.example.go.th/q1")]
    second = q2.progress.get(measure__indicator__number=2)
    assert second.result == "" and not second.evidence.exists()


def test_prefill_records_an_event_and_raises_the_version(client, alice, q1_filled, q2):
    login(client, alice).post(prefill_url(q2))
    event = q2.events.get(action=ReportEvent.Action.PREFILLED)
    assert event.actor == alice
    assert set(event.changes) == {"1.1"}
    assert event.changes["1.1"]["result"] == {"old": "", "new": "ผลไตรมาส 1"}
    assert "ไตรมาส 1/2565" in event.comment
    q2.refresh_from_db()
    assert q2.version == 2


def test_prefill_without_a_previous_report_says_so_and_changes_nothing(client, alice, q2):
    response = login(client, alice).post(prefill_url(q2), follow=True)
    assert "ไม่พบรายงานของส่วนราชการท่านในไตรมาสก่อนหน้า" in response.content.decode()
    assert not q2.events.filter(action=ReportEvent.Action.PREFILLED).exists()


def test_prefill_never_replaces_an_entry_and_fills_only_the_empty_measures(client, alice, q1_filled, q2):
    q1_second = q1_filled.progress.get(measure__indicator__number=2)
    q1_second.result, q1_second.status = "ผลข้อ 2 ไตรมาส 1", "done"
    q1_second.save()
    typed = q2.progress.get(measure__indicator__number=1)
    typed.result = "พิมพ์เองแล้ว"
    typed.save()
    login(client, alice).post(prefill_url(q2))
    typed.refresh_from_db()
    assert (typed.result, typed.status) == ("พิมพ์เองแล้ว", "")
    assert not typed.evidence.exists()
    assert q2.progress.get(measure__indicator__number=2).result == "ผลข้อ 2 ไตรมาส 1"


def test_prefill_is_refused_when_no_measure_is_empty_any_more(client, alice, q1_filled, q2):
    q2.progress.update(result="พิมพ์เองแล้ว")
    response = login(client, alice).post(prefill_url(q2), follow=True)
    assert "รายงานนี้มีการกรอกข้อมูลแล้ว" in response.content.decode()
    assert set(q2.progress.values_list("result", flat=True)) == {"พิมพ์เองแล้ว"}


def test_prefill_is_refused_on_a_submitted_report(client, alice, q1_filled, q2):
    QuarterlyReport.objects.filter(pk=q2.pk).update(status=QuarterlyReport.Status.SUBMITTED)
    login(client, alice).post(prefill_url(q2))
    assert not q2.progress.exclude(result="").exists()


def test_first_quarter_starts_from_last_years_fourth_quarter_matching_by_indicator_and_order(
    client, alice, agency, measures
):
    last_year = FiscalYearFactory(year=2564)
    old_measure = MeasureFactory(
        indicator=IndicatorFactory(fiscal_year=last_year, number=2), text="มาตรการเก่า"
    )
    old_q4 = workflow.get_or_create_report(agency=agency, period=last_year.periods.get(quarter=4), user=alice)
    old_q4.progress.filter(measure=old_measure).update(status="done", result="ผลปีก่อน")
    new_q1 = workflow.get_or_create_report(
        agency=agency, period=measures[0].indicator.fiscal_year.periods.get(quarter=1), user=alice
    )
    login(client, alice).post(prefill_url(new_q1))
    assert new_q1.progress.get(measure__indicator__number=2).result == "ผลปีก่อน"
    assert new_q1.progress.get(measure__indicator__number=1).result == ""


def test_the_button_is_not_offered_without_a_previous_report(client, alice, q2):
    login(client, alice)
    assert "เริ่มจากไตรมาสก่อน" not in client.get(q2.get_absolute_url()).content.decode()


def test_the_button_is_shown_only_while_the_report_is_empty(client, alice, q1_filled, q2):
    login(client, alice)
    assert "เริ่มจากไตรมาสก่อน" in client.get(q2.get_absolute_url()).content.decode()
    q2.progress.update(result="มีข้อมูล")
    assert "เริ่มจากไตรมาสก่อน" not in client.get(q2.get_absolute_url()).content.decode()


def test_prefill_refuses_get(client, alice, q2):
    assert login(client, alice).get(prefill_url(q2)).status_code == 405


def test_prefill_is_forbidden_to_reviewers(client, rita, q1_filled, q2):
    assert login(client, rita).post(prefill_url(q2)).status_code == 403
    assert not q2.progress.exclude(result="").exists()


def test_prefill_of_another_agencys_report_is_not_found(client, bob, q1_filled, q2):
    assert login(client, bob).post(prefill_url(q2)).status_code == 404


def test_prefill_anonymous_goes_to_login(client, q2):
    response = client.post(prefill_url(q2))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
