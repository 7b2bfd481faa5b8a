"""Read the province's plan document (the seed's tab-separated format, or an Excel workbook) into a fiscal year.

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

`parse_plan` and friends are pure functions (no database); `measures/plan_xlsx.py` reads a workbook into the same
rows (`parse_rows`). `load_plan` writes a parsed plan into the database in one transaction and returns one line per
created, updated or deleted object; `preview_plan` returns those lines without writing. The indicators' official
names and IIT/EIT/OIT groups are not in code: they come from the year's ITA indicator table (data of the `oit`
app, asked through `measures.catalogue`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError

from measures import catalogue
from measures.catalogue import OfficialIndicator
from measures.models import FiscalYear, Indicator, Measure, MeasureStep
from measures.thaidate import to_arabic_digits

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


@dataclass(frozen=True)
class Where:
    """A place in the document: a line of the TSV, or a sheet's row (and column) of a workbook."""

    line: int
    sheet: str | None = None
    column: int | None = None  # 1-based; named for workbooks

    def at(self, column: int) -> Where:
        return Where(self.line, self.sheet, column)

    def __str__(self):
        if self.sheet is None:
            return f"line {self.line}"
        place = f"sheet {self.sheet!r}, row {self.line}"
        if self.column:
            letter = chr(ord("A") + self.column - 1) if self.column <= 26 else str(self.column)
            header = f" ({HEADER_PREFIXES[self.column - 1]})" if self.column <= COLUMN_COUNT else ""
            place += f", column {letter}{header}"
        return place


class PlanFormatError(ValueError):
    """The document does not follow the plan format; `where` is the line (or sheet, row, column) of the problem."""

    def __init__(self, where: Where | int, message: str):
        self.where = where if isinstance(where, Where) else Where(where)
        self.line = self.where.line
        self.message = message
        super().__init__(f"{self.where}: {message}")


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
    where: Where | None = None


@dataclass(frozen=True)
class ParsedIndicator:
    """An indicator row as the plan words it; its group and official name come from the ITA's table at load."""

    number: int
    name_th: str
    measures: list[ParsedMeasure]
    where: Where | None = None


@dataclass(frozen=True)
class ParsedPlan:
    year: int | None
    title: str
    indicators: list[ParsedIndicator]
    results_text: str
    end: Where = Where(
        1
    )  # where the table ends (the results heading, or the last row): named by count errors


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


@dataclass(frozen=True)
class SourceRow:
    """One row of the document, from either format: its place, its cells, and its text as a results line."""

    where: Where
    cells: list[str]
    text: str


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and cells[0].strip() == HEADER_PREFIXES[0]


def _check_header(cells: list[str], where: Where) -> None:
    cells = _trim_trailing_blanks(cells)
    if len(cells) != COLUMN_COUNT:
        raise PlanFormatError(
            where,
            f"the header row has {len(cells)} columns; expected {COLUMN_COUNT} ({', '.join(HEADER_PREFIXES)})",
        )
    for index, (cell, prefix) in enumerate(zip(cells, HEADER_PREFIXES, strict=True), start=1):
        if not cell.strip().startswith(prefix):
            raise PlanFormatError(
                where.at(index), f"header column {index} is {cell.strip()!r}; expected {prefix!r}"
            )


def _trim_trailing_blanks(cells: list[str], keep: int = COLUMN_COUNT) -> list[str]:
    cells = list(cells)
    while len(cells) > keep and not cells[-1].strip():
        cells.pop()
    return cells


@dataclass
class _Row:
    where: Where
    cells: list[str]
    page: int


