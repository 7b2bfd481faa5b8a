"""The dashboard's numbers against the hand-counted province in tests/dashboard_data.py, and who may see it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reports import roles
from reports.dashboard import selectors
from reports.dashboard.cells import CellState
from reports.dashboard.selectors import Standing
from reports.models import ReminderLog
from tests.dashboard_data import BKK, TODAY, build_province
from tests.factories import UserFactory, _add_to_group, make_admin, make_reporter, make_reviewer

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


@pytest.fixture(autouse=True)
def on_20_january_2022():
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, 0, tzinfo=BKK), tick=False):
        yield


@pytest.fixture
def province():
    return build_province()


@pytest.fixture
def reviewer_client(client):
    client.force_login(make_reviewer(username="reviewer"))
    return client


@pytest.fixture
def q1(province, reviewer_client):
    """The dashboard of Q1/2565 as the reviewer sees it."""
    response = reviewer_client.get(URL, {"year": 2565, "quarter": 1})
    assert response.status_code == 200
    return response


def _row(response, letter):
    return next(r for r in response.context["matrix_rows"] if r.agency.code == f"AG{letter}")


# --- permissions -----------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, province):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_reporter_is_forbidden(client, province):
    client.force_login(make_reporter(province.agencies["A"]))
    assert client.get(URL).status_code == 403


def test_reviewer_sees_the_dashboard(reviewer_client, province):
    response = reviewer_client.get(URL)
    assert response.status_code == 200
    assert "แดชบอร์ด" in response.content.decode()


def test_admin_sees_the_dashboard(client, province):
    client.force_login(make_admin(username="admin"))
    assert client.get(URL).status_code == 200


def test_post_is_not_allowed(reviewer_client, province):
    assert reviewer_client.post(URL).status_code == 405


def test_page_without_any_fiscal_year_says_so(reviewer_client):
    response = reviewer_client.get(URL)
    assert response.status_code == 200
    assert "matrix_rows" not in response.context


# --- choosing the period ---------------------------------------------------------------------------------


def test_defaults_to_the_active_year_and_the_quarter_being_reported_on(reviewer_client, province):
    response = reviewer_client.get(URL)
    assert response.context["selection"].fiscal_year == province.year
    # 20 Jan 2022 is in Q2, but the reports coming in (due 15 Jan) are those of Q1, which closed on 31 Dec.
    assert response.context["selection"].period == province.q1


def test_defaults_to_the_first_quarter_until_it_closes(province):
    selection = selectors.select_period(today=datetime.date(2021, 12, 31))
    assert selection.period.quarter == 1


def test_defaults_to_the_quarter_just_closed_on_the_first_day_of_the_next(province):
    selection = selectors.select_period(today=datetime.date(2022, 4, 1))
    assert selection.period.quarter == 2


def test_falls_back_to_the_latest_started_quarter_after_the_year(province):
    selection = selectors.select_period(today=datetime.date(2023, 5, 1))
    assert selection.period.quarter == 4


def test_falls_back_to_the_first_quarter_before_the_year(province):
    selection = selectors.select_period(today=datetime.date(2021, 5, 1))
    assert selection.period.quarter == 1


def test_unknown_quarter_falls_back_to_the_default(reviewer_client, province):
    response = reviewer_client.get(URL, {"year": "2565", "quarter": "9"})
    assert response.context["selection"].period == province.q1


def test_thai_digits_are_read_in_the_query(reviewer_client, province):
    response = reviewer_client.get(URL, {"year": "๒๕๖๕", "quarter": "๑"})
    assert response.context["selection"].period == province.q1


# --- counts ----------------------------------------------------------------------------------------------


def test_counts_of_active_agencies_by_standing(q1):
    counts = q1.context["counts"]
    assert counts["total"] == 6  # G is inactive
    assert counts[Standing.NOT_STARTED] == 2  # E (nothing saved) and F (no report)
    assert counts[Standing.DRAFT] == 1
    assert counts[Standing.SUBMITTED] == 1
    assert counts[Standing.RETURNED] == 1
    assert counts[Standing.APPROVED] == 1


def test_overdue_counts_everything_not_sent_in_after_the_due_date(q1):
    assert q1.context["counts"]["overdue"] == 4  # C, D, E, F
    assert q1.context["days_overdue"] == 5  # due 15 Jan, today 20 Jan


def test_nothing_is_overdue_before_the_due_date(reviewer_client, province):
    response = reviewer_client.get(URL, {"year": 2565, "quarter": 2})
    assert response.context["counts"]["overdue"] == 0
    assert response.context["late_page"].object_list == []


def test_counts_are_shown_as_text_and_number(q1):
    html = q1.content.decode()
    assert "ยังไม่เริ่มรายงาน" in html
    assert 'href="?year=2565&amp;quarter=1&amp;status=overdue"' in html


def test_counts_move_when_a_report_is_approved(reviewer_client, province):
    province.reports["B"].status = Standing.APPROVED
    province.reports["B"].save(update_fields=["status"])
    counts = reviewer_client.get(URL, {"year": 2565, "quarter": 1}).context["counts"]
    assert counts[Standing.SUBMITTED] == 0
    assert counts[Standing.APPROVED] == 2


# --- matrix ----------------------------------------------------------------------------------------------


def test_matrix_has_one_row_per_active_agency(q1):
    assert [r.agency.code for r in q1.context["matrix_rows"]] == ["AGA", "AGB", "AGC", "AGD", "AGE", "AGF"]


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        ("A", [(1, 1, CellState.COMPLETE), (2, 2, CellState.COMPLETE)]),
        ("B", [(1, 1, CellState.COMPLETE), (1, 2, CellState.PARTIAL)]),
        ("C", [(0, 1, CellState.NOT_DONE), (1, 2, CellState.PARTIAL)]),
        ("D", [(1, 1, CellState.COMPLETE), (0, 2, CellState.NOT_DONE)]),
        ("E", [(0, 1, CellState.NOT_DONE), (0, 2, CellState.NOT_DONE)]),
        ("F", [(0, 1, CellState.NO_REPORT), (0, 2, CellState.NO_REPORT)]),
    ],
)
def test_matrix_cells_are_measures_done_over_applicable(q1, letter, expected):
    row = _row(q1, letter)
    assert [(c.done, c.total, c.state) for c in row.cells] == expected


def test_matrix_rows_carry_standing_and_overdue(q1):
    assert [(r.standing, r.overdue) for r in q1.context["matrix_rows"]] == [
        (Standing.APPROVED, False),
        (Standing.SUBMITTED, False),
        (Standing.RETURNED, True),
        (Standing.DRAFT, True),
        (Standing.NOT_STARTED, True),
        (Standing.NOT_STARTED, True),
    ]


def test_matrix_cell_shows_text_beside_the_colour(q1):
    html = q1.content.decode()
    assert "dash-cell-complete" in html
    assert (
        '<span class="dash-cell-count">1/1</span> <span class="dash-cell-text"><span aria-hidden="true">✓</span> เสร็จ</span>'
        in html
    )


def test_matrix_filter_by_standing(reviewer_client, province):
    response = reviewer_client.get(URL, {"year": 2565, "quarter": 1, "status": "overdue"})
    assert [r.agency.code for r in response.context["matrix_rows"]] == ["AGC", "AGD", "AGE", "AGF"]
    response = reviewer_client.get(URL, {"year": 2565, "quarter": 1, "status": "not_started"})
    assert [r.agency.code for r in response.context["matrix_rows"]] == ["AGE", "AGF"]


def test_matrix_search_by_agency_name(reviewer_client, province):
    response = reviewer_client.get(URL, {"year": 2565, "quarter": 1, "q": "หน่วยงาน C"})
    assert [r.agency.code for r in response.context["matrix_rows"]] == ["AGC"]
    # The counts still cover the whole province.
    assert response.context["counts"]["total"] == 6


def test_a_nul_character_in_the_matrix_search_is_dropped_instead_of_failing(reviewer_client, province):
    """PostgreSQL refuses NUL in a string literal: a crafted ?q=%00 must not be a server error."""
    response = reviewer_client.get(URL, {"year": 2565, "quarter": 1, "q": "หน่วยงาน \x00C"})
    assert response.status_code == 200
    assert [r.agency.code for r in response.context["matrix_rows"]] == ["AGC"]


def test_matrix_is_paginated(reviewer_client, province, monkeypatch):
    monkeypatch.setattr("reports.dashboard.selectors.PAGE_SIZE", 4)
    response = reviewer_client.get(URL, {"year": 2565, "quarter": 1, "page": 2})
    assert [r.agency.code for r in response.context["matrix_rows"]] == ["AGE", "AGF"]


# --- progress and trend ----------------------------------------------------------------------------------


def test_progress_per_indicator_counts_active_agencies_only(q1):
    progress = [
        (indicator.number, cell.done, cell.total, cell.percent) for indicator, cell in q1.context["progress"]
    ]
    assert progress == [(1, 3, 6, 50), (2, 4, 12, 33)]


def test_progress_bars_are_accessible(q1):
    html = q1.content.decode()
    assert '<progress id="progress-' in html
    assert "3/6 (50%)" in html
    assert "4/12 (33%)" in html


def test_trend_over_the_four_quarters(q1):
    rows = q1.context["trend_rows"]
    # Q3 and Q4 have not started on 20 Jan 2022.
    assert rows[0].percents == [50, 17, None, None]  # indicator 1: 3/6, then A's 1/6
    assert rows[1].percents == [33, 0, None, None]
    assert q1.context["trend_overall"].percents == [39, 6, None, None]  # 7/18, 1/18
    assert q1.context["sent_per_period"] == [2, 1, 0, 0]  # A and B in Q1; A in Q2


def test_trend_sparkline_is_inline_svg_with_text(q1):
    html = q1.content.decode()
    assert "<svg" in html
    assert "<polyline" in html
    assert 'aria-label="' in html


# --- late agencies ---------------------------------------------------------------------------------------


def test_late_list_with_contacts_and_days(q1):
    late = q1.context["late_page"].object_list
    assert [a.code for a in late] == ["AGC", "AGD", "AGE", "AGF"]
    d = late[1]
    assert [m.user.email for m in d.reporters] == ["d_reporter@example.go.th"]
    html = q1.content.decode()
    assert "agd@example.go.th" in html
    assert "074-000003" in html
    assert "สมชาย ใจดี" in html


# --- turnaround ------------------------------------------------------------------------------------------


def test_turnaround_median_for_the_quarter_and_the_year(q1):
    turnaround = q1.context["turnaround"]
    # Q1: A 2 days, C 1 day (G's 9 days do not count: it is inactive) -> median 1.5.
    assert turnaround["period"] == 1.5
    assert turnaround["period_count"] == 2
    # Year: 1, 2 and A's Q2 2 days -> 2.
    assert turnaround["year"] == 2
    assert turnaround["year_count"] == 3


def test_turnaround_ignores_reports_resubmitted_after_their_decision(reviewer_client, province):
    from reports.models import QuarterlyReport

    QuarterlyReport.objects.filter(pk=province.reports["C"].pk).update(
        submitted_at=datetime.datetime(2022, 1, 13, tzinfo=BKK)
    )
    turnaround = reviewer_client.get(URL, {"year": 2565, "quarter": 1}).context["turnaround"]
    assert turnaround["period_count"] == 1


# --- reminders -------------------------------------------------------------------------------------------


def test_reminders_sent_for_the_period_are_listed(reviewer_client, province):
    ReminderLog.objects.create(
        agency=province.agencies["E"], period=province.q1, stage=ReminderLog.Stage.OVERDUE, recipients="e@x"
    )
    ReminderLog.objects.create(
        agency=province.agencies["F"], period=province.q1, stage=ReminderLog.Stage.OVERDUE, recipients="f@x"
    )
    ReminderLog.objects.create(
        agency=province.agencies["F"], period=province.q1, stage=ReminderLog.Stage.DUE_TOMORROW
    )
    ReminderLog.objects.create(
        agency=province.agencies["A"], period=province.q2, stage=ReminderLog.Stage.DUE_IN_7
    )
    response = reviewer_client.get(URL, {"year": 2565, "quarter": 1})
    reminders = response.context["reminders"]
    assert dict(reminders["stages"]) == {
        ReminderLog.Stage.DUE_IN_7: 0,
        ReminderLog.Stage.DUE_TOMORROW: 1,
        ReminderLog.Stage.OVERDUE: 2,
    }
    assert len(reminders["recent"]) == 3
    assert "f@x" in response.content.decode()


# --- links -----------------------------------------------------------------------------------------------


def test_reviewer_rows_link_to_the_review_page(q1, province):
    assert _row(q1, "B").report_url == f"/review/{province.reports['B'].pk}/"
    assert _row(q1, "F").report_url is None
    assert f'href="/review/{province.reports["B"].pk}/"' in q1.content.decode()


def test_superuser_rows_link_to_the_review_page(client, province):
    client.force_login(make_admin(username="admin"))
    response = client.get(URL, {"year": 2565, "quarter": 1})
    assert _row(response, "B").report_url == f"/review/{province.reports['B'].pk}/"


def test_administrator_group_rows_link_to_the_report_page(client, province):
    client.force_login(_add_to_group(UserFactory(username="it"), roles.ADMIN_GROUP))
    response = client.get(URL, {"year": 2565, "quarter": 1})
    assert _row(response, "B").report_url == province.reports["B"].get_absolute_url()


def test_today_is_taken_in_bangkok(reviewer_client, province):
    # 16:30 UTC on 15 Jan is already 16 Jan in Bangkok: Q1 (due 15 Jan) is then one day past due.
    with time_machine.travel(datetime.datetime(2022, 1, 15, 17, 30, tzinfo=datetime.UTC), tick=False):
        response = reviewer_client.get(URL, {"year": 2565, "quarter": 1})
    assert response.context["past_due"] is True
    assert response.context["days_overdue"] == 1
    assert TODAY.year == 2022


def test_turnaround_without_decisions_is_none(reviewer_client, province):
    turnaround = reviewer_client.get(URL, {"year": 2565, "quarter": 3}).context["turnaround"]
    assert (turnaround["period"], turnaround["period_count"]) == (None, 0)
    assert turnaround["year"] == 2


def test_matrix_cells_tag_links_and_escapes():
    from django.template import Context

    from reports.dashboard.cells import Cell
    from reports.templatetags.dashboard import matrix_cells

    html = matrix_cells(Context(), [Cell(1, 2), Cell(1, 1)], '/review/1/?a="b"')
    assert html.startswith('<td class="dash-cell dash-cell-partial"><a href="/review/1/?a=&quot;b&quot;">')
    assert '<span class="dash-cell-count">1/2</span>' in html
    assert html.count("<td") == 2
    assert "<a " not in matrix_cells(Context(), [Cell(0, 1, has_report=False)], None)


def test_year_without_periods_offers_the_other_years(reviewer_client, province):
    from tests.factories import FiscalYearFactory

    FiscalYearFactory(year=2566, periods=False)
    response = reviewer_client.get(URL, {"year": 2566})
    assert response.status_code == 200
    assert response.context["selection"].period is None
    assert 'href="?year=2565"' in response.content.decode()
