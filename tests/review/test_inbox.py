"""The review inbox /review/: who may see it, what it lists in which order, filters, pages, query count."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import FiscalYear
from reports import workflow
from reports.models import QuarterlyReport
from reports.review.filters import default_period
from tests.factories import AgencyFactory, FiscalYearFactory, make_reporter
from tests.review.helpers import make_world, submitted_report

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status
URL = "/review/"


@pytest.fixture
def world():
    return make_world()


def _agency_order(response):
    return [report.agency.code for report, _waiting in response.context["rows"]]


def test_inbox_url_name():
    assert reverse("reports:review_inbox") == URL


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("reviewer", 200), ("admin", 200), ("reporter", 403), ("other_reporter", 403), ("anonymous", 302)],
)
def test_inbox_is_for_reviewers_and_admins_only(client, world, persona, expected):
    user = world.persona(persona)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(URL)
    assert response.status_code == expected
    if persona == "anonymous":
        assert response.url.startswith(reverse("login"))


def test_inbox_refuses_post(client, world):
    client.force_login(world.reviewer)
    assert client.post(URL).status_code == 405


def test_admin_group_without_review_permission_can_read_the_inbox(client, world):
    from django.contrib.auth.models import Group

    from reports import roles
    from tests.factories import UserFactory

    user = UserFactory(username="officeadmin")
    user.groups.add(Group.objects.get(name=roles.ADMIN_GROUP))
    client.force_login(user)
    assert client.get(URL).status_code == 200


def test_inbox_lists_a_submitted_report_with_agency_status_date_and_waiting_time(client, world):
    submitted = world.report.submitted_at
    client.force_login(world.reviewer)
    with time_machine.travel(submitted + datetime.timedelta(days=3), tick=False):
        response = client.get(URL, {"period": "2565-1"})
    html = response.content.decode()
    assert world.agency.name_th in html
    assert reverse("reports:review", args=[world.report.pk]) in html
    assert "ส่งแล้ว รอตรวจ" in html
    assert "รอ 3 วัน" in html
    # Submitted at, in Thai with a B.E. year.
    assert re.search(r"\d{1,2} [ก-๙.]+ 25\d\d \d\d:\d\d น\.", html)


def test_waiting_time_counts_bangkok_calendar_days(client, world):
    # Submitted at 23:30 Bangkok time; at 00:30 the next day it has waited one day.
    submitted = datetime.datetime(2022, 1, 10, 16, 30, tzinfo=datetime.UTC)  # 23:30 in Bangkok
    QuarterlyReport.objects.filter(pk=world.report.pk).update(submitted_at=submitted)
    client.force_login(world.reviewer)
    with time_machine.travel(submitted + datetime.timedelta(hours=1), tick=False):
        html = client.get(URL, {"period": "2565-1"}).content.decode()
    assert "รอ 1 วัน" in html


def test_a_report_submitted_today_says_so(client, world):
    client.force_login(world.reviewer)
    with time_machine.travel(world.report.submitted_at, tick=False):
        html = client.get(URL, {"period": "2565-1"}).content.decode()
    assert "ส่งวันนี้" in html


def test_submitted_reports_come_first_oldest_submission_first(client, world):
    period = world.period
    late, early = AgencyFactory(code="LATE"), AgencyFactory(code="EARLY")
    draft_agency = AgencyFactory(code="DRAFT")
    workflow.get_or_create_report(agency=draft_agency, period=period)
    base = world.report.submitted_at
    with time_machine.travel(base + datetime.timedelta(days=2), tick=False):
        submitted_report(late, period, make_reporter(late))
    with time_machine.travel(base - datetime.timedelta(days=5), tick=False):
        submitted_report(early, period, make_reporter(early))
    workflow.approve(world.report, world.reviewer)  # PROV: decided, goes to the end
    client.force_login(world.reviewer)
    response = client.get(URL, {"period": "2565-1"})
    assert _agency_order(response) == ["EARLY", "LATE", "DRAFT", "PROV"]


def test_inbox_opens_on_the_most_recently_closed_quarter_of_the_active_year(client, world):
    q2 = world.period.fiscal_year.periods.get(quarter=2)
    q2_agency = AgencyFactory(code="Q2")
    submitted_report(q2_agency, q2, make_reporter(q2_agency))
    client.force_login(world.reviewer)
    with time_machine.travel(datetime.datetime(2022, 1, 10, 9, tzinfo=datetime.UTC)):  # in Q2: Q1 has closed
        response = client.get(URL)
    assert _agency_order(response) == ["PROV"]
    assert response.context["filter"].form["period"].value() == "2565-1"
    with time_machine.travel(datetime.datetime(2022, 4, 10, 9, tzinfo=datetime.UTC)):  # in Q3: Q2 has closed
        response = client.get(URL)
    assert _agency_order(response) == ["Q2"]


def test_default_period_before_the_first_quarter_closes_and_long_after_the_year(world):
    periods = list(world.period.fiscal_year.periods.select_related("fiscal_year"))
    assert default_period(periods, datetime.date(2021, 11, 1)).quarter == 1
    assert default_period(periods, datetime.date(2030, 1, 1)).quarter == 4


def test_default_period_uses_the_active_fiscal_year(world):
    FiscalYear.objects.filter(pk=world.period.fiscal_year_id).update(is_active=False)
    newer = FiscalYearFactory(year=2566, is_active=True)
    periods = list(world.period.fiscal_year.periods.select_related("fiscal_year")) + list(
        newer.periods.select_related("fiscal_year")
    )
    assert default_period(periods, datetime.date(2023, 2, 1)).fiscal_year == newer


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"period": "2565-1"}, ["PROV", "CDD"]),
        ({"period": "2565-2"}, ["Q2"]),
        ({"period": "2565"}, ["PROV", "CDD", "Q2"]),
        ({"period": ""}, ["PROV", "CDD", "Q2"]),
        ({"period": "2565", "status": Status.DRAFT.value}, ["CDD"]),
    ],
)
def test_inbox_filters_by_period_and_status(client, world, params, expected):
    workflow.get_or_create_report(agency=world.other_agency, period=world.period)
    q2_agency = AgencyFactory(code="Q2")
    submitted_report(q2_agency, world.period.fiscal_year.periods.get(quarter=2), make_reporter(q2_agency))
    client.force_login(world.reviewer)
    assert sorted(_agency_order(client.get(URL, params))) == sorted(expected)


def test_inbox_filters_by_agency(client, world):
    workflow.get_or_create_report(agency=world.other_agency, period=world.period)
    client.force_login(world.reviewer)
    response = client.get(URL, {"period": "2565-1", "agency": world.other_agency.pk})
    assert _agency_order(response) == ["CDD"]


def test_inbox_filter_form_is_a_get_form_rendered_with_labels(client, world):
    client.force_login(world.reviewer)
    html = client.get(URL).content.decode()
    assert re.search(r'<form[^>]*method="get"', html)
    for name in ("period", "agency", "status"):
        assert f'for="id_{name}"' in html
    assert "csrfmiddlewaretoken" not in html.split('method="get"')[1].split("</form>")[0]


def test_inbox_shows_a_clear_message_when_nothing_matches(client, world):
    client.force_login(world.reviewer)
    html = client.get(URL, {"period": "2565-3"}).content.decode()
    assert "ไม่พบรายงานตามเงื่อนไขที่เลือก" in html


def _many_reports(world, count):
    period = world.period
    for n in range(count):
        agency = AgencyFactory(code=f"X{n:03d}")
        submitted_report(agency, period, make_reporter(agency, username=f"x{n}"))


def test_inbox_pages_by_25_and_keeps_the_filters_in_page_links(client, world):
    _many_reports(world, 29)  # 30 with PROV
    client.force_login(world.reviewer)
    first = client.get(URL, {"period": "2565-1", "status": Status.SUBMITTED.value})
    assert len(first.context["rows"]) == 25
    html = first.content.decode()
    assert "?period=2565-1&amp;status=submitted&amp;page=2" in html
    second = client.get(URL, {"period": "2565-1", "status": Status.SUBMITTED.value, "page": 2})
    assert len(second.context["rows"]) == 5
    assert not set(_agency_order(first)) & set(_agency_order(second))


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"period": "2565-1"})
    assert response.status_code == 200
    return len(queries), len(response.context["rows"])


# Session, user, permissions (2), periods, count, page of reports, agencies for the filter, reports waiting in
# other periods. A first visit (no period chosen) looks up the active fiscal year too; its default quarter has
# no reports in this world, so no query reads an (empty) page of reports. Both count the header's unread notices,
# and read the data version first (ops.versions).
INBOX_QUERIES = 11
FIRST_VISIT_QUERIES = 11


def test_inbox_query_count_does_not_grow_with_reports(client, world):
    client.force_login(world.reviewer)
    _many_reports(world, 2)
    few, rows_few = _count_queries(client)
    for n in range(27):
        agency = AgencyFactory(code=f"Y{n:03d}")
        submitted_report(agency, world.period, make_reporter(agency, username=f"y{n}"))
    many, rows_many = _count_queries(client)
    assert (rows_few, rows_many) == (3, 25)
    print(f"inbox queries: {few} with 3 reports, {many} with 30")
    assert few == many == INBOX_QUERIES


def test_first_visit_query_count_includes_only_the_default_period_lookup(client, world):
    client.force_login(world.reviewer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    assert len(queries) == FIRST_VISIT_QUERIES


# --- reports waiting in other periods ---------------------------------------------------------------------


def _waiting_elsewhere(response):
    return [(str(period), count) for period, count, _query in response.context["waiting_elsewhere"]]


def test_reports_waiting_in_other_periods_are_pointed_out(client, world):
    """The inbox opens on one quarter; a report still waiting from another one is named with a link."""
    q2 = world.period.fiscal_year.periods.get(quarter=2)
    submitted_report(world.other_agency, q2, world.other_reporter)
    client.force_login(world.reviewer)
    response = client.get(URL, {"period": "2565-1"})
    assert _waiting_elsewhere(response) == [("ไตรมาส 2/2565", 1)]
    html = response.content.decode()
    assert "มีรายงานรอตรวจในรอบอื่นด้วย" in html
    assert 'href="?period=2565-2">ไตรมาส 2/2565</a> (1 รายงาน)' in html
    assert 'href="?period=">แสดงทุกรอบ</a>' in html
    # Following the link shows it; the quarter just left is now the one pointed out.
    response = client.get(URL, {"period": "2565-2"})
    assert _agency_order(response) == ["CDD"]
    assert _waiting_elsewhere(response) == [("ไตรมาส 1/2565", 1)]


def test_nothing_is_pointed_out_when_every_period_is_shown_or_nothing_waits_elsewhere(client, world):
    q2 = world.period.fiscal_year.periods.get(quarter=2)
    client.force_login(world.reviewer)
    assert _waiting_elsewhere(client.get(URL, {"period": "2565-1"})) == []
    report = submitted_report(world.other_agency, q2, world.other_reporter)
    assert _waiting_elsewhere(client.get(URL, {"period": ""})) == []
    assert _waiting_elsewhere(client.get(URL, {"period": "2565"})) == []  # the whole year is shown
    workflow.approve(report, world.reviewer)
    response = client.get(URL, {"period": "2565-1"})
    assert _waiting_elsewhere(response) == []
    assert "มีรายงานรอตรวจในรอบอื่นด้วย" not in response.content.decode()


def test_the_agency_filter_applies_to_what_waits_elsewhere(client, world):
    q2 = world.period.fiscal_year.periods.get(quarter=2)
    submitted_report(world.other_agency, q2, world.other_reporter)
    client.force_login(world.reviewer)
    response = client.get(URL, {"period": "2565-1", "agency": world.agency.pk})
    assert _waiting_elsewhere(response) == []
    response = client.get(URL, {"period": "2565-1", "agency": world.other_agency.pk})
    assert _waiting_elsewhere(response) == [("ไตรมาส 2/2565", 1)]
    assert f"agency={world.other_agency.pk}" in response.context["waiting_elsewhere"][0][2]


def test_nav_shows_the_review_link_to_reviewers_only(client, world):
    client.force_login(world.reviewer)
    assert f'href="{URL}"' in client.get(URL).content.decode()
    client.force_login(world.reporter)
    assert f'href="{URL}"' not in client.get(reverse("reports:agency_home")).content.decode()
