"""Who reads an agency's reports: only its reporters (and the province's reviewers and administrators).

An agency membership is not a role: a member without the reporter role (e.g. taken out of the reporter group)
and a reporter of an agency that was deactivated read nothing, through any view.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from measures.models import Membership
from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent
from tests.factories import UserFactory
from tests.reporting.helpers import login, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_file(progress, alice):
    return Evidence.objects.create(
        progress=progress[0],
        kind=Evidence.Kind.FILE,
        file=ContentFile(pdf_bytes(), name="x.pdf"),
        original_name="คำสั่ง.pdf",
        content_type="application/pdf",
        size=len(pdf_bytes()),
        created_by=alice,
    )


@pytest.fixture
def member_without_role(agency):
    """Staff of agency A with a membership but no role (not in the reporter group)."""
    user = UserFactory(username="member")
    Membership.objects.create(user=user, agency=agency)
    return user


def read_urls(report, progress, evidence):
    return [
        reverse("reports:report", args=[report.pk]),
        reverse("reports:evidence", args=[progress[0].pk]),
        reverse("reports:evidence_download", args=[evidence.pk]),
    ]


def test_a_member_without_the_reporter_role_reads_no_report_nor_file(
    client, member_without_role, report, progress, stored_file
):
    login(client, member_without_role)
    for url in read_urls(report, progress, stored_file):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("model", [QuarterlyReport, MeasureProgress, Evidence, ReportEvent])
def test_for_user_gives_a_member_without_the_reporter_role_nothing(
    member_without_role, report, stored_file, model
):
    assert model.objects.count() > 0
    assert not model.objects.for_user(member_without_role).exists()


def test_a_reporter_of_a_deactivated_agency_reads_nothing(
    client, alice, agency, report, progress, stored_file
):
    agency.is_active = False
    agency.save(update_fields=["is_active"])
    login(client, alice)
    for url in read_urls(report, progress, stored_file):
        assert client.get(url).status_code == 404, url


def test_the_reporter_still_reads_her_agencys_report_and_file(client, alice, report, progress, stored_file):
    login(client, alice)
    for url in read_urls(report, progress, stored_file):
        assert client.get(url).status_code == 200, url
