"""The reports' side of the link monitor: evidence links are monitored, their agency is e-mailed once."""

import datetime

import pytest
from django.core import mail

from linkcheck import services
from linkcheck.models import Link, LinkOwner
from reports import links
from tests.factories import LinkEvidenceFactory, MeasureProgressFactory, QuarterlyReportFactory, make_reporter

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2027, 2, 1, 1, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def evidence(url, report=None):
    return LinkEvidenceFactory(
        progress=MeasureProgressFactory(report=report or QuarterlyReportFactory()), url=url
    )


def test_every_link_evidence_is_monitored_for_its_agency(web):
    item = evidence(web.url("/ok"))
    services.sync_links()
    assert list(LinkOwner.objects.values_list("link__url", "owner")) == [
        (web.url("/ok"), f"agency:{item.progress.report.agency.code}")
    ]


def test_an_agency_is_e_mailed_once_when_its_evidence_link_breaks(web):
    item = evidence(web.url("/missing"))
    reporter = make_reporter(agency=item.progress.report.agency)
    for day in range(3):
        services.run(now=T0 + day * DAY)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([reporter.email, item.progress.report.agency.email])
    assert web.url("/missing") in message.body
    assert "HTTP 404" in message.body


def test_the_e_mail_is_in_thai_and_says_since_when_and_where_the_link_is_used(web):
    item = evidence(web.url("/error"))
    services.run(now=T0)
    services.run(now=T0 + DAY)
    body = mail.outbox[0].body
    assert "ใช้งานไม่ได้" in mail.outbox[0].subject
    assert "2570" in body  # 1 February 2027 in B.E.
    assert item.progress.measure.code in body


def test_another_agency_is_not_told_of_a_link_it_does_not_use(web):
    evidence(web.url("/missing"))
    other = evidence(web.url("/ok")).progress.report.agency
    services.run(now=T0)
    services.run(now=T0 + DAY)
    assert other.email not in mail.outbox[0].to


def test_broken_evidence_finds_the_broken_links_of_a_page_in_one_query(web, django_assert_num_queries):
    broken = evidence(web.url("/missing"))
    working = evidence(web.url("/ok"))
    services.run(now=T0)
    services.run(now=T0 + DAY)
    with django_assert_num_queries(1):
        found = links.broken_evidence([broken, working])
    assert list(found) == [broken.pk]
    assert found[broken.pk].broken_since == T0


def test_broken_counts_by_agency_counts_each_agencys_broken_links(web, django_assert_num_queries):
    first = evidence(web.url("/missing"))
    agency = first.progress.report.agency
    evidence(web.url("/error"), report=first.progress.report)
    healthy = evidence(web.url("/ok")).progress.report.agency
    services.run(now=T0)
    services.run(now=T0 + DAY)
    with django_assert_num_queries(1):
        counts = links.broken_counts_by_agency([agency, healthy])
    assert counts == {agency.pk: 2}
    assert Link.objects.broken().count() == 2
