"""Upload checks: types recognised by content, extension agreeing with content, size limit."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.reporting import uploads
from tests.reporting.helpers import (
    docx_bytes,
    jpeg_bytes,
    odf_bytes,
    pdf_bytes,
    png_bytes,
    xlsx_bytes,
    zip_bytes,
)


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("คำสั่ง.pdf", pdf_bytes(), "application/pdf"),
        ("photo.JPG", jpeg_bytes(), "image/jpeg"),
        ("photo.jpeg", jpeg_bytes(), "image/jpeg"),
        ("chart.png", png_bytes(), "image/png"),
        ("รายงาน.docx", docx_bytes(), uploads.DOCX.content_type),
        ("table.xlsx", xlsx_bytes(), uploads.XLSX.content_type),
        ("letter.odt", odf_bytes("application/vnd.oasis.opendocument.text"), uploads.ODT.content_type),
        ("sheet.ods", odf_bytes("application/vnd.oasis.opendocument.spreadsheet"), uploads.ODS.content_type),
    ],
)
def test_accepted_types_are_recognised_by_content(name, content, content_type):
    assert uploads.check_upload(upload(name, content)) == content_type


def _code(name, content):
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload(name, content))
    return caught.value.code


def test_a_png_named_pdf_is_refused_as_a_mismatch():
    assert _code("evidence.pdf", png_bytes()) == "extension_mismatch"


def test_a_docx_named_xlsx_is_refused_as_a_mismatch():
    assert _code("table.xlsx", docx_bytes()) == "extension_mismatch"


def test_an_odt_named_ods_is_refused_as_a_mismatch():
    assert _code("sheet.ods", odf_bytes("application/vnd.oasis.opendocument.text")) == "extension_mismatch"


def test_an_executable_renamed_pdf_is_refused():
    assert _code("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 60) == "bad_content"


def test_html_renamed_png_is_refused():
    assert _code("image.png", b"<html><script>alert(1)</script></html>") == "bad_content"


def test_a_plain_zip_renamed_docx_is_refused():
    assert _code("report.docx", zip_bytes({"readme.txt": b"hello"})) == "bad_content"


def test_a_broken_zip_is_refused():
    assert _code("report.docx", b"PK\x03\x04" + b"\x00" * 40) == "bad_content"


def test_an_odf_of_another_kind_is_refused():
    presentation = odf_bytes("application/vnd.oasis.opendocument.presentation")
    assert _code("slides.odt", presentation) == "bad_content"


def test_macro_enabled_word_documents_are_refused():
    macro = docx_bytes(
        b'<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
    )
    assert _code("report.docx", macro) == "bad_content"


@pytest.mark.parametrize("name", ["notes.txt", "script.js", "page.html", "archive.zip", "noextension"])
def test_other_extensions_are_refused(name):
    assert _code(name, pdf_bytes()) == "bad_extension"


def test_empty_files_are_refused():
    assert _code("empty.pdf", b"") == "empty"


def test_files_over_the_configured_limit_are_refused(settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = pdf_bytes() + b"0" * (1024 * 1024)
    assert _code("big.pdf", big) == "too_large"


def test_files_at_the_limit_are_accepted(settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    exact = pdf_bytes() + b"0" * (1024 * 1024 - len(pdf_bytes()))
    assert uploads.check_upload(upload("exact.pdf", exact)) == "application/pdf"


def test_the_file_position_is_rewound_after_sniffing():
    uploaded = upload("report.docx", docx_bytes())
    uploads.check_upload(uploaded)
    assert uploaded.read(4) == b"PK\x03\x04"


def _bomb(name: str, compress_type: int, extra: dict[str, bytes]) -> bytes:
    """A zip whose member `name` inflates to 64 MB of spaces (bzip2 packs that into under 100 bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), b" " * (64 * 2**20), compress_type=compress_type)
        for member, content in extra.items():
            archive.writestr(member, content)
    return buffer.getvalue()


def _peak_while_checking(name, content):
    tracemalloc.start()
    try:
        code = _code(name, content)
        return code, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("name", "member", "compress_type", "extra"),
    [
        ("report.docx", "[Content_Types].xml", zipfile.ZIP_BZIP2, {"word/document.xml": b"<w:document/>"}),
        ("report.docx", "[Content_Types].xml", zipfile.ZIP_LZMA, {"word/document.xml": b"<w:document/>"}),
        ("report.odt", "mimetype", zipfile.ZIP_BZIP2, {"content.xml": b"<office:document-content/>"}),
    ],
    ids=["docx-bzip2", "docx-lzma", "odt-bzip2"],
)
def test_a_zip_bomb_in_a_method_office_files_never_use_is_refused_without_inflating_it(
    name, member, compress_type, extra
):
    """Python's zipfile inflates bzip2 and LZMA members a whole read chunk at a time, however far they grow: a
    few hundred bytes of upload made the server hold gigabytes. Office files use deflate (or none)."""
    code, peak = _peak_while_checking(name, _bomb(member, compress_type, extra))
    assert code == "bad_content"
    assert peak < 4 * 2**20


def test_a_deflate_bomb_is_read_only_as_far_as_the_check_needs():
    content = _bomb("[Content_Types].xml", zipfile.ZIP_DEFLATED, {"word/document.xml": b"<w:document/>"})
    tracemalloc.start()
    try:
        assert uploads.check_upload(upload("report.docx", content)) == uploads.DOCX.content_type
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20


def test_a_macro_project_is_refused_even_when_the_content_types_hide_the_macro_type_past_what_is_read():
    padded = b"<Types>" + b" " * uploads.CONTENT_TYPES_READ_LIMIT + b"macroEnabled</Types>"
    content = zip_bytes(
        {"[Content_Types].xml": padded, "word/document.xml": b"<w:document/>", "word/vbaProject.bin": b"\x00"}
    )
    assert _code("report.docx", content) == "bad_content"
