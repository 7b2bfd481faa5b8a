"""The dashboard's and the rounds' tables as CSV and XLSX, with the page's filters (reports/dashboard/downloads.py).

The small province of tests/dashboard_data.py, on 20 January 2022 (Q1 of 2565 is past due).
"""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine

from tests.dashboard_data import BKK, build_province
from tests.factories import make_reporter, make_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_20_january_2022():
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, 0, tzinfo=BKK), tick=False):
        yield


@pytest.fixture
def province():
    return build_province()


@pytest.fixture
def reviewer_client(client, province):
    client.force_login(make_reviewer(username="reviewer"))
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv(response) -> list[list[str]]:
    text = _body(response).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Thai
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).worksheets[0]
    assert sheet.freeze_panes == "A2"
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_matrix_csv_lists_the_agencies_the_filtered_page_lists(reviewer_client):
    url = "/dashboard/matrix.csv?year=2565&quarter=1&status=overdue"
    page = reviewer_client.get("/dashboard/?year=2565&quarter=1&status=overdue")
    rows = _csv(reviewer_client.get(url))
    assert rows[0][:4] == ["รหัส", "ส่วนราชการ", "สถานะ", "เลยกำหนดส่ง"]
    assert [r[0] for r in rows[1:]] == [r.agency.code for r in page.context["matrix_rows"]]
    assert [r[0] for r in rows[1:]] == ["AGC", "AGD", "AGE", "AGF"]


def test_the_matrix_xlsx_has_each_cell_done_over_applicable(reviewer_client):
    rows = _xlsx(reviewer_client.get("/dashboard/matrix.xlsx?year=2565&quarter=1"))
    by_code = {r[0]: r for r in rows[1:]}
    # B: submitted, 1.1 done; 2.1 done, 2.2 in progress.
    assert by_code["AGB"][4:6] == ["1/1", "1/2"]
    assert by_code["AGF"][4:6] == ["–", "–"]  # no report


def test_the_search_narrows_the_download_too(reviewer_client):
    rows = _csv(reviewer_client.get("/dashboard/matrix.csv", {"year": 2565, "quarter": 1, "q": "AGB"}))
    assert [r[0] for r in rows[1:]] == ["AGB"]


def test_the_late_list_has_the_contacts(reviewer_client):
    rows = _csv(reviewer_client.get("/dashboard/late.csv?year=2565&quarter=1"))
    by_code = {r[0]: r for r in rows[1:]}
    assert list(by_code) == ["AGC", "AGD", "AGE", "AGF"]
    assert by_code["AGD"][3] == "5"  # due 15 January
    assert "สมชาย ใจดี" in by_code["AGD"][5]


def test_nothing_is_late_before_the_due_date(reviewer_client):
    assert _csv(reviewer_client.get("/dashboard/late.csv?year=2565&quarter=2"))[1:] == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_round_tables_download(reviewer_client, fmt):
    agencies = reviewer_client.get(f"/dashboard/rounds/6/agencies.{fmt}?year=2565")
    indicators = reviewer_client.get(f"/dashboard/rounds/6/indicators.{fmt}?year=2565")
    rows = _csv(agencies) if fmt == "csv" else _xlsx(agencies)
    assert rows[0][2:4] == ["ไตรมาส 1", "ไตรมาส 2"]
    assert {r[0] for r in rows[1:]} == {"AGA", "AGB", "AGC", "AGD", "AGE", "AGF"}
    rows = _csv(indicators) if fmt == "csv" else _xlsx(indicators)
    assert len(rows) == 1 + 2 + 1  # header, two indicators, all indicators


def test_a_cell_that_looks_like_a_formula_stays_text_in_csv(reviewer_client, province):
    agency = province.agencies["B"]
    agency.name_th = "=HYPERLINK(1)"
    agency.save()
    rows = _csv(reviewer_client.get("/dashboard/matrix.csv?year=2565&quarter=1&q=AGB"))
    assert rows[1][1] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    "url",
    ["/dashboard/matrix.csv", "/dashboard/late.xlsx", "/dashboard/rounds/12/agencies.csv"],
)
def test_reporters_are_refused_and_anonymous_goes_to_login(client, province, url):
    assert client.get(url).status_code == 302
    client.force_login(make_reporter(province.agencies["A"], username="a_reporter2"))
    assert client.get(url).status_code == 403


def test_unknown_format_or_round_is_404(reviewer_client):
    assert reviewer_client.get("/dashboard/matrix.pdf").status_code == 404
    assert reviewer_client.get("/dashboard/rounds/9/agencies.csv").status_code == 404


def test_the_pages_link_their_downloads(reviewer_client):
    html = reviewer_client.get("/dashboard/?year=2565&quarter=1&status=overdue").content.decode()
    assert 'href="/dashboard/matrix.csv?year=2565&amp;quarter=1&amp;status=overdue"' in html
    assert 'href="/dashboard/late.xlsx?year=2565&amp;quarter=1"' in html
    html = reviewer_client.get("/dashboard/rounds/6/?year=2565").content.decode()
    assert 'href="/dashboard/rounds/6/agencies.xlsx?year=2565"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/matrix.xlsx?year=2565&quarter=1",
        "/dashboard/late.csv?year=2565&quarter=1",
        "/dashboard/rounds/12/agencies.csv?year=2565",
        "/dashboard/rounds/12/indicators.xlsx?year=2565",
    ],
)
def test_the_downloads_run_a_fixed_number_of_queries(reviewer_client, url, django_assert_num_queries):
    """Pinned for the small province; the same count with ten more agencies."""
    reviewer_client.get("/dashboard/")
    with django_assert_num_queries(QUERIES[url]):
        _body(reviewer_client.get(url))
    for n in range(10):
        make_reporter(username=f"extra{n}")  # ten more agencies, each with a reporter
    with django_assert_num_queries(QUERIES[url]):
        _body(reviewer_client.get(url))


QUERIES = {
    "/dashboard/matrix.xlsx?year=2565&quarter=1": 10,
    "/dashboard/late.csv?year=2565&quarter=1": 8,
    "/dashboard/rounds/12/agencies.csv?year=2565": 14,
    "/dashboard/rounds/12/indicators.xlsx?year=2565": 14,
}
