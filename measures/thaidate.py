"""Thai calendar helpers: Buddhist Era years, the Thai fiscal year and its quarters, Thai digits.

Pure functions with no model dependency, so the importer, the models, templates and reports all
share one definition of "fiscal year 2565" and "quarter 2".

- B.E. = C.E. + 543.
- Fiscal year B.E. Y runs 1 October of C.E. Y-544 to 30 September of C.E. Y-543.
- Q1 Oct-Dec, Q2 Jan-Mar, Q3 Apr-Jun, Q4 Jul-Sep.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

BE_OFFSET = 543
# A year from here on is B.E. when it turns up where C.E. was expected (C.E. 2400 is centuries away).
BE_YEARS_FROM = 2400
BANGKOK = ZoneInfo("Asia/Bangkok")

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

MONTHS_TH = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
]
MONTHS_TH_SHORT = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
]

# The English interface keeps B.E. years (fiscal years are B.E. everywhere) with English month names.
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_EN_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def to_arabic_digits(text: str) -> str:
    """'๒๕๖๕' -> '2565' (other characters unchanged)."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    """'2565' -> '๒๕๖๕' (other characters unchanged)."""
    return str(text).translate(_TO_THAI)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def be_to_ce(day: datetime.date | None) -> datetime.date | None:
    """A date whose year was typed in B.E. where C.E. was expected (15/03/2565), moved to C.E.

    Dates with a C.E. year come back unchanged. Raises ValueError for 29 February of a B.E. year whose
    C.E. year has none.
    """
    if day is None or day.year < BE_YEARS_FROM:
        return day
    return day.replace(year=ce_year(day.year))


def fiscal_year_of(day: datetime.date) -> int:
    """The B.E. fiscal year that contains `day` (1 Oct starts the next fiscal year)."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a B.E. fiscal year: 2565 -> (2021-10-01, 2022-09-30)."""
    end_ce = ce_year(fiscal_year_be)
    return datetime.date(end_ce - 1, 10, 1), datetime.date(end_ce, 9, 30)


def quarter_of(day: datetime.date) -> int:
    """Fiscal quarter 1-4 of a date: Oct-Dec 1, Jan-Mar 2, Apr-Jun 3, Jul-Sep 4."""
    return ((day.month - 10) % 12) // 3 + 1


def quarter_bounds(fiscal_year_be: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of quarter 1-4 of a B.E. fiscal year."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, got {quarter!r}")
    start, _ = fiscal_year_bounds(fiscal_year_be)
    month_index = start.month - 1 + 3 * (quarter - 1)  # 0-based months from Oct of year-1
    first = datetime.date(start.year + month_index // 12, month_index % 12 + 1, 1)
    next_index = month_index + 3
    after = datetime.date(start.year + next_index // 12, next_index % 12 + 1, 1)
    return first, after - datetime.timedelta(days=1)


def today() -> datetime.date:
    """Today's date in Asia/Bangkok, whatever the server's time zone."""
    return timezone.now().astimezone(BANGKOK).date()


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(BANGKOK)
        return value.date()
    return value


def thai_date(value, *, short: bool = False, thai_digits: bool = False) -> str:
    """'6 มกราคม 2565' (or '6 ม.ค. 2565' when short); Thai digits on request."""
    if value is None or value == "":
        return ""
    day = _as_date(value)
    months = MONTHS_TH_SHORT if short else MONTHS_TH
    text = f"{day.day} {months[day.month - 1]} {be_year(day.year)}"
    return to_thai_digits(text) if thai_digits else text


def thai_datetime(value, *, thai_digits: bool = False) -> str:
    """'6 ม.ค. 2565 14:05 น.' in Asia/Bangkok time."""
    if value is None:
        return ""
    local = value.astimezone(BANGKOK) if timezone.is_aware(value) else value
    text = f"{thai_date(local.date(), short=True)} {local:%H:%M} น."
    return to_thai_digits(text) if thai_digits else text


def _thai_is_active() -> bool:
    language = translation.get_language()
    return language is None or language.startswith("th")


def local_date(value, *, short: bool = False) -> str:
    """A date for the page's language: '6 ม.ค. 2565' in Thai, '6 Jan 2565' in English (B.E. year both)."""
    if _thai_is_active():
        return thai_date(value, short=short)
    if value is None or value == "":
        return ""
    day = _as_date(value)
    months = MONTHS_EN_SHORT if short else MONTHS_EN
    return f"{day.day} {months[day.month - 1]} {be_year(day.year)}"


def local_datetime(value) -> str:
    """A moment in Asia/Bangkok time for the page's language: '6 ม.ค. 2565 14:05 น.' / '6 Jan 2565, 14:05'."""
    if _thai_is_active():
        return thai_datetime(value)
    if value is None:
        return ""
    local = value.astimezone(BANGKOK) if timezone.is_aware(value) else value
    return f"{local_date(local.date(), short=True)}, {local:%H:%M}"
