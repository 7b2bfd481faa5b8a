"""The print-ready HTML page of the consolidated report."""

from tests.exports.conftest import INDICATOR_NAMES, MIXED, UNAPPROVED


def test_the_print_page_shows_the_document_with_its_downloads(as_user, rita):
    response = as_user(rita).get("/exports/2565/r6/print/?include=submitted")
    assert response.status_code == 200
    html = response.content.decode()
    assert "รอบ 6 เดือน (ไตรมาสที่ 1–2)" in html
    for name in INDICATOR_NAMES:
        assert name in html
    assert f"{MIXED} (1.1)" in html
    assert UNAPPROVED in html
    assert 'href="/exports/2565/r6.pdf?include=submitted"' in html
    assert 'href="/exports/2565/r6.xlsx?include=submitted"' in html


def test_the_print_page_has_no_inline_style_or_script(as_user, rita):
    html = as_user(rita).get("/exports/2565/q1/print/").content.decode()
    assert "<style" not in html
    assert "style=" not in html
    assert "<script>" not in html


def test_the_print_page_keeps_unapproved_text_out_by_default(as_user, rita):
    html = as_user(rita).get("/exports/2565/q1/print/").content.decode()
    assert UNAPPROVED not in html


def test_an_agency_no_measure_applies_to_is_left_out_of_the_summary(as_user, rita, province):
    # Every measure of the year now applies to agency A only: the others are not asked to report.
    for measure in province["measures"]:
        measure.applies_to_all = False
        measure.save()
        measure.agencies.set([province["agencies"]["A"]])
    html = as_user(rita).get("/exports/2565/q1/print/").content.decode()
    assert province["agencies"]["A"].name_th in html
    assert province["agencies"]["C"].name_th not in html
