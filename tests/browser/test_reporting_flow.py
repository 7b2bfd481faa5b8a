"""An agency reporter fills in, saves, reloads and submits their quarter in a real browser (Thai UI)."""

import re

import pytest
from playwright.sync_api import expect

from reports.models import Evidence, QuarterlyReport
from tests.browser.helpers import RESULT, fill_measure, log_in, measure, open_evidence, submit_report
from tests.factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, MeasureFactory, make_reporter

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def plan(transactional_db):
    """A 2565 plan with three measures, an agency and its reporter ("reporter" / "satun2565").

    No clock is frozen: the agency home offers the quarter to report now, which for a past fiscal year is
    its last quarter (see services.reporting_period).
    """
    fiscal_year = FiscalYearFactory(year=2565, is_active=True)
    measures = [
        MeasureFactory(
            indicator=IndicatorFactory(fiscal_year=fiscal_year, number=number, name_th=name),
            text=text,
        )
        for number, name, text in [
            (1, "การปฏิบัติหน้าที่", "จัดประชุมชี้แจงฯ"),
            (2, "การใช้งบประมาณ", "สร้างการรับรู้เกี่ยวกับแผนการใช้จ่ายงบประมาณ"),
            (3, "การใช้อำนาจ", "ให้บริการด้วยความโปร่งใส เป็นไปตามขั้นตอนและระยะเวลา"),
        ]
    ]
    agency = AgencyFactory(code="PROV", name_th="สำนักงานจังหวัดสตูล")
    make_reporter(agency, username="reporter", first_name="สมศรี", last_name="รักษ์สตูล")
    return {"fiscal_year": fiscal_year, "measures": measures, "agency": agency}


def open_current_report(page):
    log_in(page)
    page.locator("#current-heading").locator("..").get_by_role(
        "button", name=re.compile("เริ่มทำรายงาน")
    ).click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))


