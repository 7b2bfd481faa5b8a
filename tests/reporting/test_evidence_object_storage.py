"""Evidence in S3-compatible object storage (django-storages), against a local moto server on 127.0.0.1."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from reports import workflow
from reports.models import Evidence
from tests.ops.s3 import body, keys
from tests.reporting.helpers import login, pdf_bytes
from tests.reporting.test_evidence import add_file_url, download_url, file_data, remove_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(client, alice, progress, bucket):
    """A PDF uploaded through the report page by agency A's reporter; its Evidence row."""
    response = login(client, alice).post(add_file_url(progress[0]), file_data(progress[0]))
    assert response.status_code == 302
    client.logout()
    return Evidence.objects.get(kind=Evidence.Kind.FILE)


def test_an_upload_goes_to_the_bucket_under_its_random_name(uploaded, s3_server, bucket):
    assert keys(s3_server, bucket) == [f"satun/{uploaded.file.name}"]
    assert uploaded.file.name.startswith("evidence/") and uploaded.file.name.endswith(".pdf")
    assert body(s3_server, bucket, f"satun/{uploaded.file.name}") == pdf_bytes()
    assert uploaded.original_name == "รายงานการประชุม.pdf"


def test_nothing_is_written_to_the_local_disk(uploaded, settings):
    assert not (settings.MEDIA_ROOT / "evidence").exists()


def test_the_agency_downloads_its_file_from_the_bucket(client, alice, uploaded):
    response = login(client, alice).get(download_url(uploaded))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_reviewer_downloads_any_agencys_file(client, rita, uploaded):
    response = login(client, rita).get(download_url(uploaded))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_another_agency_gets_404(client, bob, uploaded):
    assert login(client, bob).get(download_url(uploaded)).status_code == 404


def test_anonymous_goes_to_login(client, uploaded):
    response = client.get(download_url(uploaded))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_file_gone_from_the_bucket_is_a_404_not_a_500(client, alice, uploaded):
    default_storage.delete(uploaded.file.name)
    assert login(client, alice).get(download_url(uploaded)).status_code == 404


def test_removing_evidence_of_a_draft_deletes_the_object(
    client, alice, uploaded, s3_server, bucket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, alice).post(remove_url(uploaded))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert keys(s3_server, bucket) == []


def test_evidence_of_an_approved_report_cannot_be_removed(
    client, alice, rita, report, progress, uploaded, s3_server, bucket, django_capture_on_commit_callbacks
):
    for p in progress:
        p.status, p.result = "done", "ผล"
        p.save()
    progress[1].evidence.create(kind=Evidence.Kind.LINK, url="https://www.satun.go.th/", created_by=alice)
    workflow.submit(report, alice)
    workflow.approve(report, rita)

    with django_capture_on_commit_callbacks(execute=True):
        login(client, alice).post(remove_url(uploaded))

    assert Evidence.objects.filter(pk=uploaded.pk).exists()
    assert keys(s3_server, bucket) == [f"satun/{uploaded.file.name}"]
