"""Read the province's plan document (the seed's tab-separated format) and load it into a fiscal year.

The document, as extracted from the official PDF, looks like this:

    <title lines, the last ending "... พ. ศ. ๒๕๖๕">
    ลำดับ <TAB> ตัวชี้วัด <TAB> มาตรการ <TAB> ขั้นตอน/วิธีการปฏิบัติ <TAB> ผู้รับผิดชอบ <TAB> แนวทางกำกับติดตาม...
    ๑ <TAB> <indicator> <TAB> <measure> <TAB> <steps> <TAB> <responsible> <TAB> <monitoring>
    ...                                      (the header row is repeated at the top of every page)
    ผลการดำเนินการ
    - <reported result>
     - <sub-item>

Rules of the format (see tests/plan/test_import_plan.py for each one):
- A page is the block of rows after a header row. The responsible and monitoring columns were merged cells
  spanning the rows of a page: a blank cell continues the cell above on the same page, and when a page holds
  several numbered fragments of one merged cell ("๑. …" on one row, "๒. …" on the next) they are joined into one
  text that applies to every row of the page.
- Rows are numbered with Thai (or Arabic) digits. A row with a blank number continues the indicator above as a
  further measure of it (other years' plans may have several measures per indicator).
- A cell may hold several items on one line: "๑. … ๒. …" (sometimes "๒ " without the dot), "- … - …", and, inside
  an item, "(๑) … (๔)" sub-points. Items are found by sequential numbering only, so "๓,๐๐๐ บาท",
  "พ.ศ. ๒๕๖๕", "๑ ครั้ง" or "รอบ ๖ เดือน" never split an item.

`parse_plan` and friends are pure functions (no database); `load_plan` writes a parsed plan into the database in one
transaction and returns one line per created, updated or deleted object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError

from measures.models import FiscalYear, Indicator, Measure, MeasureStep
from measures.thaidate import to_arabic_digits

# The ten ITA indicators (NACC, FY 2565 framework): the official Thai name and an English name, by number.
# The plan's own wording is stored as `name_th`; the official name is stored beside it only where it differs.
ITA_INDICATORS: dict[int, tuple[str, str]] = {
    1: ("การปฏิบัติหน้าที่", "Performance of duty"),
    2: ("การใช้งบประมาณ", "Use of budget"),
    3: ("การใช้อำนาจ", "Use of authority"),
    4: ("การใช้ทรัพย์สินของราชการ", "Use of government property"),
    5: ("การแก้ไขปัญหาการทุจริต", "Corruption problem solving"),
    6: ("คุณภาพการดำเนินงาน", "Quality of operations"),
    7: ("ประสิทธิภาพการสื่อสาร", "Communication efficiency"),
    8: ("การปรับปรุงระบบการทำงาน", "Improvement of the work system"),
    9: ("การเปิดเผยข้อมูล", "Information disclosure"),
    10: ("การป้องกันการทุจริต", "Corruption prevention"),
}
INDICATOR_COUNT = 10

# The six columns, recognised by how each header cell begins.
HEADER_PREFIXES = ("ลำดับ", "ตัวชี้วัด", "มาตรการ", "ขั้นตอน", "ผู้รับผิดชอบ", "แนวทาง")
COLUMN_COUNT = len(HEADER_PREFIXES)
RESULTS_HEADING = "ผลการดำเนินการ"

_DIGIT = "0-9๐-๙"
_YEAR_RE = re.compile(rf"พ\s*\.\s*ศ\s*\.?\s*([{_DIGIT}]{{4}})")
_ROW_NUMBER_RE = re.compile(rf"[{_DIGIT}]{{1,3}}")
# A number at a word boundary: "๒." or "๒" followed by a space; never "๓,๐๐๐", "๐๘.๐๐" or "๒๕๖๕x".
_NUMBER_MARKER_RE = re.compile(rf"(?<!\S)([{_DIGIT}]{{1,2}})(\.(?![{_DIGIT}])|(?=\s))")
_SUB_POINT_RE = re.compile(rf"\(\s*([{_DIGIT}]{{1,2}})\s*\)")
_BULLET_START_RE = re.compile(r"^[-•]\s+")
_BULLET_SPLIT_RE = re.compile(r"\s[-•]\s+")
# Words that, next to a bare number (no dot), show it is a quantity or a date, not an item marker.
_QUANTITY_WORDS_AFTER = frozenset(
    (  # noqa: SIM905 - a word list reads best as one string
        "ครั้ง เดือน ปี วัน คน ราย ส่วน รอบ บาท ชั่วโมง นาที ข้อ แห่ง ฉบับ "
        "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม "
        "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค."
    ).split()
)
_QUANTITY_WORDS_BEFORE = frozenset(
    "รอบ ละ ทั้ง ที่ ข้อ จำนวน มาตรา วันที่ ครั้งที่ เวลา พ.ศ. ศ. ปี ไตรมาส ฉบับที่".split()  # noqa: SIM905
)


class PlanFormatError(ValueError):
    """The document does not follow the plan format; `line` is the 1-based line it was found on."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


