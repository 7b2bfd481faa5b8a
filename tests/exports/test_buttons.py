"""The download buttons on the dashboard, the rounds, the review inbox and the agency's report page."""

import pytest


@pytest.fixture
def on_q1(time_machine):
    time_machine.move_to("2022-01-20 10:00 +07:00")  # Q1 of 2565 closed: the quarter under review


def test_the_dashboard_offers_the_quarters_report(as_user, rita, on_q1):
    html = as_user(rita).get("/dashboard/?year=2565&quarter=1").content.decode()
    assert 'href="/exports/2565/q1.xlsx"' in html
    assert 'href="/exports/2565/q1.pdf"' in html
    assert 'href="/exports/2565/q1/print/"' in html


@pytest.mark.parametrize("months", [6, 12])
def test_the_rounds_offer_the_rounds_report(as_user, rita, months, on_q1):
    html = as_user(rita).get(f"/dashboard/rounds/{months}/?year=2565").content.decode()
    assert f'href="/exports/2565/r{months}.xlsx"' in html
    assert f'href="/exports/2565/r{months}.pdf"' in html


def test_the_review_inbox_offers_the_filtered_quarters_report(as_user, rita, on_q1):
    html = as_user(rita).get("/review/?period=2565-1").content.decode()
    assert 'href="/exports/2565/q1.xlsx"' in html


def test_the_agencys_report_page_offers_its_own_documents(as_user, alice, province, on_q1):
    report = province["reports"]["A2"]
    html = as_user(alice).get(f"/reports/{report.pk}/").content.decode()
    assert 'href="/exports/2565/q2.pdf?agency=AGA"' in html
    assert 'href="/exports/2565/r6.xlsx?agency=AGA"' in html


def test_a_submitted_reports_page_includes_it_in_its_document(as_user, bob, province, on_q1):
    report = province["reports"]["B"]
    html = as_user(bob).get(f"/reports/{report.pk}/").content.decode()
    assert 'href="/exports/2565/q1.xlsx?agency=AGB&amp;include=submitted"' in html


def test_the_agency_home_offers_its_own_quarters_and_rounds(as_user, alice, province, on_q1):
    client = as_user(alice)
    html = client.get("/my/?year=2565").content.decode()
    for scope in ("q1", "q2", "r6", "r12"):  # A's Q1 and Q2 are approved
        assert f'href="/exports/2565/{scope}.pdf?agency=AGA"' in html
        assert f'href="/exports/2565/{scope}.xlsx?agency=AGA"' in html
    assert "/exports/2565/q3." not in html  # no report in Q3
    assert "include=submitted" not in html
    # What the buttons give: this agency's document; another agency's code is a 404.
    response = client.get("/exports/2565/q1.xlsx?agency=AGA")
    assert response.status_code == 200
    assert 'filename="ita-2565-q1-AGA.xlsx"' in response["Content-Disposition"]
    assert client.get("/exports/2565/q1.xlsx?agency=AGB").status_code == 404
    assert client.get("/exports/2565/q1.pdf?agency=AGB").status_code == 404


def test_the_agency_home_includes_a_submitted_report_marked(as_user, bob, province, on_q1):
    html = as_user(bob).get("/my/?year=2565").content.decode()
    assert 'href="/exports/2565/q1.pdf?agency=AGB&amp;include=submitted"' in html
    assert 'href="/exports/2565/r12.xlsx?agency=AGB&amp;include=submitted"' in html
    assert "มีรายงานที่ยังไม่ได้รับอนุมัติ" in html


def test_an_agency_with_nothing_submitted_is_told_when_its_documents_come(as_user, province, on_q1):
    from tests.factories import make_reporter

    carol = make_reporter(province["agencies"]["C"])  # C has a draft only
    html = as_user(carol).get("/my/?year=2565").content.decode()
    assert "/exports/2565/" not in html
