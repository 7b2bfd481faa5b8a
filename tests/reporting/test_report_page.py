"""The report page: who may read it, saving a draft, submitting, read-only after submission."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from reports import roles, workflow
from reports.models import MeasureProgress, QuarterlyReport, ReportEvent
from tests.factories import LinkEvidenceFactory, UserFactory
from tests.reporting.helpers import login, progress_data

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status


def url(report):
    return reverse("reports:report", args=[report.pk])


# --- reading -------------------------------------------------------------------------------------------


def test_reporter_sees_every_measure_grouped_under_its_indicator_in_plan_order(client, alice, report):
    response = login(client, alice).get(url(report))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("มาตรการหนึ่ง") < html.index("มาตรการสอง")
    assert html.index("ตัวชี้วัดที่ 1") < html.index("มาตรการหนึ่ง") < html.index("ตัวชี้วัดที่ 2")


def test_reporter_gets_one_form_with_the_version_and_both_buttons(client, alice, report, progress):
    html = login(client, alice).get(url(report)).content.decode()
    assert re.search(rf'name="version" value="{report.version}"', html)
    assert f'name="p{progress[0].pk}-result"' in html
    assert 'form="report-form"' in html
    assert 'value="save"' in html and 'value="submit"' in html


def test_other_agencys_reporter_gets_404(client, bob, report):
    assert login(client, bob).get(url(report)).status_code == 404


def test_reviewer_reads_the_report_without_inputs(client, rita, report, progress):
    progress[0].result = "ผลที่ส่งมา"
    progress[0].save()
    response = login(client, rita).get(url(report))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ผลที่ส่งมา" in html
    assert "<textarea" not in html and 'name="version"' not in html


def test_reporter_gets_back_to_the_agency_home_from_the_report(client, alice, report):
    html = login(client, alice).get(url(report)).content.decode()
    assert f'href="{reverse("reports:agency_home")}?year=2565"' in html


def test_reviewer_gets_back_to_the_dashboard_of_the_quarter_and_on_to_the_review_page(client, rita, report):
    html = login(client, rita).get(url(report)).content.decode()
    assert f'href="{reverse("reports:dashboard")}?year=2565&amp;quarter=1"' in html
    assert f'href="{reverse("reports:review", args=[report.pk])}"' in html


def test_office_admin_without_review_permission_gets_the_dashboard_link_but_no_review_link(client, report):
    office_admin = UserFactory(username="officeadmin")
    office_admin.groups.add(Group.objects.get(name=roles.ADMIN_GROUP))
    html = login(client, office_admin).get(url(report)).content.decode()
    assert f'href="{reverse("reports:dashboard")}?year=2565&amp;quarter=1"' in html
    assert reverse("reports:review", args=[report.pk]) not in html


def test_admin_reads_the_report(client, admin_user, report):
    assert login(client, admin_user).get(url(report)).status_code == 200


def test_anonymous_is_sent_to_login(client, report):
    response = client.get(url(report))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, alice, report, method):
    assert getattr(login(client, alice), method)(url(report)).status_code == 405


def test_returned_report_shows_the_reason_and_each_measures_comment(client, alice, rita, report, progress):
    _complete(report)
    workflow.submit(report, alice)
    workflow.return_report(
        report, rita, reason="กรุณาแนบหลักฐานเพิ่ม", measure_comments={progress[1].measure_id: "ลิงก์เสีย"}
    )
    html = login(client, alice).get(url(report)).content.decode()
    assert "กรุณาแนบหลักฐานเพิ่ม" in html
    assert "ลิงก์เสีย" in html
    assert f'name="p{progress[0].pk}-result"' in html  # editable again


def test_history_lists_events_with_thai_buddhist_era_time(client, alice, report):
    html = login(client, alice).get(url(report)).content.decode()
    assert "ประวัติ" in html
    assert re.search(r"\d{1,2} \S+ 25\d\d \d\d:\d\d น\.", html)


# --- saving a draft ------------------------------------------------------------------------------------


def test_save_draft_writes_the_fields_and_one_event_listing_them(client, alice, report, progress):
    first, second = progress
    data = progress_data(
        report,
        {first.pk: {"status": "in_progress", "result": "จัดประชุมแล้ว\r\nสองครั้ง", "percent": "40"}},
    )
    response = login(client, alice).post(url(report), data)
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.result, first.percent) == ("in_progress", "จัดประชุมแล้ว\nสองครั้ง", 40)
    event = report.events.get(action=ReportEvent.Action.SAVED)
    assert event.actor == alice
    assert event.changes == {
        "1.1": {
            "status": {"old": "", "new": "in_progress"},
            "result": {"old": "", "new": "จัดประชุมแล้ว\nสองครั้ง"},
            "percent": {"old": None, "new": 40},
        }
    }
    report.refresh_from_db()
    assert report.version == 2 and report.updated_by == alice


def test_saving_without_changes_writes_no_event_and_keeps_the_version(client, alice, report):
    response = login(client, alice).post(url(report), progress_data(report))
    assert response.status_code == 302
    assert not report.events.filter(action=ReportEvent.Action.SAVED).exists()
    report.refresh_from_db()
    assert report.version == 1


def test_an_invalid_percent_saves_nothing_and_keeps_what_was_typed(client, alice, report, progress):
    data = progress_data(report, {progress[0].pk: {"result": "ข้อความที่พิมพ์", "percent": "150"}})
    response = login(client, alice).post(url(report), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ข้อความที่พิมพ์" in html
    assert "100" in html and "is-invalid" in html
    progress[0].refresh_from_db()
    assert progress[0].result == ""


# --- submitting ----------------------------------------------------------------------------------------


def _complete(report):
    for p in report.progress.all():
        p.status = MeasureProgress.Status.DONE
        p.result = "ดำเนินการแล้ว"
        p.save()
        LinkEvidenceFactory(progress=p)


def test_submitting_an_incomplete_report_shows_each_problem_beside_its_field_and_keeps_the_text(
    client, alice, report, progress
):
    first, second = progress
    data = progress_data(
        report,
        {first.pk: {"status": "in_progress", "result": "ผลของมาตรการแรก", "obstacles": "งบประมาณจำกัด"}},
        action="submit",
    )
    response = login(client, alice).post(url(report), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ผลของมาตรการแรก" in html and "งบประมาณจำกัด" in html
    # The second measure's two problems, in Thai, next to its fields.
    status_block = html[html.index(f'id="div_id_p{second.pk}-status"') :]
    assert "เลือกสถานะการดำเนินการ" in status_block[:3000]
    result_block = html[html.index(f'id="div_id_p{second.pk}-result"') :]
    assert "ผลการดำเนินการ" in result_block[:3000] and "invalid-feedback" in result_block[:3000]
    # The text typed before submitting is saved as a draft as well.
    report.refresh_from_db()
    first.refresh_from_db()
    assert report.status == Status.DRAFT
    assert first.result == "ผลของมาตรการแรก"
    # The re-rendered form carries the new version, so saving again is not a conflict.
    assert re.search(rf'name="version" value="{report.version}"', html)


def test_a_refused_submission_lists_the_measures_to_fix_with_links_to_them(client, alice, report, progress):
    first, second = progress
    data = progress_data(report, {first.pk: {"status": "in_progress", "result": "ผล"}}, action="submit")
    html = login(client, alice).post(url(report), data).content.decode()
    summary = html[html.index('aria-label="มาตรการที่ต้องแก้ไข"') :]
    summary = summary[: summary.index("</nav>")]
    assert f'href="#measure-{second.pk}"' in summary
    assert f'href="#measure-{first.pk}"' not in summary
    assert f'id="measure-{second.pk}"' in html


def test_a_complete_page_has_no_list_of_measures_to_fix(client, alice, report, progress):
    assert 'aria-label="มาตรการที่ต้องแก้ไข"' not in login(client, alice).get(url(report)).content.decode()


def test_done_without_evidence_is_reported_beside_the_evidence_list(client, alice, report, progress):
    values = {p.pk: {"status": "done", "result": "เสร็จแล้ว"} for p in progress}
    response = login(client, alice).post(url(report), progress_data(report, values, action="submit"))
    assert response.status_code == 400
    assert f'id="evidence-{progress[0].pk}-problem"' in response.content.decode()


def test_submitting_a_complete_report_makes_it_submitted_and_read_only(client, alice, report):
    _complete(report)
    report.refresh_from_db()
    response = login(client, alice).post(url(report), progress_data(report, action="submit"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.submitted_by == alice
    html = client.get(url(report)).content.decode()
    assert "<textarea" not in html and 'name="version"' not in html
    assert "ส่งแล้ว รอตรวจ" in html


def test_a_submitted_report_cannot_be_changed_by_its_agency(client, alice, report, progress):
    _complete(report)
    workflow.submit(report, alice)
    report.refresh_from_db()
    data = progress_data(report, {progress[0].pk: {"result": "แก้หลังส่ง"}})
    response = login(client, alice).post(url(report), data)
    assert response.status_code == 302
    progress[0].refresh_from_db()
    assert progress[0].result == "ดำเนินการแล้ว"


def test_reviewer_cannot_post_to_the_report(client, rita, report, progress):
    data = progress_data(report, {progress[0].pk: {"result": "ผู้ตรวจพิมพ์"}})
    assert login(client, rita).post(url(report), data).status_code == 403
    progress[0].refresh_from_db()
    assert progress[0].result == ""


def test_other_agencys_reporter_cannot_post_to_the_report(client, bob, report, progress):
    data = progress_data(report, {progress[0].pk: {"result": "ของคนอื่น"}})
    assert login(client, bob).post(url(report), data).status_code == 404
    progress[0].refresh_from_db()
    assert progress[0].result == ""


def test_anonymous_post_is_sent_to_login(client, report, progress):
    data = progress_data(report, {progress[0].pk: {"result": "ไม่ระบุตัวตน"}})
    response = client.post(url(report), data)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    progress[0].refresh_from_db()
    assert progress[0].result == ""