class PlanImportError(Exception):
    """The parsed plan cannot be written (e.g. a measure to delete already has reports)."""


@dataclass(frozen=True)
class ParsedStep:
    order: int
    text: str
    sub_points: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedMeasure:
    order: int
    text: str
    parts: list[str]
    steps: list[ParsedStep]
    responsible: str
    monitoring: str
    line: int = 0


@dataclass(frozen=True)
class ParsedIndicator:
    number: int
    name_th: str
    name_en: str
    official_name_th: str
    group: str
    measures: list[ParsedMeasure]
    line: int = 0


@dataclass(frozen=True)
class ParsedPlan:
    year: int | None
    title: str
    indicators: list[ParsedIndicator]
    results_text: str


# --------------------------------------------------------------------------------------------------------------
# Cell splitting
# --------------------------------------------------------------------------------------------------------------


def thai_int(text: str) -> int:
    """'๑๐' -> 10 (Thai or Arabic digits)."""
    return int(to_arabic_digits(text))


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _word_before(text: str, pos: int) -> str:
    words = text[:pos].split()
    return words[-1] if words else ""


def _word_after(text: str, pos: int) -> str:
    words = text[pos:].split(maxsplit=1)
    return words[0] if words else ""


def _is_marker(text: str, match: re.Match, *, at_start: bool) -> bool:
    """Whether a number found at a word boundary opens a list item rather than being a quantity or a date."""
    rest = text[match.end() :].strip()
    if not rest:
        return False  # nothing follows: an item needs a text
    if not at_start and _word_before(text, match.start()) in _QUANTITY_WORDS_BEFORE:
        return False
    if match.group(2) == ".":
        return True
    return _word_after(text, match.end()) not in _QUANTITY_WORDS_AFTER


def numbered_items(text: str) -> tuple[int, list[str]] | None:
    """Split "๑. … ๒ … ๓. …" into its items, following the numbering from the number the text opens with.

    Returns (first number, items) or None when the text does not open with a number. Only the next number in
    sequence ends an item, and a bare number (no dot) must not read as a quantity or date ("๑ ครั้ง",
    "รอบ ๖ เดือน"), so numbers inside the text stay in it.
    """
    text = text.strip()
    first = _NUMBER_MARKER_RE.match(text)
    if first is None or not _is_marker(text, first, at_start=True):
        return None
    start_number = thai_int(first.group(1))
    items: list[str] = []
    expected = start_number + 1
    item_start = first.end()
    pos = item_start
    while True:
        found = None
        for match in _NUMBER_MARKER_RE.finditer(text, pos):
            if thai_int(match.group(1)) == expected and _is_marker(text, match, at_start=False):
                found = match
                break
        if found is None:
            items.append(text[item_start:].strip())
            return start_number, items
        items.append(text[item_start : found.start()].strip())
        item_start = pos = found.end()
        expected += 1


def list_items(text: str) -> list[str]:
    """The items of a cell: a numbered list starting at ๑, a "- … - …" bullet list, or the whole cell as one."""
    text = _collapse(text)
    if not text:
        return []
    numbered = numbered_items(text)
    if numbered is not None and numbered[0] == 1:
        return numbered[1]
    if _BULLET_START_RE.match(text):
        body = _BULLET_START_RE.sub("", text, count=1)
        return [item.strip() for item in _BULLET_SPLIT_RE.split(body) if item.strip()]
    return [text]