def parse_plan(text: str) -> ParsedPlan:
    """Parse the tab-separated plan document (no database)."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    rows = [SourceRow(Where(number), line.split("\t"), line) for number, line in enumerate(lines, start=1)]
    return parse_rows(rows, pad_short_rows=False, join_page_fragments=True)


def parse_rows(rows, *, pad_short_rows: bool, join_page_fragments: bool) -> ParsedPlan:
    """Parse the document's rows into indicators, measures, steps and the results section (no database).

    `pad_short_rows`: a table row with fewer than six cells has blank cells at its end (a spreadsheet leaves
    empty trailing cells out) instead of being refused. `join_page_fragments`: blank responsible and monitoring
    cells continue the cell above on the page and numbered fragments are joined (the TSV extracted from a PDF,
    whose merged cells were lost); a workbook's merged ranges are real, so its reader resolves them itself.
    """
    title_lines: list[str] = []
    table: list[_Row] = []
    results: list[str] = []
    page = 0
    section = "title"
    table_end = None
    first = None
    last = None
    for row in rows:
        first = first or row.where
        last = row.where
        cells = row.cells
        if section == "results":
            if row.text.strip():
                results.append(row.text.rstrip())
            continue
        if not row.text.strip():
            continue
        if _is_header(cells):
            _check_header(cells, row.where)
            page += 1
            section = "table"
            continue
        if section == "title":
            if len(_trim_trailing_blanks(cells, keep=1)) > 1:
                raise PlanFormatError(row.where, "a table row comes before the header row (ลำดับ / ตัวชี้วัด / …)")
            title_lines += [part.strip() for part in row.text.splitlines() if part.strip()]
            continue
        if len(_trim_trailing_blanks(cells, keep=1)) == 1 and cells[0].strip() == RESULTS_HEADING:
            section = "results"
            table_end = row.where
            continue
        cells = _trim_trailing_blanks(cells)
        if pad_short_rows and len(cells) < COLUMN_COUNT:
            cells = cells + [""] * (COLUMN_COUNT - len(cells))
        if len(cells) != COLUMN_COUNT:
            raise PlanFormatError(
                row.where, f"the row has {len(cells)} column(s); expected {COLUMN_COUNT} separated by tabs"
            )
        table.append(_Row(where=row.where, cells=[cell.strip() for cell in cells], page=page))
    if page == 0:
        raise PlanFormatError(first or Where(1), "no header row (ลำดับ / ตัวชี้วัด / มาตรการ / …) found")

    title = " ".join(title_lines)
    match = _YEAR_RE.search(title)
    year = thai_int(match.group(1)) if match else None

    if join_page_fragments:
        _resolve_merged_cells(table)
    indicators = _build_indicators(table)
    return ParsedPlan(
        year=year, title=title, indicators=indicators, results_text="\n".join(results), end=table_end or last
    )


def _resolve_merged_cells(rows: list[_Row]) -> None:
    pages: dict[int, list[_Row]] = {}
    for row in rows:
        pages.setdefault(row.page, []).append(row)
    for page_rows in pages.values():
        for column in (4, 5):
            resolved = resolve_merged_column([row.cells[column] for row in page_rows])
            for row, value in zip(page_rows, resolved, strict=True):
                row.cells[column] = value


def _build_indicators(rows: list[_Row]) -> list[ParsedIndicator]:
    indicators: list[ParsedIndicator] = []
    seen: dict[int, Where] = {}
    for row in rows:
        number_cell, name, measure_text, steps_cell, responsible, monitoring = row.cells
        if not measure_text:
            raise PlanFormatError(row.where.at(3), "the measure (มาตรการ) cell is empty")
        if not number_cell:
            # No number: a further measure of the indicator above.
            if not indicators or (name and name != indicators[-1].name_th):
                raise PlanFormatError(row.where.at(1), "the row number (ลำดับ) is empty")
            current = indicators[-1]
        else:
            if not _ROW_NUMBER_RE.fullmatch(number_cell):
                raise PlanFormatError(row.where.at(1), f"the row number {number_cell!r} is not a number")
            number = thai_int(number_cell)
            if number < 1:
                raise PlanFormatError(row.where.at(1), f"indicator number {number} is not 1 or more")
            if number in seen:
                first = seen[number]
                place = f"line {first.line}" if first.sheet is None else f"{first}"
                raise PlanFormatError(
                    row.where.at(1), f"indicator number {number} is repeated (first on {place})"
                )
            if not name:
                raise PlanFormatError(row.where.at(2), "the indicator (ตัวชี้วัด) cell is empty")
            seen[number] = row.where
            current = ParsedIndicator(number=number, name_th=name, measures=[], where=row.where)
            indicators.append(current)
        current.measures.append(
            ParsedMeasure(
                order=len(current.measures) + 1,
                text=measure_text,
                parts=parse_parts(measure_text),
                steps=parse_steps(steps_cell),
                responsible=responsible,
                monitoring=monitoring,
                where=row.where,
            )
        )
    return indicators


def check_against_table(plan: ParsedPlan, table: dict[int, OfficialIndicator], year: int) -> None:
    """The plan has one row for each indicator of the year's ITA indicator table, and no other."""
    highest = max(table)
    for indicator in plan.indicators:
        if indicator.number not in table:
            raise PlanFormatError(
                indicator.where.at(1),
                f"indicator number {indicator.number} is outside 1–{highest} "
                f"(fiscal year {year}'s ITA indicator table)",
            )
    if len(plan.indicators) != len(table):
        raise PlanFormatError(
            plan.end,
            f"the plan table has {len(plan.indicators)} indicator rows; expected {len(table)}",
        )


