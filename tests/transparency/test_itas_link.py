"""The agency home shows the links for ITAS with a copy button."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Evidence
from tests.reporting.helpers import pdf_bytes

pytestmark = pytest.mark.django_db


def test_the_agency_home_shows_the_link_for_itas_with_a_copy_button(client, reporter, fiscal_year, measures):
    client.force_login(reporter)
    page = client.get("/my/").content.decode()
    assert "ลิงก์สำหรับตอบในระบบ ITAS" in page
    assert 'value="http://testserver/public/2565/agency/AGA/"' in page
    assert 'value="http://testserver/public/2565/agency/AGA/r6/"' in page
    assert 'data-copy="itas-year"' in page


def _upload(client, reporter, flow, **extra):
    progress = flow.report().progress.first()
    client.force_login(reporter)
    data = {f"file{progress.pk}-file": SimpleUploadedFile("r.pdf", pdf_bytes())}
    data.update({f"file{progress.pk}-{name}": value for name, value in extra.items()})
    return client.post(f"/progress/{progress.pk}/evidence/file/", data)


def test_uploading_a_file_marked_public_keeps_the_mark(client, reporter, flow):
    assert _upload(client, reporter, flow, is_public="on").status_code == 302
    assert Evidence.objects.get().is_public is True


def test_an_uploaded_file_is_not_public_unless_marked(client, reporter, flow):
    assert _upload(client, reporter, flow).status_code == 302
    assert Evidence.objects.get().is_public is False


def test_the_upload_form_offers_the_public_mark(client, reporter, flow):
    progress = flow.report().progress.first()
    client.force_login(reporter)
    page = client.get(f"/progress/{progress.pk}/evidence/").content.decode()
    assert "เผยแพร่ไฟล์นี้พร้อมผลการดำเนินการที่อนุมัติแล้ว" in page