def split_sub_points(text: str) -> tuple[str, list[str]]:
    """Split "lead (๑) a (๒) b" into ("lead", ["a", "b"]); text without a "(๑)" run is returned whole."""
    markers = []
    expected = 1
    for match in _SUB_POINT_RE.finditer(text):
        if thai_int(match.group(1)) == expected:
            markers.append(match)
            expected += 1
    if not markers:
        return text.strip(), []
    lead = text[: markers[0].start()].strip()
    points = []
    for index, match in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        points.append(text[match.end() : end].strip())
    return lead, points


def parse_steps(cell: str) -> list[ParsedStep]:
    steps = []
    for order, item in enumerate(list_items(cell), start=1):
        lead, sub_points = split_sub_points(item)
        steps.append(ParsedStep(order=order, text=lead, sub_points=sub_points))
    return steps


def parse_parts(cell: str) -> list[str]:
    """A measure's numbered parts ("๑. … ๒. …"); an unnumbered measure has none."""
    numbered = numbered_items(_collapse(cell))
    if numbered is None or numbered[0] != 1:
        return []
    return numbered[1]


def resolve_merged_column(cells: list[str]) -> list[str]:
    """Resolve one merged column over the rows of one page.

    If the page's non-blank cells are numbered fragments of one list (the first opens at ๑ and each next one
    opens with the number after the last one of the previous), they are one cell cut by the page layout: join
    them and give the whole text to every row of the page. Otherwise a blank cell continues the cell above.
    """
    filled = [cell for cell in cells if cell]
    if len(filled) > 1 and _are_fragments(filled):
        joined = " ".join(filled)
        return [joined] * len(cells)
    resolved, current = [], ""
    for cell in cells:
        current = cell or current
        resolved.append(current)
    return resolved


def _are_fragments(texts: list[str]) -> bool:
    expected_start = 1
    for text in texts:
        numbered = numbered_items(text)
        if numbered is None or numbered[0] != expected_start:
            return False
        expected_start = numbered[0] + len(numbered[1])
    return True


# --------------------------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------------------------


def decode_plan(data: bytes) -> str:
    """UTF-8 text of the file (a BOM is dropped); not UTF-8 -> PlanFormatError naming the line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PlanFormatError(line, "the file is not UTF-8 text") from None
    return text.removeprefix("\ufeff")


def _is_header(cells: list[str]) -> bool:
    return cells[0].strip() == HEADER_PREFIXES[0]


def _check_header(cells: list[str], line: int) -> None:
    cells = _trim_trailing_blanks(cells)
    if len(cells) != COLUMN_COUNT:
        raise PlanFormatError(
            line,
            f"the header row has {len(cells)} columns; expected {COLUMN_COUNT} ({', '.join(HEADER_PREFIXES)})",
        )
    for index, (cell, prefix) in enumerate(zip(cells, HEADER_PREFIXES, strict=True), start=1):
        if not cell.strip().startswith(prefix):
            raise PlanFormatError(line, f"header column {index} is {cell.strip()!r}; expected {prefix!r}")


def _trim_trailing_blanks(cells: list[str]) -> list[str]:
    cells = list(cells)
    while len(cells) > COLUMN_COUNT and not cells[-1].strip():
        cells.pop()
    return cells


@dataclass
class _Row:
    line: int
    cells: list[str]
    page: int


def parse_plan(text: str) -> ParsedPlan:
    """Parse the plan document into indicators, measures, steps and the results section (no database)."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    title_lines: list[str] = []
    rows: list[_Row] = []
    results: list[str] = []
    page = 0
    section = "title"
    table_end_line = len(lines)
    for number, line in enumerate(lines, start=1):
        cells = line.split("\t")
        if section == "results":
            if line.strip():
                results.append(line.rstrip())
            continue
        if not line.strip():
            continue
        if _is_header(cells):
            _check_header(cells, number)
            page += 1
            section = "table"
            continue
        if section == "title":
            if len(cells) > 1:
                raise PlanFormatError(number, "a table row comes before the header row (ลำดับ / ตัวชี้วัด / …)")
            title_lines.append(line.strip())
            continue
        if len(cells) == 1 and line.strip() == RESULTS_HEADING:
            section = "results"
            table_end_line = number
            continue
        cells = _trim_trailing_blanks(cells)
        if len(cells) != COLUMN_COUNT:
            raise PlanFormatError(
                number, f"the row has {len(cells)} column(s); expected {COLUMN_COUNT} separated by tabs"
            )
        rows.append(_Row(line=number, cells=[cell.strip() for cell in cells], page=page))
    if page == 0:
        raise PlanFormatError(1, "no header row (ลำดับ / ตัวชี้วัด / มาตรการ / …) found")

    title = " ".join(title_lines)
    match = _YEAR_RE.search(title)
    year = thai_int(match.group(1)) if match else None

    _resolve_merged_cells(rows)
    indicators = _build_indicators(rows, table_end_line)
    return ParsedPlan(year=year, title=title, indicators=indicators, results_text="\n".join(results))


