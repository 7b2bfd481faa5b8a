"""Evidence: add a link, upload a file, remove, download – with htmx and without JavaScript."""

import datetime
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files import uploadhandler
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ops import versions
from reports import workflow
from reports.models import Evidence, QuarterlyReport, ReportEvent
from tests.factories import LinkEvidenceFactory
from tests.reporting.helpers import login, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def first(progress):
    return progress[0]


@pytest.fixture
def stored_file(first, alice):
    return Evidence.objects.create(
        progress=first,
        kind=Evidence.Kind.FILE,
        file=ContentFile(pdf_bytes(), name="x.pdf"),
        original_name="คำสั่งจังหวัด ฉบับที่ 1.pdf",
        content_type="application/pdf",
        size=len(pdf_bytes()),
        created_by=alice,
    )


def add_link_url(progress):
    return reverse("reports:evidence_add_link", args=[progress.pk])


def add_file_url(progress):
    return reverse("reports:evidence_add_file", args=[progress.pk])


def remove_url(evidence):
    return reverse("reports:evidence_remove", args=[evidence.pk])


def download_url(evidence):
    return reverse("reports:evidence_download", args=[evidence.pk])


def link_data(progress, url="https://www.satun.go.th/ita/o1", description="หน้าเว็บ O1"):
    return {f"link{progress.pk}-url": url, f"link{progress.pk}-description": description}


def file_data(progress, name="รายงานการประชุม.pdf", content=None, description="รายงานการประชุม"):
    return {
        f"file{progress.pk}-file": SimpleUploadedFile(name, pdf_bytes() if content is None else content),
        f"file{progress.pk}-description": description,
    }


# --- links ---------------------------------------------------------------------------------------------


def test_adding_a_link_without_javascript_redirects_back_and_records_an_event(client, alice, report, first):
    response = login(client, alice).post(add_link_url(first), link_data(first))
    assert response.status_code == 302
    assert response.url == f"{report.get_absolute_url()}#evidence-{first.pk}"
    evidence = first.evidence.get()
    assert (evidence.kind, evidence.url, evidence.created_by) == (
        Evidence.Kind.LINK,
        "https://www.satun.go.th/ita/o1",
        alice,
    )
    event = report.events.get(action=ReportEvent.Action.EVIDENCE_ADDED)
    assert event.changes == {
        "1.1": {"evidence": {"added": ["หน้าเว็บ O1 – https://www.satun.go.th/ita/o1"], "removed": []}}
    }


def test_a_be_year_typed_into_the_date_picker_is_read_as_be(client, alice, first):
    data = {**link_data(first), f"link{first.pk}-date": "2565-03-15"}
    assert login(client, alice).post(add_link_url(first), data).status_code == 302
    assert first.evidence.get().date == datetime.date(2022, 3, 15)


def test_a_ce_date_is_kept_as_it_is(client, alice, first):
    data = {**link_data(first), f"link{first.pk}-date": "2022-03-15"}
    login(client, alice).post(add_link_url(first), data)
    assert first.evidence.get().date == datetime.date(2022, 3, 15)


@pytest.mark.parametrize("typed", ["2556-03-15", "2013-03-15", "2575-03-15"])
def test_evidence_dated_far_outside_the_fiscal_year_is_refused_in_thai(client, alice, first, typed):
    data = {**link_data(first), f"link{first.pk}-date": typed}
    response = login(client, alice).post(add_link_url(first), data, **HTMX)
    assert "อยู่นอกปีงบประมาณ 2565 มากเกินไป" in response.content.decode()
    assert not first.evidence.exists()


@pytest.mark.parametrize("typed", ["2020-10-01", "2023-03-31"])
def test_evidence_dated_near_the_fiscal_year_is_accepted(client, alice, first, typed):
    data = {**link_data(first), f"link{first.pk}-date": typed}
    login(client, alice).post(add_link_url(first), data)
    assert first.evidence.get().date == datetime.date.fromisoformat(typed)


