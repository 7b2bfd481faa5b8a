"""A measure added to the plan after reports were started (in the admin, or by re-importing the plan).

A report the agency can still edit gets the new measure when one of its reporters next opens or saves it,
so it cannot be submitted without it; a submitted or approved report is never changed by it, and nobody
else's visit changes anything.
"""

import pytest
from django.urls import reverse

from reports import workflow
from reports.models import MeasureProgress, QuarterlyReport, ReportEvent
from tests.factories import IndicatorFactory, LinkEvidenceFactory, MeasureFactory
from tests.reporting.helpers import login, progress_data

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status


def _complete(report):
    for p in report.progress.all():
        p.status = MeasureProgress.Status.DONE
        p.result = "ดำเนินการแล้ว"
        p.save()
        LinkEvidenceFactory(progress=p)


@pytest.fixture
def new_measure(fiscal_year, report):
    """Added to the plan after `report` was created."""
    return MeasureFactory(indicator=IndicatorFactory(fiscal_year=fiscal_year, number=3), text="มาตรการใหม่")


def _approved(report, alice, rita):
    _complete(report)
    workflow.submit(report, alice)
    report.refresh_from_db()
    return workflow.approve(report, rita)


def test_opening_an_approved_report_again_does_not_add_the_new_measure(client, alice, rita, report):
    report = _approved(report, alice, rita)
    MeasureFactory(indicator=IndicatorFactory(fiscal_year=report.period.fiscal_year, number=3))
    rows, version = report.progress.count(), report.version
    response = login(client, alice).post(reverse("reports:start_report", args=[report.period_id]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.progress.count() == rows
    assert report.version == version and report.status == Status.APPROVED


def test_opening_a_submitted_report_again_does_not_add_the_new_measure(client, alice, report):
    _complete(report)
    workflow.submit(report, alice)
    MeasureFactory(indicator=IndicatorFactory(fiscal_year=report.period.fiscal_year, number=3))
    rows = report.progress.count()
    login(client, alice).post(reverse("reports:start_report", args=[report.period_id]))
    assert report.progress.count() == rows


def test_saving_a_draft_adds_the_new_measure(client, alice, report, progress, new_measure):
    data = progress_data(report, {progress[0].pk: {"result": "เริ่มแล้ว"}})
    response = login(client, alice).post(reverse("reports:report", args=[report.pk]), data)
    assert response.status_code == 302
    assert report.progress.filter(measure=new_measure).exists()


def test_a_report_cannot_be_submitted_without_the_new_measure(client, alice, report, new_measure):
    _complete(report)
    report.refresh_from_db()
    data = progress_data(report, action="submit")
    response = login(client, alice).post(reverse("reports:report", args=[report.pk]), data)
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    added = report.progress.get(measure=new_measure)
    assert f'href="#measure-{added.pk}"' in response.content.decode()


def test_the_history_says_which_measures_joined_the_report(client, alice, report, progress, new_measure):
    data = progress_data(report, {progress[0].pk: {"result": "เริ่มแล้ว"}})
    login(client, alice).post(reverse("reports:report", args=[report.pk]), data)
    event = report.events.get(action=ReportEvent.Action.MEASURES_ADDED)
    assert event.actor == alice
    assert event.changes == {"measures_added": [new_measure.code]}
    html = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "มาตรการที่ต้องรายงานเพิ่ม: 3.1" in html


def test_opening_the_report_again_adds_the_new_measure_to_the_history(client, alice, report, new_measure):
    login(client, alice).post(reverse("reports:start_report", args=[report.period_id]))
    assert report.events.filter(action=ReportEvent.Action.MEASURES_ADDED).count() == 1
    login(client, alice).post(reverse("reports:start_report", args=[report.period_id]))
    assert report.events.filter(action=ReportEvent.Action.MEASURES_ADDED).count() == 1


def test_a_new_report_records_its_creation_only(client, alice, fiscal_year, new_measure):
    login(client, alice).post(reverse("reports:start_report", args=[fiscal_year.periods.get(quarter=2).pk]))
    report = QuarterlyReport.objects.get(period__quarter=2)
    assert list(report.events.values_list("action", flat=True)) == [ReportEvent.Action.CREATED]


def test_opening_the_report_shows_the_new_measure(client, alice, report, new_measure):
    response = login(client, alice).get(reverse("reports:report", args=[report.pk]))
    assert response.status_code == 200
    added = report.progress.get(measure=new_measure)
    html = response.content.decode()
    assert f'id="measure-{added.pk}"' in html
    assert "มาตรการที่ต้องรายงานเพิ่ม: 3.1" in html
    # Opening it again adds nothing more.
    login(client, alice).get(reverse("reports:report", args=[report.pk]))
    assert report.progress.filter(measure=new_measure).count() == 1
    assert report.events.filter(action=ReportEvent.Action.MEASURES_ADDED).count() == 1


@pytest.mark.parametrize("who", ["reviewer", "other_agency_reporter"])
def test_only_the_agencys_reporters_visit_adds_the_new_measure(client, report, new_measure, who, request):
    from tests.factories import AgencyFactory, make_reporter, make_reviewer

    user = make_reviewer(username="rev") if who == "reviewer" else make_reporter(AgencyFactory(code="OTH"))
    response = login(client, user).get(reverse("reports:report", args=[report.pk]))
    assert response.status_code == (200 if who == "reviewer" else 404)
    assert not report.progress.filter(measure=new_measure).exists()
    assert not report.events.filter(action=ReportEvent.Action.MEASURES_ADDED).exists()


def test_opening_a_submitted_report_does_not_add_the_new_measure(client, alice, report, new_measure):
    _complete(report)
    workflow.submit(report, alice)
    rows = report.progress.count()
    assert login(client, alice).get(reverse("reports:report", args=[report.pk])).status_code == 200
    assert report.progress.count() == rows


def test_a_report_submitted_while_the_page_opens_is_shown_as_it_is(client, alice, carol, report, new_measure):
    """The check for new measures and the lock are two steps; a colleague may submit in between."""
    from reports.reporting import services

    _complete(report)
    stale = QuarterlyReport.objects.get(pk=report.pk)  # read before the colleague submits
    workflow.submit(report, carol)
    assert services.join_new_measures(stale, alice) == 0
    assert not report.progress.filter(measure=new_measure).exists()