def _resolve_merged_cells(rows: list[_Row]) -> None:
    pages: dict[int, list[_Row]] = {}
    for row in rows:
        pages.setdefault(row.page, []).append(row)
    for page_rows in pages.values():
        for column in (4, 5):
            resolved = resolve_merged_column([row.cells[column] for row in page_rows])
            for row, value in zip(page_rows, resolved, strict=True):
                row.cells[column] = value


def _build_indicators(rows: list[_Row], table_end_line: int) -> list[ParsedIndicator]:
    indicators: list[ParsedIndicator] = []
    seen: dict[int, int] = {}
    for row in rows:
        number_cell, name, measure_text, steps_cell, responsible, monitoring = row.cells
        if not measure_text:
            raise PlanFormatError(row.line, "the measure (มาตรการ) cell is empty")
        if not number_cell:
            # No number: a further measure of the indicator above.
            if not indicators or (name and name != indicators[-1].name_th):
                raise PlanFormatError(row.line, "the row number (ลำดับ) is empty")
            current = indicators[-1]
        else:
            if not _ROW_NUMBER_RE.fullmatch(number_cell):
                raise PlanFormatError(row.line, f"the row number {number_cell!r} is not a number")
            number = thai_int(number_cell)
            if not 1 <= number <= INDICATOR_COUNT:
                raise PlanFormatError(row.line, f"indicator number {number} is outside 1–{INDICATOR_COUNT}")
            if number in seen:
                raise PlanFormatError(
                    row.line, f"indicator number {number} is repeated (first on line {seen[number]})"
                )
            if not name:
                raise PlanFormatError(row.line, "the indicator (ตัวชี้วัด) cell is empty")
            seen[number] = row.line
            official, name_en = ITA_INDICATORS[number]
            current = ParsedIndicator(
                number=number,
                name_th=name,
                name_en=name_en,
                official_name_th="" if official == name else official,
                group=Indicator.group_for_number(number),
                measures=[],
                line=row.line,
            )
            indicators.append(current)
        current.measures.append(
            ParsedMeasure(
                order=len(current.measures) + 1,
                text=measure_text,
                parts=parse_parts(measure_text),
                steps=parse_steps(steps_cell),
                responsible=responsible,
                monitoring=monitoring,
                line=row.line,
            )
        )
    if len(indicators) != INDICATOR_COUNT:
        raise PlanFormatError(
            table_end_line,
            f"the plan table has {len(indicators)} indicator rows; expected {INDICATOR_COUNT}",
        )
    return indicators


def read_plan_file(path) -> ParsedPlan:
    with open(path, "rb") as handle:
        return parse_plan(decode_plan(handle.read()))


def import_plan_file(path, *, year: int | None = None) -> tuple[FiscalYear, list[str]]:
    """Read, parse and load one plan file (PlanFormatError, PlanImportError or OSError on failure)."""
    path = Path(path)
    if year is not None and not 2500 <= year <= 2700:
        raise PlanImportError(f"the fiscal year {year} is not a B.E. year such as 2565")
    return load_plan(read_plan_file(path), year=year, source_name=path.name)


# --------------------------------------------------------------------------------------------------------------
# Loading into the database
# --------------------------------------------------------------------------------------------------------------


