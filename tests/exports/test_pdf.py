"""The consolidated report as PDF, read back with pypdf."""

import pytest

from tests.exports.conftest import DRAFT, INDICATOR_NAMES, MIXED, RETURNED, UNAPPROVED
from tests.exports.helpers import pdf, pdf_text

URL = "/exports/2565/q1.pdf"


@pytest.fixture
def reader(as_user, rita):
    response = as_user(rita).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ita-2565-q1.pdf"' in response["Content-Disposition"]
    return pdf(response)


def test_the_indicator_names_are_in_the_text(reader):
    text = pdf_text(reader)
    for name in INDICATOR_NAMES:
        assert name in text


def test_a_mixed_thai_latin_digit_result_reads_back_exactly_as_stored(reader):
    lines = pdf_text(reader).splitlines()
    assert any(line.startswith(MIXED) for line in lines), MIXED


def test_the_cover_has_the_title_scope_and_buddhist_era_export_date(as_user, rita, time_machine):
    time_machine.move_to("2022-01-20 10:00 +07:00")
    cover = " ".join(pdf(as_user(rita).get(URL)).pages[0].extract_text().split())
    assert "รายงานผลการดำเนินการตามแนวทาง / มาตรการขับเคลื่อนการส่งเสริมคุณธรรม จังหวัดสตูล" in cover
    assert "ไตรมาส 1" in cover
    assert "ข้อมูล ณ วันที่ 20 มกราคม 2565" in cover
    assert "สำนักงานเอ จังหวัดสตูล" in cover  # the lead agency, for the province


def test_fonts_are_embedded_sarabun(reader):
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor
            assert "Sarabun" in str(font["/BaseFont"])


def test_every_page_is_numbered(reader):
    total = len(reader.pages)
    assert total > 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"หน้า {number} / {total}" in page.extract_text()


def test_the_plan_table_header_repeats_on_its_pages(reader):
    pages = [p.extract_text() for p in reader.pages]
    table_pages = [t for t in pages if "ผลการดำเนินการรายมาตรการ" in t or "ผลการดำเนินการ" in t][1:]
    assert table_pages
    plan_pages = [t for t in pages if "มาตรการ 1.1" in t or "มาตรการ 10.1" in t]
    for text in plan_pages:
        assert "ขั้นตอน/วิธีการปฏิบัติ" in text


def test_unapproved_text_is_absent_by_default(reader):
    text = pdf_text(reader)
    assert UNAPPROVED not in text
    assert DRAFT not in text
    assert RETURNED not in text


def test_submitted_reports_on_request_are_marked(as_user, rita):
    text = pdf_text(pdf(as_user(rita).get(URL + "?include=submitted")))
    assert UNAPPROVED in text
    assert "ส่งแล้ว ยังไม่ได้รับอนุมัติ" in text
    assert DRAFT not in text


def test_thai_digits_on_request_for_the_official_text(as_user, rita):
    reader = pdf(as_user(rita).get(URL + "?digits=thai"))
    cover = reader.pages[0].extract_text()
    assert "ไตรมาส ๑" in cover
    assert "หน้า ๑ / " in cover
    # The agencies' own words stay as they wrote them.
    assert any(line.startswith(MIXED) for line in pdf_text(reader).splitlines())


def test_a_reporters_pdf_has_only_their_agency(as_user, alice):
    text = pdf_text(pdf(as_user(alice).get(URL + "?include=submitted")))
    assert MIXED in text
    assert UNAPPROVED not in text
    assert "สำนักงานบี" not in text


def test_links_in_the_pdf_point_at_the_evidence(reader):
    uris = {
        a.get_object()["/A"]["/URI"]
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/URI" in a.get_object().get("/A", {})
    }
    assert "https://www.satun.go.th/ita/1.1/0" in uris
    assert any(u.startswith("http://testserver/evidence/") and u.endswith("/download/") for u in uris)
