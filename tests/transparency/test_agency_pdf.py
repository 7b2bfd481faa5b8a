"""The per-agency pages as PDF (the shared renderer), with the approved text in Thai."""

import io

import pytest

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("suffix", ["", "r6/", "r12/"])
def test_each_agency_page_is_a_pdf_of_the_approved_results(client, flow, suffix):
    flow.published("ผลที่อนุมัติแล้ว")
    response = client.get(f"/public/2565/agency/AGA/{suffix}pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "สำนักงานเอ จังหวัดสตูล" in text
    assert "ผลที่อนุมัติแล้ว" in text


def test_the_pdf_holds_no_unapproved_text(client, flow):
    report = flow.reopen(flow.published("ฉบับที่อนุมัติ"), "REVIEWER-REASON")
    flow.write(report, "ข้อความลับหลังเปิด")
    text = _text(client.get("/public/2565/agency/AGA/pdf/").content)
    assert "ฉบับที่อนุมัติ" in text
    assert "ข้อความลับหลังเปิด" not in text
    assert "REVIEWER-REASON" not in text


def test_the_pdf_of_an_old_code_redirects(client, flow, agency):
    agency.code = "AGA-NEW"
    agency.save()
    response = client.get("/public/2565/agency/AGA/r6/pdf/")
    assert response.status_code == 301
    assert response["Location"] == "/public/2565/agency/AGA-NEW/r6/pdf/"


def test_the_agency_page_links_to_its_pdf(client, flow):
    assert (
        'href="/public/2565/agency/AGA/r12/pdf/"'
        in client.get("/public/2565/agency/AGA/r12/").content.decode()
    )
