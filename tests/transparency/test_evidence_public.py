"""Evidence on the public side: links always; files only where the agency marked them public, through a view
that checks the approved snapshot and the live mark both."""

import pytest

from tests.transparency.surfaces import fetch

pytestmark = pytest.mark.django_db


def _approve(flow, report):
    return flow.approve(flow.submit(report))


def test_an_approved_link_is_shown(flow, client):
    report = flow.write(flow.report(), "ผล")
    flow.add_link(report, "https://www.example.go.th/ita/o43", "หน้ารายงานผล")
    _approve(flow, report)
    page = fetch("/public/2565/agency/AGA/")
    assert 'href="https://www.example.go.th/ita/o43"' in page
    assert "https://www.example.go.th/ita/o43" in fetch("/open-data/2565/results.csv")


def test_a_public_file_is_linked_and_downloads(flow, client):
    report = flow.write(flow.report(), "ผล")
    evidence = flow.add_file(report, "รายงาน.pdf", public=True)
    _approve(flow, report)
    url = f"/public/evidence/{report.pk}/{evidence.pk}/"
    assert url in fetch("/public/2565/agency/AGA/")
    assert url in fetch("/open-data/2565/results.csv")
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_not_marked_public_is_neither_linked_nor_downloadable(flow, client):
    report = flow.write(flow.report(), "ผล")
    evidence = flow.add_file(report, "ภายใน.pdf", public=False)
    _approve(flow, report)
    assert "ภายใน.pdf" not in fetch("/public/2565/agency/AGA/")
    assert client.get(f"/public/evidence/{report.pk}/{evidence.pk}/").status_code == 404


def test_a_public_file_of_an_unapproved_report_is_not_downloadable(flow, client):
    report = flow.submit(flow.write(flow.report(), "ผล"))
    evidence = flow.add_file(report, "รายงาน.pdf", public=True)
    assert client.get(f"/public/evidence/{report.pk}/{evidence.pk}/").status_code == 404


def test_a_file_added_after_the_approval_is_not_downloadable(flow, client):
    report = flow.reopen(flow.published("ผล"), "แก้ไข")
    evidence = flow.add_file(report, "ใหม่.pdf", public=True)
    assert client.get(f"/public/evidence/{report.pk}/{evidence.pk}/").status_code == 404


def test_withdrawing_the_public_mark_takes_the_file_off_at_once(flow, client):
    report = flow.write(flow.report(), "ผล")
    evidence = flow.add_file(report, "รายงาน.pdf", public=True)
    _approve(flow, report)
    evidence.is_public = False
    evidence.save(update_fields=["is_public"])
    assert client.get(f"/public/evidence/{report.pk}/{evidence.pk}/").status_code == 404


def test_a_file_of_another_report_cannot_be_fetched_through_a_published_one(flow, client):
    published = flow.published("ผล", quarter=1)
    other = flow.write(flow.report(quarter=2), "ร่าง")
    evidence = flow.add_file(other, "ร่าง.pdf", public=True)
    assert client.get(f"/public/evidence/{published.pk}/{evidence.pk}/").status_code == 404