def _sync(obj, values: dict) -> list[str]:
    """Set the fields that differ and save only those; returns the changed field names."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return changed


def _delete(obj, label: str) -> None:
    try:
        obj.delete()
    except ProtectedError:
        raise PlanImportError(
            f"{label} is no longer in the file but reports refer to it; it cannot be deleted"
        ) from None


@transaction.atomic
def load_plan(
    plan: ParsedPlan, *, year: int | None = None, source_name: str = ""
) -> tuple[FiscalYear, list[str]]:
    """Write the parsed plan into its fiscal year in one transaction; return the year and the changes made.

    Existing rows are updated in place, matched by indicator number, measure order and step order; measures and
    steps no longer in the plan are deleted. Importing the same plan again writes nothing and returns no changes.
    """
    year = year or plan.year
    if year is None:
        raise PlanImportError("the title gives no fiscal year (พ.ศ. ….); give one with --year")
    changes: list[str] = []
    fy_values = {"title": plan.title, "results_text": plan.results_text, "source_name": source_name}
    fiscal_year = FiscalYear.objects.select_for_update().filter(year=year).first()
    if fiscal_year is None:
        fiscal_year = FiscalYear.objects.create(year=year, **fy_values)
        changes.append(f"created fiscal year {year}")
    elif changed := _sync(fiscal_year, fy_values):
        changes.append(f"updated fiscal year {year}: {', '.join(changed)}")
    periods_before = fiscal_year.periods.count()
    fiscal_year.ensure_periods()
    if (created := fiscal_year.periods.count() - periods_before) > 0:
        changes.append(f"created {created} reporting period(s) of fiscal year {year}")

    existing = {ind.number: ind for ind in fiscal_year.indicators.prefetch_related("measures__steps")}
    for parsed in plan.indicators:
        values = {
            "name_th": parsed.name_th,
            "name_en": parsed.name_en,
            "official_name_th": parsed.official_name_th,
            "group": parsed.group,
        }
        indicator = existing.pop(parsed.number, None)
        if indicator is None:
            indicator = Indicator.objects.create(fiscal_year=fiscal_year, number=parsed.number, **values)
            changes.append(f"created indicator {parsed.number} {parsed.name_th}")
        elif changed := _sync(indicator, values):
            changes.append(f"updated indicator {parsed.number}: {', '.join(changed)}")
        changes += _load_measures(indicator, parsed.measures)
    for number, indicator in sorted(existing.items()):
        _delete(indicator, f"indicator {number}")
        changes.append(f"deleted indicator {number}")
    return fiscal_year, changes


def _load_measures(indicator: Indicator, parsed_measures: list[ParsedMeasure]) -> list[str]:
    changes = []
    existing = {measure.order: measure for measure in indicator.measures.all()}
    for parsed in parsed_measures:
        code = f"{indicator.number}.{parsed.order}"
        values = {
            "text": parsed.text,
            "parts": parsed.parts,
            "responsible": parsed.responsible,
            "monitoring": parsed.monitoring,
        }
        measure = existing.pop(parsed.order, None)
        if measure is None:
            measure = Measure.objects.create(indicator=indicator, order=parsed.order, **values)
            changes.append(f"created measure {code}")
        elif changed := _sync(measure, values):
            changes.append(f"updated measure {code}: {', '.join(changed)}")
        changes += _load_steps(measure, code, parsed.steps)
    for order, measure in sorted(existing.items()):
        _delete(measure, f"measure {indicator.number}.{order}")
        changes.append(f"deleted measure {indicator.number}.{order}")
    return changes


def _load_steps(measure: Measure, code: str, parsed_steps: list[ParsedStep]) -> list[str]:
    changes = []
    existing = {step.order: step for step in measure.steps.all()}
    for parsed in parsed_steps:
        values = {"text": parsed.text, "sub_points": parsed.sub_points}
        step = existing.pop(parsed.order, None)
        if step is None:
            MeasureStep.objects.create(measure=measure, order=parsed.order, **values)
            changes.append(f"created step {code}.{parsed.order}")
        elif changed := _sync(step, values):
            changes.append(f"updated step {code}.{parsed.order}: {', '.join(changed)}")
    for order, step in sorted(existing.items()):
        step.delete()
        changes.append(f"deleted step {code}.{order}")
    return changes
