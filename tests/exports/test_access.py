"""Who may export what: reviewers everything, a reporter their own agency (another: 404), anonymous: login."""

import pytest

from tests.exports.conftest import MIXED, UNAPPROVED
from tests.exports.helpers import all_texts, workbook

URLS = ["/exports/2565/q1.xlsx", "/exports/2565/r6.pdf", "/exports/2565/r12/print/"]


@pytest.mark.parametrize("url", URLS)
def test_anonymous_goes_to_the_login_page(client, province, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", URLS)
def test_a_reporter_of_another_agency_gets_404(as_user, alice, url):
    assert as_user(alice).get(url + "?agency=AGB").status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_a_user_without_a_role_is_refused(as_user, nobody, province, url):
    assert as_user(nobody).get(url).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_exports_are_get_only(as_user, rita, url):
    assert as_user(rita).post(url).status_code == 405


def test_a_reporter_gets_their_own_agency_only(as_user, alice, bob):
    response = as_user(alice).get("/exports/2565/q1.xlsx?include=submitted")
    assert response.status_code == 200
    assert 'filename="ita-2565-q1-AGA.xlsx"' in response["Content-Disposition"]
    text = all_texts(workbook(response))
    assert f"{MIXED} (1.1)" in text
    assert UNAPPROVED not in text
    assert "สำนักงานบี" not in text


def test_a_reporter_may_name_their_own_agency(as_user, alice):
    assert as_user(alice).get("/exports/2565/q1.xlsx?agency=AGA").status_code == 200


def test_a_reviewer_narrows_to_one_agency(as_user, rita):
    response = as_user(rita).get("/exports/2565/q1.xlsx?agency=AGB&include=submitted")
    text = all_texts(workbook(response))
    assert UNAPPROVED in text
    assert MIXED not in text


@pytest.mark.parametrize(
    "url",
    [
        "/exports/2565/q1.xlsx?agency=NOPE",
        "/exports/2599/q1.xlsx",
        "/exports/2565/q5.xlsx",
        "/exports/2565/r9.pdf",
        "/exports/2565/q1.docx",
    ],
)
def test_unknown_agency_year_scope_or_format_is_404(as_user, rita, url):
    assert as_user(rita).get(url).status_code == 404


def test_the_portal_runs_without_weasyprint_and_the_pdf_address_explains(as_user, rita, monkeypatch):
    from satun_ita import pdf

    def unavailable():
        raise pdf.PDFUnavailable("no pango")

    monkeypatch.setattr(pdf, "_weasyprint", unavailable)
    response = as_user(rita).get("/exports/2565/q1.pdf")
    assert response.status_code == 503
    assert "WeasyPrint" in response.content.decode()
    assert as_user(rita).get("/exports/2565/q1.xlsx").status_code == 200
