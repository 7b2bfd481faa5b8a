"""satun_ita/pdf.py: HTML → PDF with the vendored Sarabun, read back as a reader would (pypdf)."""

import io
import re

import pypdf
import pytest
from django.test import RequestFactory

from satun_ita import pdf
from satun_ita.templatetags.pdf import digits

MIXED = "ผลการดำเนินการ ITA ปี 2565: ร้อยละ 85 ผ่านเว็บไซต์ https://www.satun.go.th/ita ครบ 3 ครั้ง"


@pytest.fixture
def sample(settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [*settings.TEMPLATES[0]["DIRS"], settings.BASE_DIR / "tests" / "templates"],
        }
    ]

    def render(query="", rows=3):
        request = RequestFactory(SERVER_NAME="127.0.0.1").get("/document/" + query)
        context = {"heading": "รายงานผลประจำปี 2565", "mixed": MIXED, "rows": range(1, rows + 1)}
        return pypdf.PdfReader(io.BytesIO(pdf.render_pdf("tests/pdf_sample.html", context, request=request)))

    return render


def _text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def _font_names(reader):
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


def test_a_mixed_thai_latin_digit_line_reads_back_exactly_as_written(sample):
    lines = _text(sample()).splitlines()
    assert MIXED in lines


def test_sara_am_after_a_tone_mark_and_alone_reads_back_intact(sample):
    text = _text(sample())
    assert "ผู้บริหาร น้ำใจ ประจำปี" in text
    assert "ลำดับ" in text
    # SARA AA after SARA AM's first use still reads as itself.
    assert "การปฏิบัติหน้าที่" in text


def test_only_sarabun_is_used_and_embedded(sample):
    assert _font_names(sample()) <= {
        "Sarabun-Thai",
        "Sarabun-Thai-Bold",
        "Sarabun-Latin",
        "Sarabun-Latin-Bold",
    }


def test_every_page_has_a_footer_with_its_number_and_the_count(sample):
    reader = sample(rows=80)
    assert len(reader.pages) > 1
    for number, page in enumerate(reader.pages, start=1):
        assert f"หน้า {number} / {len(reader.pages)}" in page.extract_text()


def test_the_table_header_repeats_on_every_page(sample):
    reader = sample(rows=80)
    for page in reader.pages:
        assert "ลำดับ ตัวชี้วัด" in page.extract_text()


def test_thai_digits_on_request_in_the_text_and_the_footer(sample):
    reader = sample("?digits=thai")
    text = _text(reader)
    assert "รายงานผลประจำปี ๒๕๖๕" in text
    assert "หน้า ๑ / ๑" in text
    # Text that is not marked for Thai digits keeps its digits (URLs, data as stored).
    assert MIXED in text.splitlines()


def test_the_page_is_a4_landscape(sample):
    box = sample().pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_links_stay_links(sample):
    page = sample().pages[0]
    uris = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]
    assert "https://www.satun.go.th/ita" in uris


def test_resources_outside_the_static_files_are_not_fetched():
    fetcher = pdf._static_fetcher("http://127.0.0.1/")
    for url in ("http://example.org/static/css/pdf.css", "file:///etc/passwd", "http://127.0.0.1/media/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    with pytest.raises(ValueError):
        fetcher.fetch("http://127.0.0.1/static/../satun_ita/settings.py")


def test_static_files_are_read_from_disk():
    response = pdf._static_fetcher("http://127.0.0.1/").fetch("http://127.0.0.1/static/css/pdf.css")
    assert b"Sarabun Thai" in response.read()


def test_without_weasyprint_the_pdf_is_refused_with_a_clear_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(pdf.PDFUnavailable):
        pdf.render_pdf("pdf/base.html", {}, request=None)
    response = pdf.pdf_unavailable_response(None)
    assert response.status_code == 503
    assert "WeasyPrint" in response.content.decode()


def test_digits_filter_changes_text_but_not_markup():
    assert digits("ปี 2565", True) == "ปี ๒๕๖๕"
    assert digits("ปี 2565", False) == "ปี 2565"
    from django.utils.safestring import mark_safe

    html = digits(mark_safe('<ol start="2"><li>ข้อ 3</li></ol>'), True)
    assert html == '<ol start="2"><li>ข้อ ๓</li></ol>'


def test_print_html_uses_the_same_template_without_the_pdf_flag(sample):
    request = RequestFactory(SERVER_NAME="127.0.0.1").get("/document/")
    html = pdf.render_print_html(
        "tests/pdf_sample.html", {"heading": "ก", "mixed": MIXED, "rows": []}, request=request
    )
    assert "pdf-screen" in html
    assert re.search(r'href="/static/css/pdf\.css"', html)
