"""After approve → reopen, the agency removes a file that was public in the approved version: the approved version
stays published until the next approval, so the file (kept in storage for the approval) still downloads. A file
that cannot be downloaded — its mark withdrawn, or gone from storage — is not offered on any public page."""

import pytest
from django.core.files.storage import default_storage

from reports.models import Evidence
from reports.reporting import services
from tests.transparency.surfaces import fetch

pytestmark = pytest.mark.django_db

SURFACES = (
    "/public/2565/agency/AGA/",
    "/public/2565/agency/AGA/r6/",
    "/public/2565/indicator/1/?quarter=1",
    "/public/2565/search/?q=ผลที่อนุมัติ",
    "/open-data/2565/results.csv",
)


@pytest.fixture
def removed(flow):
    """A report approved with a public file, reopened, and the file's evidence removed by the agency."""
    report = flow.write(flow.report(), "ผลที่อนุมัติ")
    evidence = flow.add_file(report, "รายงาน.pdf", public=True)
    evidence_id, stored = evidence.pk, evidence.file.name
    report = flow.reopen(flow.approve(flow.submit(report)), "แก้ไข")
    services.remove_evidence(evidence, flow.reporter)
    assert not Evidence.objects.filter(pk=evidence_id).exists()
    return report, evidence_id, stored


def _url(report_id, evidence_id):
    return f"/public/evidence/{report_id}/{evidence_id}/"


def _download(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def test_the_removed_file_still_downloads_while_the_approved_version_is_published(client, removed):
    report, evidence_id, stored = removed
    assert default_storage.exists(stored)  # remove_evidence kept it for the approval
    url = _url(report.pk, evidence_id)
    for path in SURFACES:
        assert url in fetch(path), path
    response, body = _download(client, url)
    assert response.status_code == 200
    assert body == b"%PDF-1.4"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_next_approval_takes_the_removed_file_off(client, flow, removed):
    report, evidence_id, _stored = removed
    flow.approve(flow.submit(report))
    url = _url(report.pk, evidence_id)
    assert not any(url in fetch(path) for path in SURFACES)
    assert client.get(url).status_code == 404


def test_a_removed_file_gone_from_storage_is_not_offered(client, removed):
    report, evidence_id, stored = removed
    default_storage.delete(stored)
    url = _url(report.pk, evidence_id)
    for path in SURFACES:
        page = fetch(path)
        assert url not in page, path
    assert "ผลที่อนุมัติ" in fetch("/public/2565/agency/AGA/")  # the rest of the approved version stays
    assert client.get(url).status_code == 404


def test_a_withdrawn_mark_takes_the_link_off_the_pages_too(client, flow):
    report = flow.write(flow.report(), "ผลที่อนุมัติ")
    evidence = flow.add_file(report, "รายงาน.pdf", public=True)
    flow.approve(flow.submit(report))
    url = _url(report.pk, evidence.pk)
    assert url in fetch("/public/2565/agency/AGA/")
    Evidence.objects.filter(pk=evidence.pk).update(is_public=False)
    assert not any(url in fetch(path) for path in SURFACES)
    assert client.get(url).status_code == 404


def test_an_approval_recorded_before_snapshots_named_each_file_still_serves_it(client, removed):
    """Older snapshots list their stored files apart from the items; the file is found by its order."""
    report, evidence_id, stored = removed
    snapshot = report.approved_snapshot
    for frozen in snapshot.values():
        for item in frozen["evidence_items"]:
            item.pop("file", None)
            item.pop("content_type", None)
    report.approved_snapshot = snapshot
    report.save(update_fields=["approved_snapshot"])
    url = _url(report.pk, evidence_id)
    assert url in fetch("/public/2565/agency/AGA/")
    response, body = _download(client, url)
    assert response.status_code == 200 and body == b"%PDF-1.4"
    assert response["Content-Type"] == "application/octet-stream"


def test_a_removed_file_is_not_served_through_another_published_report(client, flow, removed):
    report, evidence_id, _stored = removed
    other = flow.published("ไตรมาสสอง", quarter=2)
    assert client.get(_url(other.pk, evidence_id)).status_code == 404


def test_a_file_whose_mark_was_withdrawn_before_its_removal_stays_off(client, flow):
    report = flow.write(flow.report(), "ผลที่อนุมัติ")
    evidence = flow.add_file(report, "รายงาน.pdf", public=True)
    evidence_id = evidence.pk
    report = flow.reopen(flow.approve(flow.submit(report)), "แก้ไข")
    Evidence.objects.filter(pk=evidence_id).update(is_public=False)
    evidence.refresh_from_db()
    services.remove_evidence(evidence, flow.reporter)
    url = _url(report.pk, evidence_id)
    assert not any(url in fetch(path) for path in SURFACES)
    assert client.get(url).status_code == 404
    report.refresh_from_db()
    assert "ผลที่อนุมัติ" in fetch("/public/2565/agency/AGA/")


def test_the_agency_page_checks_all_its_files_in_one_query(client, flow, django_assert_num_queries):
    from tests.transparency.test_queries import AGENCY_PAGE_QUERIES

    report = flow.write(flow.report(), "ผล")
    for n in range(3):
        flow.add_file(report, f"ไฟล์{n}.pdf", public=True)
    flow.approve(flow.submit(report))
    with django_assert_num_queries(AGENCY_PAGE_QUERIES + 1):
        assert client.get("/public/2565/agency/AGA/").status_code == 200


def _remove_through_the_page(client, flow, evidence):
    from django.urls import reverse

    client.force_login(flow.reporter)
    response = client.post(reverse("reports:evidence_remove", args=[evidence.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    return response.content.decode()


STAYS_PUBLIC = "ไฟล์นี้ยังเผยแพร่ต่อสาธารณะพร้อมฉบับที่อนุมัติแล้ว"


def test_removing_a_published_file_tells_the_agency_it_stays_public_until_the_next_approval(client, flow):
    report = flow.write(flow.report(), "ผลที่อนุมัติ")
    evidence = flow.add_file(report, "รายงาน.pdf", public=True)
    flow.reopen(flow.approve(flow.submit(report)), "แก้ไข")
    assert STAYS_PUBLIC in _remove_through_the_page(client, flow, evidence)


@pytest.mark.parametrize("public", [True, False])
def test_removing_a_file_the_public_never_saw_says_only_that_it_was_removed(client, flow, public):
    report = flow.write(flow.report(), "ผลที่อนุมัติ")
    private = flow.add_file(report, "ภายใน.pdf", public=False)
    report = flow.reopen(flow.approve(flow.submit(report)), "แก้ไข")
    # A private file of the approved version, or a public one added after it: neither is on the public site.
    evidence = private if not public else flow.add_file(report, "ใหม่.pdf", public=True)
    html = _remove_through_the_page(client, flow, evidence)
    assert "ลบหลักฐานแล้ว" in html and STAYS_PUBLIC not in html
