"""Helpers for the agency-reporting tests: POST data for the report form, and sample files by content."""

import io
import zipfile


def login(client, user):
    client.force_login(user)
    return client


def progress_data(report, values=None, *, version=None, action="save"):
    """POST data for the report form: every measure's fields (blank unless given) and the version.

    `values` maps a progress id to {field: value}; fields not given keep the database value, like a browser
    sending back what the page showed.
    """
    from reports.reporting.forms import MeasureProgressForm

    values = values or {}
    data = {"version": report.version if version is None else version, "action": action}
    if action == "submit":
        data["confirmed"] = (
            "1"  # what the confirmation dialog (or page) adds; tests/test_safer_submit.py asks
        )
    for p in report.progress.select_related("measure__indicator"):
        form = MeasureProgressForm(instance=p)
        for name in ("status", "result", "obstacles", "percent"):
            current = getattr(p, name)
            data[form.add_prefix(name)] = "" if current is None else current
        data[form.add_prefix("base")] = form.initial["base"]
        for name, value in values.get(p.pk, {}).items():
            data[form.add_prefix(name)] = value
    return data


def pdf_bytes():
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes():
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def jpeg_bytes():
    return b"\xff\xd8\xff\xe0" + b"\x00" * 64


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes(content_types=b'<Types><Default Extension="xml" ContentType="application/xml"/></Types>'):
    return zip_bytes({"[Content_Types].xml": content_types, "word/document.xml": b"<w:document/>"})


def xlsx_bytes():
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def odf_bytes(mimetype: str):
    return zip_bytes({"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>"})
