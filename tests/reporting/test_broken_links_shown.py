"""'Broken since …' where the portal shows a link: the evidence item, the review page, the agency home and the
dashboard."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from linkcheck.models import Link
from tests.factories import (
    BrokenLinkFactory,
    LinkEvidenceFactory,
    MeasureProgressFactory,
    QuarterlyReportFactory,
    make_reporter,
    make_reviewer,
)

pytestmark = pytest.mark.django_db

SINCE = datetime.datetime(2022, 1, 10, 2, 0, tzinfo=datetime.UTC)
BROKEN_URL = "https://prov.go.th/gone"


@pytest.fixture
def evidence(db):
    report = QuarterlyReportFactory()
    item = LinkEvidenceFactory(progress=MeasureProgressFactory(report=report), url=BROKEN_URL)
    link = BrokenLinkFactory(url=BROKEN_URL, failing_since=SINCE)
    link.owners.create(owner=f"agency:{report.agency.code}")
    return item


def test_the_evidence_item_says_since_when_its_link_is_broken(client, evidence):
    client.force_login(make_reporter(agency=evidence.progress.report.agency))
    page = client.get(evidence.progress.report.get_absolute_url()).content.decode()
    assert "ลิงก์เสียตั้งแต่ 10 มกราคม 2565 (HTTP 404)" in page


def test_a_working_evidence_link_says_nothing(client, evidence):
    Link.objects.update(status="up", fail_count=0, failing_since=None)
    client.force_login(make_reporter(agency=evidence.progress.report.agency))
    page = client.get(evidence.progress.report.get_absolute_url()).content.decode()
    assert "ลิงก์เสียตั้งแต่" not in page


def test_the_review_page_says_since_when_an_evidence_link_is_broken(client, evidence):
    report = evidence.progress.report
    report.status = "submitted"
    report.save()
    client.force_login(make_reviewer())
    page = client.get(reverse("reports:review", args=[report.pk])).content.decode()
    assert "ลิงก์เสียตั้งแต่ 10 มกราคม 2565" in page


def test_the_agency_home_lists_the_agencys_broken_links(client, evidence):
    client.force_login(make_reporter(agency=evidence.progress.report.agency))
    page = client.get(reverse("reports:agency_home")).content.decode()
    assert BROKEN_URL in page
    assert "ใช้งานไม่ได้" in page


def test_the_dashboard_counts_each_agencys_broken_links(client, evidence):
    client.force_login(make_reviewer())
    with time_machine.travel("2022-01-20 10:00 +0700", tick=False):
        page = client.get(
            reverse("reports:dashboard"), {"year": evidence.progress.report.period.fiscal_year.year}
        ).content.decode()
    assert "ลิงก์เสีย 1 ลิงก์" in page