def test_reporter_fills_saves_reloads_and_submits_the_quarter(page, plan, htmx):
    open_current_report(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("รายงานผลการดำเนินงาน")

    # Two measures filled in.
    fill_measure(page, 0, "อยู่ระหว่างดำเนินการ", "จัดประชุมชี้แจงบุคลากร 2 ครั้ง", "ผู้เข้าร่วมน้อย")
    fill_measure(page, 1, "ดำเนินการแล้วเสร็จ", "แจ้งเวียนแผนการใช้จ่ายงบประมาณแล้ว")

    # A link on the first measure (htmx: the rest of the page, unsaved text included, stays as typed).
    first = measure(page, 0)
    open_evidence(first)
    link_form = first.locator("form.evidence-link")
    link_form.get_by_label("ลิงก์ (URL) ของหน้าที่เผยแพร่").fill("https://www.satun.go.th/ita/o42")
    link_form.get_by_label("คำอธิบายสั้น ๆ").fill("ประกาศมาตรการ")
    link_form.get_by_role("button", name="เพิ่มลิงก์").click()
    expect(first.get_by_text("เพิ่มลิงก์แล้ว")).to_be_visible()
    link = first.get_by_role("link", name=re.compile("ประกาศมาตรการ"))
    expect(link).to_have_attribute("target", "_blank")
    expect(first.get_by_label("ผลการดำเนินการในไตรมาสนี้")).to_have_value("จัดประชุมชี้แจงบุคลากร 2 ครั้ง")

    # A file on the second measure.
    second = measure(page, 1)
    open_evidence(second)
    file_form = second.locator("form.evidence-file")
    file_form.get_by_label("ไฟล์ (PDF").set_input_files(
        {"name": "รายงานการประชุม.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    file_form.get_by_label("คำอธิบายสั้น ๆ").fill("รายงานการประชุม")
    file_form.get_by_role("button", name="อัปโหลดไฟล์").click()
    expect(second.get_by_text("อัปโหลดไฟล์แล้ว")).to_be_visible()
    expect(second.get_by_text("รายงานการประชุม.pdf")).to_be_visible()

    # Save the draft, reload: the texts are still there.
    page.get_by_role("button", name="บันทึกฉบับร่าง").click()
    expect(page.get_by_text("บันทึกฉบับร่างแล้ว")).to_be_visible()
    page.reload()
    expect(measure(page, 0).get_by_label("ผลการดำเนินการในไตรมาสนี้")).to_have_value("จัดประชุมชี้แจงบุคลากร 2 ครั้ง")
    expect(measure(page, 0).get_by_label("ปัญหาอุปสรรค/ข้อเสนอแนะ (ถ้ามี)")).to_have_value("ผู้เข้าร่วมน้อย")
    expect(measure(page, 1).get_by_label("ดำเนินการแล้วเสร็จ", exact=True)).to_be_checked()

    # Submit with the third measure empty: its problems are shown beside it, the texts are kept.
    measure(page, 0).get_by_label("ผลการดำเนินการในไตรมาสนี้").fill("จัดประชุมชี้แจงบุคลากร 3 ครั้ง")
    submit_report(page)
    expect(page.get_by_text("แต่ยังส่งรายงานไม่ได้")).to_be_visible()
    third = measure(page, 2)
    expect(third.get_by_text("กรุณาเลือกสถานะการดำเนินการ")).to_be_visible()
    expect(third.get_by_text("กรุณาระบุผลการดำเนินการของไตรมาสนี้")).to_be_visible()
    expect(measure(page, 0).get_by_label("ผลการดำเนินการในไตรมาสนี้")).to_have_value("จัดประชุมชี้แจงบุคลากร 3 ครั้ง")

    # Complete it and submit.
    fill_measure(page, 2, "อยู่ระหว่างดำเนินการ", "ปรับขั้นตอนการให้บริการ")
    submit_report(page)
    expect(page.get_by_text("ส่งรายงานถึงสำนักงานจังหวัดเรียบร้อยแล้ว")).to_be_visible()
    expect(page.locator(".report-facts .badge")).to_have_text("ส่งแล้ว รอตรวจ")
    expect(page.locator("textarea")).to_have_count(0)

    report = QuarterlyReport.objects.get()
    assert report.status == QuarterlyReport.Status.SUBMITTED
    assert report.progress.get(measure=plan["measures"][0]).result == "จัดประชุมชี้แจงบุคลากร 3 ครั้ง"
    assert Evidence.objects.filter(kind=Evidence.Kind.FILE, original_name="รายงานการประชุม.pdf").exists()


def serious_axe_violations(page, axe_source) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)  # through DevTools: the page's CSP refuses injected <script> tags
    # The page's own content; the site header and footer belong to base.html and are checked with it.
    result = page.evaluate("async () => await axe.run({include: [['#main']]}, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} – "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_agency_home_and_report_page_have_no_serious_accessibility_violations(page, plan, htmx, axe_source):
    log_in(page)
    assert not serious_axe_violations(page, axe_source)
    page.locator("#current-heading").locator("..").get_by_role(
        "button", name=re.compile("เริ่มทำรายงาน")
    ).click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))
    assert not serious_axe_violations(page, axe_source)
    open_evidence(measure(page, 0))
    assert not serious_axe_violations(page, axe_source)

    # With evidence listed and every kind of error on show.
    fill_measure(page, 0, "ดำเนินการแล้วเสร็จ", "จัดประชุมแล้ว")
    link_form = measure(page, 1).locator("form.evidence-link")
    open_evidence(measure(page, 1))
    link_form.get_by_label("ลิงก์ (URL) ของหน้าที่เผยแพร่").fill("https://www.satun.go.th/ita/o43")
    link_form.get_by_role("button", name="เพิ่มลิงก์").click()
    expect(measure(page, 1).get_by_text("เพิ่มลิงก์แล้ว")).to_be_visible()
    submit_report(page)
    expect(page.get_by_text("แต่ยังส่งรายงานไม่ได้")).to_be_visible()
    assert not serious_axe_violations(page, axe_source)


def test_without_javascript_evidence_is_added_on_its_own_page(page_without_js, plan):
    page = page_without_js
    open_current_report(page)
    fill_measure(page, 0, "อยู่ระหว่างดำเนินการ", "ผลที่บันทึกก่อนเพิ่มหลักฐาน")
    page.get_by_role("button", name="บันทึกฉบับร่าง").click()
    expect(page.get_by_text("บันทึกฉบับร่างแล้ว")).to_be_visible()

    measure(page, 0).get_by_role("link", name=re.compile("เพิ่มหลักฐาน")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("หลักฐาน – มาตรการ 1.1")
    # A refused file is shown again on this page with its message and what was typed.
    file_form = page.locator("form.evidence-file")
    file_form.get_by_label("ไฟล์ (PDF").set_input_files(
        {"name": "ภาพ.pdf", "mimeType": "application/pdf", "buffer": b"\x89PNG\r\n\x1a\n" + b"0" * 32}
    )
    file_form.get_by_label("คำอธิบายสั้น ๆ").fill("ภาพกิจกรรม")
    file_form.get_by_role("button", name="อัปโหลดไฟล์").click()
    expect(page.get_by_text("แต่เนื้อหาเป็นไฟล์ PNG")).to_be_visible()
    expect(page.locator("form.evidence-file").get_by_label("คำอธิบายสั้น ๆ")).to_have_value("ภาพกิจกรรม")

    link_form = page.locator("form.evidence-link")
    link_form.get_by_label("ลิงก์ (URL) ของหน้าที่เผยแพร่").fill("https://www.satun.go.th/ita/o43")
    link_form.get_by_label("คำอธิบายสั้น ๆ").fill("ผลการดำเนินการ")
    link_form.get_by_role("button", name="เพิ่มลิงก์").click()

    # Back on the report, at the measure, with the link listed and the saved text in place.
    expect(page).to_have_url(re.compile(r"/reports/\d+/#evidence-\d+$"))
    expect(page.get_by_text("เพิ่มลิงก์แล้ว")).to_be_visible()
    expect(measure(page, 0).get_by_role("link", name=re.compile("ผลการดำเนินการ"))).to_be_visible()
    expect(measure(page, 0).get_by_label("ผลการดำเนินการในไตรมาสนี้")).to_have_value("ผลที่บันทึกก่อนเพิ่มหลักฐาน")


def test_leaving_the_report_page_with_unsaved_text_asks_first_and_saving_does_not(page, plan):
    open_current_report(page)
    report_url = page.url
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on the page"

    page.on("dialog", answer)
    card = measure(page, 0)
    card.get_by_label(RESULT).click()
    page.keyboard.type("ข้อความที่ยังไม่ได้บันทึก")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="รายงานของส่วนราชการ").click()
    expect(page).to_have_url(report_url)
    assert dialogs == ["beforeunload"]
    expect(card.get_by_label(RESULT)).to_have_value("ข้อความที่ยังไม่ได้บันทึก")

    # Saving is not leaving: no question, and afterwards the page may be left freely.
    page.get_by_role("button", name="บันทึกฉบับร่าง").first.click()
    expect(page.get_by_text(re.compile("บันทึก(ฉบับร่าง)?แล้ว"))).not_to_have_count(0)
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="รายงานของส่วนราชการ").click()
    expect(page).not_to_have_url(report_url)
    assert dialogs == ["beforeunload"]
