"""Large PDFs in the background (reports/exports/tasks.py), and every PDF kept by its content."""

import pytest
from django.core.files.storage import default_storage

from reports.exports import tasks
from tests.exports.helpers import content, pdf, pdf_text
from tests.jobs import run_jobs

URL = "/exports/2565/q1.pdf"


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(tasks, "SYNC_RESULTS", 5)  # the test province's 11 results count as large


def test_a_pdf_is_kept_and_a_second_click_is_served_from_storage(as_user, rita, monkeypatch):
    client = as_user(rita)
    first = content(client.get(URL))
    monkeypatch.setattr(tasks, "render_pdf", lambda *a, **k: pytest.fail("rendered again"))
    assert content(client.get(URL)) == first


def test_a_change_makes_a_new_pdf(as_user, rita, province):
    client = as_user(rita)
    content(client.get(URL))
    progress = province["reports"]["A"].progress.first()
    progress.result = "ผลที่แก้ไขแล้ว"
    progress.save()
    assert "ผลที่แก้ไขแล้ว" in pdf_text(pdf(client.get(URL)))


def test_a_large_pdf_is_made_in_the_background_then_offered(as_user, rita, large):
    client = as_user(rita)
    response = client.get(URL)
    assert response.status_code == 302
    run_jobs()  # the worker
    html = client.get(response["Location"]).content.decode()
    assert "ไฟล์ PDF พร้อมแล้ว" in html
    assert 'href="/exports/2565/q1.pdf"' in html
    assert "http-equiv" not in html
    names = [n for n in default_storage.listdir("exports")[1] if n.endswith(".pdf")]
    assert len(names) == 1
    assert "ตัวชี้วัด" in pdf_text(pdf(client.get(URL)))  # now served from storage, no second job


def test_a_waiting_job_says_so_and_reloads_itself(as_user, rita, large):
    client = as_user(rita)  # the database backend: nothing runs the job in a test
    job_page = client.get(client.get(URL)["Location"])
    html = job_page.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "รอคิวงานเบื้องหลัง" in html


def test_another_users_job_is_404(as_user, rita, alice, large):
    location = as_user(rita).get(URL)["Location"]
    assert as_user(alice).get(location).status_code == 404


def test_an_unknown_job_is_404(as_user, rita):
    assert as_user(rita).get("/exports/jobs/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert as_user(rita).get("/exports/jobs/nope/").status_code == 404


def test_the_job_checks_access_again(rita, alice, province):
    with pytest.raises(Exception):  # noqa: B017 - a reporter asking for another agency's document
        tasks.build_pdf.call(alice.pk, 2565, "q1", "AGB", False, False, "th", "k" * 40)


def test_a_second_click_while_the_job_waits_goes_to_the_same_job(as_user, rita, large):
    from django_tasks_db.models import DBTaskResult

    client = as_user(rita)
    first = client.get(URL)["Location"]
    assert client.get(URL)["Location"] == first
    assert DBTaskResult.objects.count() == 1
    assert client.get(URL + "?digits=thai")["Location"] != first  # another document, another job
    run_jobs()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_a_document_too_large_for_a_pdf_or_print_page_offers_its_xlsx(as_user, rita, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(tasks, "MAX_RESULTS", 5)
    monkeypatch.setattr(tasks, "render_pdf", lambda *a, **k: pytest.fail("rendered"))
    response = as_user(rita).get(URL + "?include=submitted")
    assert response.status_code == 200
    html = response.content.decode()
    assert "เอกสารมีขนาดใหญ่เกินกว่าจะทำเป็น PDF หรือหน้าสำหรับพิมพ์" in html
    assert 'href="/exports/2565/q1.xlsx?include=submitted"' in html
    assert not DBTaskResult.objects.exists()
    print_page = as_user(rita).get("/exports/2565/q1/print/").content.decode()
    assert 'href="/exports/2565/q1.xlsx"' in print_page
    assert "export-cover" not in print_page