def parse_document(data: bytes) -> ParsedPlan:
    """Parse a plan file of either format: an Excel workbook (.xlsx, recognised by its content) or the TSV."""
    from measures import plan_xlsx  # it builds on this module's rows and rules

    if plan_xlsx.is_workbook(data):
        return plan_xlsx.parse_workbook(data)
    return parse_plan(decode_plan(data))


def read_plan_file(path) -> ParsedPlan:
    with open(path, "rb") as handle:
        return parse_document(handle.read())


def _check_year(year: int | None) -> None:
    if year is not None and not 2500 <= year <= 2700:
        raise PlanImportError(f"the fiscal year {year} is not a B.E. year such as 2565")


def import_plan_file(path, *, year: int | None = None) -> tuple[FiscalYear, list[str]]:
    """Read, parse and load one plan file (PlanFormatError, PlanImportError or OSError on failure)."""
    path = Path(path)
    _check_year(year)
    return load_plan(read_plan_file(path), year=year, source_name=path.name)


def preview_plan(
    plan: ParsedPlan, *, year: int | None = None, source_name: str = ""
) -> tuple[int, list[str]]:
    """What loading the plan would change, without changing anything: the load runs and is rolled back."""
    _check_year(year)
    with transaction.atomic():
        fiscal_year, changes = load_plan(plan, year=year, source_name=source_name)
        transaction.set_rollback(True)
    return fiscal_year.year, changes


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


def indicator_table_for(year: int) -> tuple[dict[int, OfficialIndicator], list[str]]:
    """The ITA indicator table the plan of `year` is read against: the year's own, else the newest earlier one.

    The NACC's indicator table changes rarely, and an office may load next year's plan before next year's
    catalogue; the change list says which year's table was used. No table at all: PlanImportError.
    """
    table = catalogue.indicator_table(year)
    if table:
        return table, []
    for earlier in FiscalYear.objects.filter(year__lt=year).order_by("-year").values_list("year", flat=True):
        table = catalogue.indicator_table(earlier)
        if table:
            return table, [f"fiscal year {year} has no ITA indicator table yet: read against {earlier}'s"]
    raise PlanImportError(
        f"fiscal year {year} has no ITA indicator table (official names and IIT/EIT/OIT groups); "
        f"load it first: import_ita_indicators data/ita-{year}-indicators.csv --year {year}"
    )


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
    table, changes = indicator_table_for(year)
    check_against_table(plan, table, year)
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
        official = table[parsed.number]
        values = {
            "name_th": parsed.name_th,
            "name_en": official.name_en,
            "official_name_th": "" if official.name_th == parsed.name_th else official.name_th,
            "group": official.group,
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