def test_29_february_of_a_be_year_without_it_in_ce_is_refused(client, alice, first):
    data = {**link_data(first), f"link{first.pk}-date": "2564-02-29"}  # C.E. 2021 has no 29 February
    response = login(client, alice).post(add_link_url(first), data, **HTMX)
    assert "กรุณาระบุวันที่ให้ถูกต้อง" in response.content.decode()
    assert not first.evidence.exists()


def test_removing_asks_for_confirmation_first(client, alice, report, first):
    LinkEvidenceFactory(progress=first, description="คำสั่งจังหวัด")
    html = login(client, alice).get(report.get_absolute_url()).content.decode()
    assert 'data-hx-confirm="ลบหลักฐาน “คำสั่งจังหวัด” หรือไม่?"' in html


def test_adding_a_link_with_htmx_returns_the_evidence_block(client, alice, first):
    response = login(client, alice).post(add_link_url(first), link_data(first), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="evidence-{first.pk}"')
    assert 'href="https://www.satun.go.th/ita/o1" target="_blank" rel="noopener noreferrer"' in html
    assert "เพิ่มลิงก์แล้ว" in html


def test_an_invalid_link_with_htmx_shows_the_error_and_keeps_the_description(client, alice, first):
    data = link_data(first, url="javascript:alert(1)", description="คำอธิบายที่พิมพ์")
    response = login(client, alice).post(add_link_url(first), data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "คำอธิบายที่พิมพ์" in html and "is-invalid" in html
    assert not first.evidence.exists()


def test_an_invalid_link_without_javascript_shows_the_page_with_the_error(client, alice, report, first):
    data = link_data(first, url="ftp://files.example.go.th/a", description="คำอธิบายที่พิมพ์")
    response = login(client, alice).post(add_link_url(first), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "http:// หรือ https://" in html and "คำอธิบายที่พิมพ์" in html
    assert not first.evidence.exists()


def test_a_link_typed_without_https_is_accepted_with_https_added(client, alice, first):
    response = login(client, alice).post(add_link_url(first), link_data(first, url="www.example.go.th/ita"))
    assert response.status_code == 302
    assert first.evidence.get().url == "https://www.example.go.th/ita"


def test_the_link_box_leaves_validation_to_the_server(client, alice, report, first):
    html = login(client, alice).get(manage_url(first)).content.decode()
    box = re.search(rf'<input [^>]*name="link{first.pk}-url"[^>]*>', html).group(0)
    assert 'type="text"' in box and 'inputmode="url"' in box
    form = re.search(r"<form [^>]*evidence-link[^>]*>", html).group(0)
    assert "novalidate" in form


def test_a_link_that_is_no_web_address_is_refused_in_thai_beside_the_field(client, alice, first):
    response = login(client, alice).post(add_link_url(first), link_data(first, url="ไม่ใช่ลิงก์"), **HTMX)
    html = response.content.decode()
    assert re.search(r'id="error_1_id_link\d+-url"[^>]*>.*?<strong>[^<]*[ก-๙]', html, re.S)
    assert not first.evidence.exists()


# --- files ---------------------------------------------------------------------------------------------


def test_uploading_a_file_stores_it_under_a_random_name_and_keeps_the_thai_name(
    client, alice, report, first, settings
):
    response = login(client, alice).post(add_file_url(first), file_data(first))
    assert response.status_code == 302
    evidence = first.evidence.get()
    assert evidence.kind == Evidence.Kind.FILE
    assert evidence.original_name == "รายงานการประชุม.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(pdf_bytes())
    stored = Path(evidence.file.name)
    assert stored.parent.name == "evidence" and "รายงาน" not in stored.name and stored.suffix == ".pdf"
    assert (Path(settings.MEDIA_ROOT) / evidence.file.name).read_bytes() == pdf_bytes()
    assert report.events.filter(action=ReportEvent.Action.EVIDENCE_ADDED).count() == 1


def test_a_file_whose_content_does_not_match_is_refused_with_a_thai_message(client, alice, first, settings):
    data = file_data(first, name="ภาพ.pdf", content=png_bytes(), description="คำอธิบายไฟล์")
    response = login(client, alice).post(add_file_url(first), data, **HTMX)
    html = response.content.decode()
    assert "ชื่อไฟล์ลงท้ายด้วย .pdf แต่เนื้อหาเป็นไฟล์ PNG" in html
    assert "คำอธิบายไฟล์" in html
    assert not first.evidence.exists()
    assert not list((Path(settings.MEDIA_ROOT)).rglob("*.pdf"))


def test_a_refused_file_without_javascript_shows_the_evidence_page_with_the_message(
    client, alice, report, first
):
    data = file_data(first, name="notes.txt", content=b"hello", description="บันทึกการประชุม")
    response = login(client, alice).post(add_file_url(first), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ไม่สามารถอัปโหลดไฟล์ประเภทนี้ได้" in html
    assert 'value="บันทึกการประชุม"' in html  # what was typed is kept
    assert f'href="{report.get_absolute_url()}#measure-{first.pk}"' in html  # the way back
    assert not first.evidence.exists()


def test_a_file_over_the_limit_is_refused(client, alice, first, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    data = file_data(first, content=pdf_bytes() + b"0" * (1024 * 1024))
    response = login(client, alice).post(add_file_url(first), data, **HTMX)
    assert "ขนาดไฟล์ต้องไม่เกิน 1 MB" in response.content.decode()
    assert not first.evidence.exists()


@pytest.mark.parametrize("memory_limit", [0, 2**30], ids=["to-a-temporary-file", "to-memory"])
def test_a_file_over_the_limit_is_not_spooled_beyond_the_limit(
    client, alice, first, settings, monkeypatch, memory_limit
):
    """Django spools a whole upload (to memory or a temporary file) before any view sees it: the portal's
    upload handler stops keeping a file's bytes once it passes the limit, and the form still says why."""
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_limit
    kept = []
    for handler in (uploadhandler.TemporaryFileUploadHandler, uploadhandler.MemoryFileUploadHandler):
        original = handler.receive_data_chunk

        def counting(self, raw_data, start, original=original):
            if getattr(self, "activated", True):  # the memory handler passes data on when it is not used
                kept.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    data = file_data(first, content=pdf_bytes() + b"0" * (5 * 1024 * 1024))
    response = login(client, alice).post(add_file_url(first), data, **HTMX)
    html = response.content.decode()
    assert "ขนาดไฟล์ต้องไม่เกิน 1 MB" in html and "5.0 MB" in html
    assert 0 < sum(kept) <= 1024 * 1024
    assert not first.evidence.exists()


def test_a_file_of_exactly_the_limit_is_accepted(client, alice, first, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    content = pdf_bytes() + b"0" * (1024 * 1024 - len(pdf_bytes()))
    response = login(client, alice).post(add_file_url(first), file_data(first, content=content), **HTMX)
    assert response.status_code == 200
    assert first.evidence.get().size == 1024 * 1024


# --- removing ------------------------------------------------------------------------------------------


def test_removing_a_link_deletes_it_and_records_an_event(client, alice, report, first):
    evidence = LinkEvidenceFactory(progress=first, description="ลิงก์เก่า")
    response = login(client, alice).post(remove_url(evidence), **HTMX)
    assert response.status_code == 200 and "ลบหลักฐานแล้ว" in response.content.decode()
    assert not first.evidence.exists()
    event = report.events.get(action=ReportEvent.Action.EVIDENCE_REMOVED)
    assert event.changes["1.1"]["evidence"]["removed"] == [f"ลิงก์เก่า – {evidence.url}"]


def test_removing_a_file_deletes_the_stored_file_after_commit(
    client, alice, stored_file, settings, django_capture_on_commit_callbacks
):
    path = Path(settings.MEDIA_ROOT) / stored_file.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = login(client, alice).post(remove_url(stored_file))
    assert response.status_code == 302
    assert (
        len(versions.without_publishing(callbacks)) == 1
    )  # the file's removal (and the data version's raise)
    assert not path.exists()
    assert not Evidence.objects.filter(pk=stored_file.pk).exists()


def _approve_and_reopen(report, alice, reviewer):
    from reports import workflow

    report.progress.update(status="in_progress", result="ดำเนินการแล้ว")
    workflow.submit(report, alice)
    workflow.approve(report, reviewer)
    workflow.reopen(report, reviewer, reason="แก้ไขหลักฐาน")


def test_a_file_the_approval_refers_to_is_kept_when_removed_after_a_reopen(
    client, alice, rita, report, stored_file, settings, django_capture_on_commit_callbacks
):
    _approve_and_reopen(report, alice, rita)
    path = Path(settings.MEDIA_ROOT) / stored_file.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, alice).post(remove_url(stored_file))
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=stored_file.pk).exists()
    assert path.exists()
    report.refresh_from_db()
    assert stored_file.file.name in report.approved_snapshot[str(stored_file.progress.measure_id)]["files"]


def test_a_file_added_after_the_reopen_is_deleted_when_removed(
    client, alice, rita, report, first, settings, django_capture_on_commit_callbacks
):
    _approve_and_reopen(report, alice, rita)
    later = Evidence.objects.create(
        progress=first,
        kind=Evidence.Kind.FILE,
        file=ContentFile(pdf_bytes(), name="y.pdf"),
        original_name="ใหม่.pdf",
    )
    path = Path(settings.MEDIA_ROOT) / later.file.name
    with django_capture_on_commit_callbacks(execute=True):
        login(client, alice).post(remove_url(later))
    assert not path.exists()


def test_evidence_cannot_change_once_the_report_is_submitted(client, alice, report, first, stored_file):
    QuarterlyReport.objects.filter(pk=report.pk).update(status=QuarterlyReport.Status.SUBMITTED)
    login(client, alice)
    client.post(add_link_url(first), link_data(first))
    client.post(add_file_url(first), file_data(first))
    response = client.post(remove_url(stored_file), **HTMX)
    assert "แก้ไขไม่ได้แล้ว" in response.content.decode()
    assert list(first.evidence.all()) == [stored_file]


# --- downloading ---------------------------------------------------------------------------------------


def test_download_is_an_attachment_with_the_thai_name_and_nosniff(client, alice, stored_file):
    response = login(client, alice).get(download_url(stored_file))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    # RFC 5987/6266: the original Thai name, percent-encoded as UTF-8.
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('คำสั่งจังหวัด ฉบับที่ 1.pdf')}"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_reviewers_can_download(client, rita, stored_file):
    assert login(client, rita).get(download_url(stored_file)).status_code == 200


def test_a_missing_stored_file_is_not_found(client, alice, stored_file):
    stored_file.file.delete(save=False)
    assert login(client, alice).get(download_url(stored_file)).status_code == 404


def test_links_have_nothing_to_download(client, alice, first):
    link = LinkEvidenceFactory(progress=first)
    assert login(client, alice).get(download_url(link)).status_code == 404


# --- the evidence forms ----------------------------------------------------------------------------------


def manage_url(progress):
    return reverse("reports:evidence", args=[progress.pk])


def test_the_report_page_links_to_the_evidence_forms_instead_of_rendering_them(client, alice, report, first):
    html = login(client, alice).get(report.get_absolute_url()).content.decode()
    assert f'href="{manage_url(first)}" data-hx-get="{manage_url(first)}"' in html
    assert f'name="link{first.pk}-url"' not in html


def test_without_javascript_the_evidence_forms_are_a_page_of_their_own(client, alice, first):
    response = login(client, alice).get(manage_url(first))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<!doctype html>" in html
    assert f'name="link{first.pk}-url"' in html and f'name="file{first.pk}-file"' in html
    assert 'enctype="multipart/form-data"' in html


def test_with_htmx_the_evidence_forms_replace_the_block_and_take_the_focus(client, alice, first):
    response = login(client, alice).get(manage_url(first), **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="evidence-{first.pk}"')
    assert re.search(rf'<input[^>]*name="link{first.pk}-url"[^>]*autofocus', html)


def test_evidence_forms_of_a_submitted_report_send_back_to_the_report(client, alice, report, first):
    QuarterlyReport.objects.filter(pk=report.pk).update(status=QuarterlyReport.Status.SUBMITTED)
    response = login(client, alice).get(manage_url(first))
    assert response.status_code == 302 and response.url == report.get_absolute_url()


def test_evidence_forms_are_not_found_for_another_agency(client, bob, first):
    assert login(client, bob).get(manage_url(first)).status_code == 404


def test_evidence_forms_are_forbidden_to_reviewers(client, rita, first):
    assert login(client, rita).get(manage_url(first)).status_code == 403


def test_evidence_forms_send_anonymous_users_to_login(client, first):
    response = client.get(manage_url(first))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_evidence_forms_page_refuses_post(client, alice, first):
    assert login(client, alice).post(manage_url(first)).status_code == 405


# --- access matrix -------------------------------------------------------------------------------------


CHANGE_VIEWS = ["add_link", "add_file", "remove"]


def _post(client, view, first, evidence):
    if view == "add_link":
        return client.post(add_link_url(first), link_data(first))
    if view == "add_file":
        return client.post(add_file_url(first), file_data(first))
    return client.post(remove_url(evidence))


@pytest.mark.parametrize("view", CHANGE_VIEWS)
def test_other_agencys_reporter_gets_404_on_change_views(client, bob, first, stored_file, view):
    assert _post(login(client, bob), view, first, stored_file).status_code == 404
    assert list(first.evidence.all()) == [stored_file]


@pytest.mark.parametrize("view", CHANGE_VIEWS)
def test_reviewer_gets_403_on_change_views(client, rita, first, stored_file, view):
    assert _post(login(client, rita), view, first, stored_file).status_code == 403
    assert list(first.evidence.all()) == [stored_file]


@pytest.mark.parametrize("view", CHANGE_VIEWS)
def test_anonymous_goes_to_login_on_change_views(client, first, stored_file, view):
    response = _post(client, view, first, stored_file)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert list(first.evidence.all()) == [stored_file]


@pytest.mark.parametrize("view", CHANGE_VIEWS)
def test_change_views_refuse_get(client, alice, first, stored_file, view):
    url = {
        "add_link": add_link_url(first),
        "add_file": add_file_url(first),
        "remove": remove_url(stored_file),
    }
    assert login(client, alice).get(url[view]).status_code == 405


def test_other_agencys_reporter_cannot_download(client, bob, stored_file):
    assert login(client, bob).get(download_url(stored_file)).status_code == 404


def test_anonymous_cannot_download(client, stored_file):
    response = client.get(download_url(stored_file))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_download_refuses_post(client, alice, stored_file):
    assert login(client, alice).post(download_url(stored_file)).status_code == 405


def test_evidence_of_a_returned_report_can_be_changed_again(client, alice, rita, report, progress):
    for p in progress:
        p.status, p.result = "done", "ผล"
        p.save()
        LinkEvidenceFactory(progress=p)
    workflow.submit(report, alice)
    workflow.return_report(report, rita, reason="เพิ่มหลักฐาน")
    response = login(client, alice).post(add_link_url(progress[0]), link_data(progress[0]))
    assert response.status_code == 302
    assert progress[0].evidence.count() == 2
