"""Read the plan from an Excel workbook (.xlsx): the same six columns and rules as the tab-separated document.

Offices receive next year's plan as a Word or Excel table. A workbook carries what the PDF extraction lost: real
merged cells. So its reader differs from the TSV's in one rule only — a merged range's top-left value applies to
every row of the range (a blank cell is blank; no fragment guessing) — and hands the same rows to
`plan_import.parse_rows`, so Thai digits, numbered parts inside a cell, repeated header rows and the closing
results section read exactly as in the TSV. A merged number or indicator cell (ลำดับ / ตัวชี้วัด) over several
rows makes them further measures of that indicator, as a blank number does in the TSV.

Why two passes: the workbook is opened with openpyxl in read-only mode, which streams each sheet's rows from the
XML without building the whole cell graph (an upload cannot make it hold millions of styled cells in memory), but
a read-only worksheet does not parse the sheet's `<mergeCells>` element (it comes after `<sheetData>`, and
`ReadOnlyWorksheet` has no `merged_cells`). So the merged ranges are read in a second streaming pass over the
same sheet part of the package — `iterparse` of its `<mergeCell ref="A8:A10"/>` elements — found through the
workbook's relationships, with the standard library only.
"""

from __future__ import annotations

import datetime
import io
import posixpath
import zipfile
from xml.etree.ElementTree import iterparse  # noqa: S405 - a workbook's XML, expat without external entities

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from measures.plan_import import COLUMN_COUNT, HEADER_PREFIXES, PlanFormatError, SourceRow, Where, parse_rows

# Bounds on what an uploaded workbook may make us read (a plan is a few hundred cells).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ROWS_PER_SHEET = 5000
# Columns whose merged range continues the indicator above rather than repeating it (ลำดับ, ตัวชี้วัด).
CONTINUING_COLUMNS = (1, 2)

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def is_workbook(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _merged_ranges(archive: zipfile.ZipFile) -> dict[str, list[tuple[int, int, int, int]]]:
    """{sheet title: [(min_col, min_row, max_col, max_row)]} read from the package's XML."""
    rels = {}
    with archive.open("xl/_rels/workbook.xml.rels") as source:
        for _event, element in iterparse(source):  # noqa: S314
            if element.tag == f"{{{_PKG_REL_NS}}}Relationship":
                target = element.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                rels[element.get("Id")] = path
    sheets = {}
    with archive.open("xl/workbook.xml") as source:
        for _event, element in iterparse(source):  # noqa: S314
            if element.tag == f"{{{_MAIN_NS}}}sheet":
                sheets[element.get("name")] = rels.get(element.get(f"{{{_REL_NS}}}id"))
    ranges: dict[str, list[tuple[int, int, int, int]]] = {}
    for title, path in sheets.items():
        found = ranges.setdefault(title, [])
        if not path or path not in archive.namelist():
            continue
        with archive.open(path) as source:
            for _event, element in iterparse(source):  # noqa: S314
                if element.tag == f"{{{_MAIN_NS}}}mergeCell":
                    found.append(range_boundaries(element.get("ref")))
                element.clear()
    return ranges


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _row_text(cells: list[str]) -> str:
    """The row as one line (for title and results rows): an item written one column in is a sub-item."""
    for index, cell in enumerate(cells):
        if cell.strip():
            return " " * index + " ".join(c.strip() for c in cells[index:] if c.strip())
    return ""


def workbook_rows(data: bytes) -> list[SourceRow]:
    """Every row of every sheet that has a plan header row, with merged ranges resolved."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
            raise PlanFormatError(1, "the workbook is too large once unpacked")
        merged = _merged_ranges(archive)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        if isinstance(error, PlanFormatError):
            raise
        raise PlanFormatError(1, "the file is not an Excel workbook (.xlsx)") from None
    rows: list[SourceRow] = []
    try:
        for sheet in workbook.worksheets:
            sheet_rows = _sheet_rows(sheet, merged.get(sheet.title, []))
            if any(row.cells and row.cells[0].strip() == HEADER_PREFIXES[0] for row in sheet_rows):
                rows.extend(sheet_rows)
    finally:
        workbook.close()
    if not rows:
        raise PlanFormatError(
            Where(1, sheet=workbook.sheetnames[0] if workbook.sheetnames else "?"),
            "no sheet has the header row (ลำดับ / ตัวชี้วัด / มาตรการ / …)",
        )
    return rows


def _sheet_rows(sheet, ranges) -> list[SourceRow]:
    # For each cell covered by a merged range below its top-left: the top-left cell it takes its value from.
    covered: dict[tuple[int, int], tuple[int, int] | None] = {}
    for min_col, min_row, _max_col, max_row in ranges:
        for row in range(min_row + 1, max_row + 1):
            source = None if min_col in CONTINUING_COLUMNS else (min_row, min_col)
            covered[(row, min_col)] = source
    wanted = {source for source in covered.values() if source}
    top_left: dict[tuple[int, int], str] = {}
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS_PER_SHEET:
            raise PlanFormatError(
                Where(number, sheet=sheet.title), f"the sheet has more than {MAX_ROWS_PER_SHEET} rows"
            )
        cells = [_text(value) for value in values]
        for column, cell in enumerate(cells, start=1):
            if (number, column) in wanted:
                top_left[(number, column)] = cell
        for column in range(1, COLUMN_COUNT + 1):
            if (number, column) in covered:
                source = covered[(number, column)]
                while len(cells) < column:
                    cells.append("")
                cells[column - 1] = top_left.get(source, "") if source else ""
        while cells and not cells[-1].strip():
            cells.pop()
        rows.append(SourceRow(Where(number, sheet=sheet.title), cells, _row_text(cells)))
    return rows


def parse_workbook(data: bytes):
    """Parse a plan workbook (no database) into the same ParsedPlan the TSV gives."""
    return parse_rows(workbook_rows(data), pad_short_rows=True, join_page_fragments=False)
