"""No unapproved text reaches any public page or file: every report status, and the reopen case."""

import pytest

from reports.models import QuarterlyReport
from tests.transparency.surfaces import everything_public, fetch

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status

DRAFT_TEXT = "ข้อความลับฉบับร่าง"


def test_a_draft_never_appears(flow):
    report = flow.write(flow.report(), DRAFT_TEXT)
    assert report.status == Status.DRAFT
    assert DRAFT_TEXT not in everything_public()


def test_a_submitted_report_never_appears(flow):
    report = flow.submit(flow.write(flow.report(), "ข้อความลับที่ส่งแล้ว"))
    assert report.status == Status.SUBMITTED
    assert "ข้อความลับที่ส่งแล้ว" not in everything_public()


def test_a_returned_report_and_the_reviewers_reasons_never_appear(flow):
    report = flow.send_back(flow.submit(flow.write(flow.report(), "ข้อความลับที่ถูกส่งกลับ")), "REVIEWER-REASON")
    assert report.status == Status.RETURNED
    public = everything_public()
    assert "ข้อความลับที่ถูกส่งกลับ" not in public
    assert "REVIEWER-REASON" not in public
    assert "REVIEWER-MEASURE-COMMENT" not in public


def test_an_approved_report_appears_on_every_public_surface(flow):
    flow.published("ผลที่อนุมัติแล้วเรื่องลับเฉพาะ")
    for path in [
        "/public/2565/indicator/1/?quarter=1",
        "/public/2565/search/?q=ลับเฉพาะ",
        "/public/2565/agency/AGA/",
        "/public/2565/agency/AGA/r6/",
        "/open-data/2565/results.csv",
        "/open-data/2565/results.json",
    ]:
        assert "ผลที่อนุมัติแล้วเรื่องลับเฉพาะ" in fetch(path), path


def test_after_a_reopen_the_approved_version_stays_published_marked_as_being_revised(flow):
    report = flow.published("ฉบับที่อนุมัติ")
    report = flow.reopen(report, "REVIEWER-REOPEN-REASON")
    flow.write(report, "ข้อความลับที่แก้หลังเปิด")
    page = fetch("/public/2565/agency/AGA/")
    assert "ฉบับที่อนุมัติ" in page
    assert "ข้อความลับที่แก้หลังเปิด" not in page
    assert "อยู่ระหว่างปรับปรุง" in page
    public = everything_public()
    assert "ข้อความลับที่แก้หลังเปิด" not in public
    assert "REVIEWER-REOPEN-REASON" not in public
    assert "REVIEWER-MEASURE-COMMENT" not in public


def test_a_reopened_report_resubmitted_still_shows_the_approved_version(flow):
    report = flow.reopen(flow.published("ฉบับที่อนุมัติ"), "แก้ไข")
    report = flow.submit(flow.write(report, "ข้อความลับฉบับส่งใหม่"))
    assert report.status == Status.SUBMITTED
    csv = fetch("/open-data/2565/results.csv?bom=0")
    assert "ฉบับที่อนุมัติ" in csv
    assert "ข้อความลับฉบับส่งใหม่" not in csv
    assert ",true\r\n" in csv  # being_revised


def test_the_next_approval_replaces_the_published_version(flow):
    report = flow.reopen(flow.published("ฉบับแรก"), "แก้ไข")
    flow.approve(flow.submit(flow.write(report, "ฉบับที่สอง")))
    page = fetch("/public/2565/agency/AGA/")
    assert "ฉบับที่สอง" in page
    assert "ฉบับแรก" not in page
    assert "อยู่ระหว่างปรับปรุง" not in page


def test_the_approval_date_is_shown(flow, time_machine):
    time_machine.move_to("2022-01-20 10:00 +07:00", tick=False)
    flow.published("ผลที่อนุมัติ")
    assert "อนุมัติเมื่อ 20 มกราคม 2565" in fetch("/public/2565/agency/AGA/")
    assert "2022-01-20T10:00:00+07:00" in fetch("/open-data/2565/results.csv")


def test_an_approved_quarter_does_not_publish_another_quarters_draft(flow):
    flow.published("ไตรมาสหนึ่งอนุมัติ", quarter=1)
    flow.write(flow.report(quarter=2), "ไตรมาสสองยังเป็นร่างลับ")
    public = everything_public()
    assert "ไตรมาสหนึ่งอนุมัติ" in public
    assert "ไตรมาสสองยังเป็นร่างลับ" not in public
