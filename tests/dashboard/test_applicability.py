"""Measures for some agencies: reports, the dashboard's denominators, rounds and reminders follow them."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from measures.models import Agency, Measure
from reports import workflow
from reports.reminders import due_reminders
from tests.dashboard_data import BKK, build_province
from tests.factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, MeasureFactory, make_reviewer

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


@pytest.fixture(autouse=True)
def on_20_january_2022():
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, 0, tzinfo=BKK), tick=False):
        yield


@pytest.fixture
def province():
    """The dashboard's province (active agencies A–F, G inactive; measures 1.1, 2.1, 2.2) with measure 2.2 for
    agencies A, B and the inactive G only."""
    province = build_province()
    m22 = province.measures[2]
    m22.applies_to_all = False
    m22.save()
    m22.agencies.set([province.agencies[letter] for letter in "ABG"])
    return province


@pytest.fixture
def reviewer_client(client):
    client.force_login(make_reviewer(username="reviewer"))
    return client


def q1(client):
    response = client.get(URL, {"year": 2565, "quarter": 1})
    assert response.status_code == 200
    return response.context


def test_the_progress_denominator_counts_only_the_agencies_a_measure_applies_to(province, reviewer_client):
    totals = [(indicator.number, cell.total) for indicator, cell in q1(reviewer_client)["progress"]]
    # Indicator 2: measure 2.1 for the six active agencies, 2.2 for the two active ones chosen (was 12).
    assert totals == [(1, 6), (2, 8)]


def test_the_overall_trend_denominator_follows_applicability(province, reviewer_client):
    assert q1(reviewer_client)["trend_overall"].cells[0].total == 6 + 6 + 2


def test_the_matrix_cell_of_an_agency_not_chosen_counts_one_measure_fewer(province, reviewer_client):
    rows = {row.agency.code: [cell.total for cell in row.cells] for row in q1(reviewer_client)["matrix_rows"]}
    assert rows["AGA"] == [1, 2]
    assert rows["AGC"] == [1, 1]


def test_making_a_measure_apply_to_all_again_restores_the_denominators(province, reviewer_client):
    Measure.objects.filter(pk=province.measures[2].pk).update(applies_to_all=True)
    assert [cell.total for _indicator, cell in q1(reviewer_client)["progress"]] == [6, 12]


def test_the_rounds_page_counts_the_measures_each_agency_reports_on(province, reviewer_client):
    response = reviewer_client.get(reverse("reports:round", args=[6]), {"year": 2565})
    assert response.status_code == 200
    totals = {row.agency.code: row.latest.total for row in response.context["agency_rows"]}
    assert (totals["AGA"], totals["AGC"]) == (3, 2)


def test_a_new_report_has_rows_only_for_the_measures_that_apply_to_its_agency(province):
    q2 = province.q2
    chosen = workflow.get_or_create_report(agency=province.agencies["A"], period=q2)
    other = workflow.get_or_create_report(agency=province.agencies["C"], period=q2)
    assert chosen.progress.count() == 3
    assert sorted(other.progress.values_list("measure__indicator__number", "measure__order")) == [
        (1, 1),
        (2, 1),
    ]


def test_an_agency_no_measure_of_the_year_applies_to_gets_no_reminder():
    year = FiscalYearFactory(year=2565, is_active=True)
    chosen = AgencyFactory(code="CHOSEN")
    AgencyFactory(code="LEFTOUT")
    measure = MeasureFactory(indicator=IndicatorFactory(fiscal_year=year, number=1), applies_to_all=False)
    measure.agencies.set([chosen])
    q1_due = year.periods.get(quarter=1).due_date
    reminded = {r.agency.code for r in due_reminders(q1_due - datetime.timedelta(days=3))}
    assert reminded == {"CHOSEN"}
    assert set(Agency.objects.with_measures_in(year).values_list("code", flat=True)) == {"CHOSEN"}


def test_an_agency_no_measure_applies_to_is_not_counted_on_the_dashboard(province, reviewer_client):
    for measure in province.measures:
        measure.applies_to_all = False
        measure.save()
        measure.agencies.set([province.agencies[letter] for letter in "ABCDE"])
    context = q1(reviewer_client)
    assert context["counts"]["total"] == 5
    assert "AGF" not in {row.agency.code for row in context["matrix_rows"]}
