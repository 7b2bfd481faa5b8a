"""The consolidated report as XLSX, opened with openpyxl as a reader would."""

import pytest

from tests.exports.conftest import DRAFT, INDICATOR_NAMES, MIXED, RETURNED, UNAPPROVED
from tests.exports.helpers import all_texts, sheet_texts, workbook

URL = "/exports/2565/q1.xlsx"


@pytest.fixture
def wb(as_user, rita):
    response = as_user(rita).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="ita-2565-q1.xlsx"' in response["Content-Disposition"]
    return workbook(response)


def test_a_summary_sheet_one_sheet_per_indicator_and_a_flat_sheet_in_that_order(wb):
    assert wb.sheetnames == ["สรุป", *[f"ตัวชี้วัดที่ {n}" for n in range(1, 11)], "ข้อมูลทั้งหมด"]


def test_the_ten_indicator_names_are_there(wb):
    summary = sheet_texts(wb["สรุป"])
    for name in INDICATOR_NAMES:
        assert name in summary


def test_an_agencys_result_keeps_its_thai_intact(wb):
    assert f"{MIXED} (1.1)" in sheet_texts(wb["ตัวชี้วัดที่ 1"])
    assert f"{MIXED} (10.1)" in sheet_texts(wb["ข้อมูลทั้งหมด"])


def test_the_header_is_frozen_filtered_and_printed_on_every_page(wb):
    sheet = wb["ตัวชี้วัดที่ 1"]
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.auto_filter.ref.startswith("A3:")
    assert [c.value for c in sheet[3]][:6] == [
        "ลำดับ",
        "ตัวชี้วัด",
        "มาตรการ",
        "ขั้นตอน/วิธีการปฏิบัติ",
        "ผู้รับผิดชอบ",
        "แนวทางกำกับติดตามและการรายงานผลการดำเนินการ",
    ]
    flat = wb["ข้อมูลทั้งหมด"]
    assert flat.freeze_panes == "A2"
    assert flat.print_title_rows == "$1:$1"
    assert flat.auto_filter.ref.startswith("A1:")


def test_the_pages_are_a4_landscape_in_a_thai_font(wb):
    sheet = wb["ตัวชี้วัดที่ 1"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet["A3"].font.name == "TH Sarabun New"
    assert sheet["A3"].alignment.wrap_text


def test_evidence_links_are_real_links_and_files_link_to_the_permission_checked_download(wb):
    links = {c.hyperlink.target: c.value for row in wb["ข้อมูลทั้งหมด"].iter_rows() for c in row if c.hyperlink}
    assert links["https://www.satun.go.th/ita/1.1/0"] == "หลักฐานที่ 1"
    files = {target: text for target, text in links.items() if "/evidence/" in target}
    assert list(files.values()) == ["รายงานการประชุม.pdf"]
    assert next(iter(files)).startswith("http://testserver/evidence/")


def test_text_that_looks_like_a_url_or_formula_stays_text(as_user, rita, province):
    progress = province["reports"]["A"].progress.first()
    progress.result = '=HYPERLINK("http://evil.example")'
    progress.save()
    flat = workbook(as_user(rita).get(URL))["ข้อมูลทั้งหมด"]
    cells = [c for row in flat.iter_rows() for c in row if c.value == progress.result]
    assert cells and cells[0].data_type == "s"
    # The MIXED result holds a URL: text, not a link.
    assert not any(
        c.hyperlink for row in flat.iter_rows() for c in row if isinstance(c.value, str) and MIXED in c.value
    )


def test_unapproved_text_is_absent_by_default(wb):
    text = all_texts(wb)
    assert UNAPPROVED not in text
    assert DRAFT not in text
    assert RETURNED not in text


def test_submitted_reports_on_request_marked_as_not_approved(as_user, rita):
    wb = workbook(as_user(rita).get(URL + "?include=submitted"))
    rows = [[c.value for c in row] for row in wb["ข้อมูลทั้งหมด"].iter_rows()]
    row = next(r for r in rows if r[10] == f"{UNAPPROVED} (1.1)")
    assert row[7] == "ส่งแล้ว ยังไม่ได้รับอนุมัติ"
    assert row[13] == "ส่งช้า 3 วัน"
    assert DRAFT not in all_texts(wb)
    assert RETURNED not in all_texts(wb)


def test_the_summary_counts_agencies_and_results_per_indicator(as_user, rita):
    wb = workbook(as_user(rita).get(URL + "?include=submitted"))
    rows = [[c.value for c in row] for row in wb["สรุป"].iter_rows()]
    first = next(r for r in rows if r[1] == "การปฏิบัติหน้าที่")
    # measures, agencies reported, of them approved, results done, results
    assert first[2:7] == [2, 2, 1, 4, 4]


def test_the_summary_lists_each_agencys_status_and_timeliness(wb):
    rows = [[c.value for c in row] for row in wb["สรุป"].iter_rows()]
    by_code = {r[0]: r for r in rows if r[0] in {"AGA", "AGB", "AGC"}}
    assert by_code["AGA"][2:4] == ["อนุมัติแล้ว", "ส่งตรงเวลา"]
    assert by_code["AGB"][2:4] == ["ส่งแล้ว รอตรวจ", "ส่งช้า 3 วัน"]


def test_the_12_month_round_has_every_quarter(as_user, rita):
    text = all_texts(workbook(as_user(rita).get("/exports/2565/r12.xlsx")))
    assert "ผลไตรมาสสองของสำนักงานเอ (1.1)" in text
    assert f"{MIXED} (1.1)" in text


def test_a_quarter_has_only_its_own_results(as_user, rita):
    text = all_texts(workbook(as_user(rita).get("/exports/2565/q2.xlsx")))
    assert "ผลไตรมาสสองของสำนักงานเอ (1.1)" in text
    assert MIXED not in text


def test_beyond_a_sheets_links_evidence_is_written_as_text_with_its_url(as_user, rita, monkeypatch):
    from reports.exports import xlsx

    monkeypatch.setattr(xlsx, "LINKS_PER_SHEET", 2)  # XlsxWriter holds every link of a sheet until it closes
    flat = workbook(as_user(rita).get(URL))["ข้อมูลทั้งหมด"]
    links = [c for row in flat.iter_rows() for c in row if c.hyperlink]
    assert len(links) == 2
    texts = [c.value for row in flat.iter_rows() for c in row if isinstance(c.value, str)]
    assert "หลักฐานที่ 1 <https://www.satun.go.th/ita/2.1/0>" in texts


def test_the_summarys_printed_pages_repeat_the_agencies_heading(wb):
    summary = wb["สรุป"]
    row = int(summary.print_title_rows.split(":")[0].lstrip("$"))
    assert [c.value for c in summary[row]][:3] == ["รหัส", "ส่วนราชการ", "ไตรมาส 1: สถานะ"]
    assert summary.freeze_panes is None
