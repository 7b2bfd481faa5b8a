"""The agency home and the report page run a fixed number of SQL queries, whatever the plan's size."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.thaidate import BANGKOK
from reports import workflow
from tests.factories import IndicatorFactory, LinkEvidenceFactory, MeasureFactory, MeasureStepFactory
from tests.reporting.helpers import login, progress_data

pytestmark = pytest.mark.django_db

# Report page: session, user, the data version (ops.versions), 2 × permissions, membership, agency, report, measures missing from the report
# (a reporter's visit adds them; none here), progress, evidence, steps, events, the header's unread notices.
# Save: the same reads (without evidence and steps), then savepoint, locked report, measures missing from the
# report (added to the plan since), progress, version claim, one UPDATE for every changed measure, the event,
# release.
# Agency home: session, user, 2 × permissions, membership, agency, years, active year (2), periods, reports,
# unread notices (the list and the header's count), the agency's broken links (linkcheck, one query), the OIT
# items the links for ITAS answer (one query). The report
# page also counts the header's unread notices and the broken links of the evidence shown.
REPORT_PAGE_QUERIES = 15
REPORT_SAVE_QUERIES = 16
AGENCY_HOME_QUERIES = 15


def build(fiscal_year, agency, user, measures: int, evidence: int):
    for n in range(measures):
        indicator = IndicatorFactory(fiscal_year=fiscal_year, number=n % 10 + 1) if n < 10 else None
        measure = MeasureFactory(
            indicator=indicator or fiscal_year.indicators.get(number=n % 10 + 1), order=n // 10 + 1
        )
        MeasureStepFactory(measure=measure, order=1)
        MeasureStepFactory(measure=measure, order=2)
    report = workflow.get_or_create_report(
        agency=agency, period=fiscal_year.periods.get(quarter=1), user=user
    )
    for progress in report.progress.all():
        for _ in range(evidence):
            LinkEvidenceFactory(progress=progress)
    return report


def count(client, method, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


@pytest.mark.parametrize(("measures", "evidence"), [(2, 1), (10, 5)])
def test_report_page_query_count_is_pinned(
    client, django_assert_num_queries, fiscal_year, agency, alice, measures, evidence
):
    report = build(fiscal_year, agency, alice, measures, evidence)
    login(client, alice).get(reverse("reports:agency_home"))  # warm the session (a report page would be kept)
    with django_assert_num_queries(REPORT_PAGE_QUERIES):
        response = client.get(reverse("reports:report", args=[report.pk]))
    assert response.status_code == 200


def test_report_page_queries_do_not_grow_with_measures_and_evidence(
    client, fiscal_year, agency, alice, other_agency, bob
):
    small = build(fiscal_year, agency, alice, 2, 1)
    login(client, alice)
    small_count = count(client, "get", reverse("reports:report", args=[small.pk]))
    # A bigger plan: 10 measures with 5 links each, for another agency.
    big_year = fiscal_year.__class__.objects.create(year=2566)
    big_year.ensure_periods()
    big = build(big_year, other_agency, bob, 10, 5)
    login(client, bob)
    big_count = count(client, "get", reverse("reports:report", args=[big.pk]))
    assert small_count == big_count


@pytest.mark.parametrize(("measures", "evidence"), [(2, 1), (10, 5)])
def test_saving_a_draft_query_count_is_pinned(
    client, django_assert_num_queries, fiscal_year, agency, alice, measures, evidence
):
    report = build(fiscal_year, agency, alice, measures, evidence)
    # Every measure changes: still one UPDATE for all of them.
    data = progress_data(report, {p.pk: {"result": f"บันทึกทดสอบ {p.pk}"} for p in report.progress.all()})
    login(client, alice).get(reverse("reports:report", args=[report.pk]))
    with django_assert_num_queries(REPORT_SAVE_QUERIES):
        response = client.post(reverse("reports:report", args=[report.pk]), data)
    assert response.status_code == 302
    assert report.progress.exclude(result="").count() == measures


@pytest.mark.parametrize("reports", [0, 4])
def test_agency_home_query_count_is_pinned(
    client, django_assert_num_queries, fiscal_year, agency, alice, measures, reports
):
    for quarter in range(1, reports + 1):
        workflow.get_or_create_report(
            agency=agency, period=fiscal_year.periods.get(quarter=quarter), user=alice
        )
    login(client, alice).get(reverse("reports:agency_home"))
    with (
        time_machine.travel(datetime.datetime(2022, 9, 1, 10, tzinfo=BANGKOK), tick=False),
        django_assert_num_queries(AGENCY_HOME_QUERIES),
    ):
        response = client.get(reverse("reports:agency_home"))
    assert response.status_code == 200


def test_agency_home_queries_do_not_grow_with_reports(client, fiscal_year, agency, alice, measures):
    login(client, alice)
    home = reverse("reports:agency_home")
    with time_machine.travel(datetime.datetime(2022, 9, 1, 10, tzinfo=BANGKOK), tick=False):
        before = count(client, "get", home)
        for quarter in range(1, 5):
            workflow.get_or_create_report(
                agency=agency, period=fiscal_year.periods.get(quarter=quarter), user=alice
            )
        assert count(client, "get", home) == before
