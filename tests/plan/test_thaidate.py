import datetime

import pytest
from django.utils import translation

from measures import thaidate


@pytest.mark.parametrize(
    ("day", "fiscal_year", "quarter"),
    [
        (datetime.date(2021, 9, 30), 2564, 4),
        (datetime.date(2021, 10, 1), 2565, 1),
        (datetime.date(2021, 12, 31), 2565, 1),
        (datetime.date(2022, 1, 1), 2565, 2),
        (datetime.date(2022, 3, 31), 2565, 2),
        (datetime.date(2022, 4, 1), 2565, 3),
        (datetime.date(2022, 6, 30), 2565, 3),
        (datetime.date(2022, 7, 1), 2565, 4),
        (datetime.date(2022, 9, 30), 2565, 4),
        (datetime.date(2022, 10, 1), 2566, 1),
    ],
)
def test_fiscal_year_and_quarter_at_the_boundaries(day, fiscal_year, quarter):
    assert thaidate.fiscal_year_of(day) == fiscal_year
    assert thaidate.quarter_of(day) == quarter


def test_fiscal_year_2565_runs_from_october_2021_to_september_2022():
    assert thaidate.fiscal_year_bounds(2565) == (datetime.date(2021, 10, 1), datetime.date(2022, 9, 30))


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, datetime.date(2021, 10, 1), datetime.date(2021, 12, 31)),
        (2, datetime.date(2022, 1, 1), datetime.date(2022, 3, 31)),
        (3, datetime.date(2022, 4, 1), datetime.date(2022, 6, 30)),
        (4, datetime.date(2022, 7, 1), datetime.date(2022, 9, 30)),
    ],
)
def test_quarter_bounds_of_fiscal_year_2565(quarter, start, end):
    assert thaidate.quarter_bounds(2565, quarter) == (start, end)


def test_quarter_outside_1_to_4_is_refused():
    with pytest.raises(ValueError):
        thaidate.quarter_bounds(2565, 5)


def test_buddhist_era_is_common_era_plus_543():
    assert thaidate.be_year(2022) == 2565
    assert thaidate.ce_year(2565) == 2022


def test_thai_and_arabic_digits_convert_both_ways():
    assert thaidate.to_arabic_digits("๒๕๖๕ ข้อ ๑๐") == "2565 ข้อ 10"
    assert thaidate.to_thai_digits("2565") == "๒๕๖๕"


def test_thai_date_long_short_and_thai_digits():
    day = datetime.date(2022, 1, 6)
    assert thaidate.thai_date(day) == "6 มกราคม 2565"
    assert thaidate.thai_date(day, short=True) == "6 ม.ค. 2565"
    assert thaidate.thai_date(day, thai_digits=True) == "๖ มกราคม ๒๕๖๕"


def test_thai_datetime_is_shown_in_bangkok_time():
    utc = datetime.datetime(2021, 12, 31, 18, 30, tzinfo=datetime.UTC)
    assert thaidate.thai_datetime(utc) == "1 ม.ค. 2565 01:30 น."


def test_page_dates_are_thai_by_default():
    moment = datetime.datetime(2022, 1, 6, 7, 5, tzinfo=datetime.UTC)
    assert thaidate.local_date(datetime.date(2022, 1, 6)) == "6 มกราคม 2565"
    assert thaidate.local_date(datetime.date(2022, 1, 6), short=True) == "6 ม.ค. 2565"
    assert thaidate.local_datetime(moment) == "6 ม.ค. 2565 14:05 น."


def test_page_dates_have_english_months_and_the_be_year_on_english_pages():
    moment = datetime.datetime(2022, 1, 6, 7, 5, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert thaidate.local_date(datetime.date(2022, 1, 6)) == "6 January 2565"
        assert thaidate.local_date(datetime.date(2022, 1, 6), short=True) == "6 Jan 2565"
        assert thaidate.local_datetime(moment) == "6 Jan 2565, 14:05"
        assert thaidate.local_date(None) == ""


def test_thai_date_stays_thai_whatever_the_language():
    """E-mails and other Thai-only text call thai_date directly."""
    with translation.override("en"):
        assert thaidate.thai_date(datetime.date(2022, 1, 6)) == "6 มกราคม 2565"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (datetime.date(2021, 10, 15), 1),  # nothing closed yet: the first quarter
        (datetime.date(2021, 12, 31), 1),
        (datetime.date(2022, 1, 1), 1),  # Q1 closed yesterday: its reports are coming in
        (datetime.date(2022, 4, 10), 2),
        (datetime.date(2022, 10, 1), 4),
        (datetime.date(2026, 11, 27), 4),  # a year long past: its last quarter
    ],
)
def test_period_under_review_is_the_latest_closed_quarter(today, quarter):
    from measures.models import period_under_review
    from tests.factories import FiscalYearFactory

    periods = list(FiscalYearFactory(year=2565).periods.all())
    assert period_under_review(periods, today).quarter == quarter
    assert period_under_review([], today) is None
