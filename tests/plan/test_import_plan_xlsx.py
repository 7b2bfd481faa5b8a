"""import_plan FILE.xlsx: a workbook with real merged cells loads to exactly the plan the TSV gives."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from measures.models import FiscalYear, Indicator, Measure, MeasureStep, ReportingPeriod
from measures.plan_import import PlanFormatError, parse_document
from tests.oit_data import load_indicator_table

PLAN_FILE = settings.BASE_DIR / "data" / "plan-2565.tsv"
SHEET_1, SHEET_2, NOTES = "หน้า ๑-๒", "หน้า ๓", "หมายเหตุ"


@pytest.fixture(autouse=True)
def indicator_table(request):
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
        load_indicator_table(2565)


def tsv_pages():
    """The TSV as (title lines, pages of table rows, results lines)."""
    lines = PLAN_FILE.read_text(encoding="utf-8").split("\n")
    title, pages, results, section = [], [], [], "title"
    for line in lines:
        if section == "results":
            if line.strip():
                results.append(line.rstrip())
        elif line.startswith("ลำดับ\t"):
            pages.append([])
            section = "table"
        elif section == "title":
            if line.strip():
                title.append(line.strip())
        elif line.strip() == "ผลการดำเนินการ":
            section = "results"
        elif line.strip():
            pages[-1].append(line.split("\t"))
    return title, pages, results


HEADER = [
    "ลำดับ",
    "ตัวชี้วัด",
    "มาตรการ",
    "ขั้นตอน/วิธีการปฏิบัติ",
    "ผู้รับผิดชอบ",
    "แนวทางกำกับติดตามและการรายงานผลการดำเนินการ",
]


def _write_page(sheet, page):
    """A header row, then the page's rows; the responsible and monitoring columns as real merged ranges
    (what the PDF extraction left blank is the lower part of a merged cell)."""
    sheet.append(HEADER)
    first = sheet.max_row + 1
    for number, cells in enumerate(page):
        row = list(cells)
        # Numbers as a spreadsheet holds them: the first as a number cell, others as Thai-digit text.
        row[0] = 1 if row[0] == "๑" else row[0]
        row[4] = row[5] = None
        sheet.append(row)
        del number
    for column in (5, 6):
        texts = [cells[column - 1] for cells in page]
        filled = [i for i, text in enumerate(texts) if text]
        if len(filled) > 1 and all(texts[i][:1] in "๑๒๓๔๕๖๗๘๙" for i in filled):
            # One merged cell the page layout cut into numbered pieces: in Excel it is one cell over the page.
            runs = [(0, len(texts) - 1, " ".join(texts[i] for i in filled))]
        else:
            runs = []
            for position, index in enumerate(filled):
                end = filled[position + 1] - 1 if position + 1 < len(filled) else len(texts) - 1
                runs.append((index, end, texts[index]))
        for start, end, text in runs:
            sheet.cell(row=first + start, column=column, value=text)
            if end > start:
                sheet.merge_cells(
                    start_row=first + start, start_column=column, end_row=first + end, end_column=column
                )


def plan_workbook(edit=None) -> bytes:
    """The FY 2565 plan as an office would type it into Excel: a merged two-line title, the table over two
    sheets with the header repeated, merged cells, the results with sub-items one column in, and a notes sheet."""
    title, pages, results = tsv_pages()
    workbook = Workbook()
    first = workbook.active
    first.title = SHEET_1
    first["A1"] = "\n".join(title)
    first.merge_cells("A1:F1")
    first.append([])
    _write_page(first, pages[0])
    _write_page(first, pages[1])
    second = workbook.create_sheet(SHEET_2)
    _write_page(second, pages[2])
    second.append([])
    second.append(["ผลการดำเนินการ"])
    for line in results:
        second.append([None, line.strip()] if line.startswith(" ") else [line])
    notes = workbook.create_sheet(NOTES)
    notes.append(["จัดทำโดย", "สำนักงานจังหวัดสตูล"])
    if edit:
        edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write(tmp_path, data: bytes, name="plan.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run_import(path, *args):
    out = io.StringIO()
    call_command("import_plan", str(path), *args, stdout=out)
    return out.getvalue()


def plan_content(year: int):
    """Everything the plan of `year` holds, without row ids: to compare two imports."""
    fiscal_year = FiscalYear.objects.get(year=year)
    return {
        "year": (fiscal_year.title, fiscal_year.results_text),
        "periods": list(ReportingPeriod.objects.filter(fiscal_year=fiscal_year).values_list("quarter")),
        "indicators": list(
            Indicator.objects.filter(fiscal_year=fiscal_year)
            .order_by("number")
            .values_list("number", "name_th", "name_en", "official_name_th", "group")
        ),
        "measures": list(
            Measure.objects.filter(indicator__fiscal_year=fiscal_year)
            .order_by("indicator__number", "order")
            .values_list("indicator__number", "order", "text", "parts", "responsible", "monitoring")
        ),
        "steps": list(
            MeasureStep.objects.filter(measure__indicator__fiscal_year=fiscal_year)
            .order_by("measure__indicator__number", "measure__order", "order")
            .values_list("measure__indicator__number", "measure__order", "order", "text", "sub_points")
        ),
    }


def test_workbook_with_merged_ranges_loads_to_exactly_the_plan_the_tsv_gives(db, tmp_path):
    run_import(PLAN_FILE)
    tsv_plan = plan_content(2565)
    FiscalYear.objects.filter(year=2565).delete()
    load_indicator_table(2565)

    out = run_import(write(tmp_path, plan_workbook()))

    assert plan_content(2565) == tsv_plan
    assert FiscalYear.objects.get(year=2565).source_name == "plan.xlsx"
    assert "fiscal year 2565: 40 change(s)" in out


def test_merged_cells_spread_their_top_left_value_over_the_range():
    plan = parse_document(plan_workbook())
    monitoring = [m.monitoring for indicator in plan.indicators[7:10] for m in indicator.measures]
    assert len(set(monitoring)) == 1
    assert monitoring[0].startswith("๑. รายงานการกำกับติดตามผลการดำเนินการฯ") and "๒. รายงาน" in monitoring[0]
    assert plan.indicators[1].measures[0].responsible == plan.indicators[0].measures[0].responsible


def test_the_same_workbook_imported_again_changes_nothing(db, tmp_path):
    path = write(tmp_path, plan_workbook())
    run_import(path)
    assert run_import(path).splitlines()[-1] == "fiscal year 2565: no changes"


def test_a_merged_number_and_indicator_cell_makes_further_measures_of_that_indicator(db, tmp_path):
    def second_measure_of_indicator_10(workbook):
        sheet = workbook[SHEET_2]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "๑๐")
        sheet.insert_rows(row + 1)
        sheet.cell(row + 1, 3, "๑. มาตรการเพิ่ม ๒. ส่วนที่สอง")
        sheet.cell(row + 1, 4, "ขั้นตอนเดียว")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row + 1, end_column=2)

    run_import(write(tmp_path, plan_workbook(second_measure_of_indicator_10)))
    measures = Measure.objects.filter(indicator__fiscal_year__year=2565, indicator__number=10).order_by(
        "order"
    )
    assert [(m.order, m.parts) for m in measures][1] == (2, ["มาตรการเพิ่ม", "ส่วนที่สอง"])
    assert Indicator.objects.filter(fiscal_year__year=2565).count() == 10


def _set(sheet_name, cell, value):
    def edit(workbook):
        workbook[sheet_name][cell] = value

    return edit


def _row_of(sheet, number):
    return next(r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 1).value) == number)


def _set_in_row(sheet_name, number, column, value):
    def edit(workbook):
        sheet = workbook[sheet_name]
        sheet.cell(_row_of(sheet, number), column).value = value

    return edit


MALFORMED = {
    "empty measure cell": (
        _set_in_row(SHEET_1, "๕", 3, None),
        f"sheet '{SHEET_1}', row 9, column C (มาตรการ)",
        "measure (มาตรการ) cell is empty",
    ),
    "non-numeric row number": (
        _set_in_row(SHEET_1, "๖", 1, "หก"),
        f"sheet '{SHEET_1}', row 10, column A (ลำดับ)",
        "'หก' is not a number",
    ),
    "repeated row number": (
        _set_in_row(SHEET_2, "๙", 1, "๘"),
        f"sheet '{SHEET_2}', row 3, column A (ลำดับ)",
        "repeated (first on sheet",
    ),
    "empty indicator cell": (
        _set_in_row(SHEET_1, "๗", 2, None),
        f"sheet '{SHEET_1}', row 11, column B (ตัวชี้วัด)",
        "indicator (ตัวชี้วัด) cell is empty",
    ),
    "wrong header": (
        _set(SHEET_2, "D1", "วิธีการ"),
        f"sheet '{SHEET_2}', row 1, column D (ขั้นตอน)",
        "expected 'ขั้นตอน'",
    ),
    "seventh column": (_set_in_row(SHEET_2, "๙", 7, "เกิน"), f"sheet '{SHEET_2}', row 3", "7 column(s)"),
    "eleven indicators": (
        _set_in_row(SHEET_2, "๑๐", 1, "๑๑"),
        f"sheet '{SHEET_2}', row 4, column A (ลำดับ)",
        "outside 1–10",
    ),
}


@pytest.mark.parametrize("case", MALFORMED.keys())
def test_malformed_workbook_is_refused_naming_sheet_row_and_column_and_writes_nothing(db, tmp_path, case):
    edit, where, message = MALFORMED[case]
    run_import(write(tmp_path, plan_workbook(), "good.xlsx"))
    before = plan_content(2565)

    def renamed_and_broken(workbook):
        workbook[SHEET_1]["B4"] = "การปฏิบัติหน้าที่ใหม่"  # a partial write would show
        edit(workbook)

    with pytest.raises(CommandError) as error:
        run_import(write(tmp_path, plan_workbook(renamed_and_broken)))

    assert f"{where}:" in str(error.value) or f"{where}," in str(error.value)
    assert message in str(error.value)
    assert plan_content(2565) == before


def test_a_file_that_is_not_a_workbook_is_refused(db, tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(CommandError, match="not an Excel workbook"):
        run_import(write(tmp_path, data.getvalue()))
    assert not Indicator.objects.exists()


def test_a_workbook_without_the_plan_header_is_refused():
    def no_headers(workbook):
        for name in (SHEET_1, SHEET_2):
            for row in workbook[name].iter_rows():
                if row[0].value == "ลำดับ":
                    row[0].value = "ที่"

    with pytest.raises(PlanFormatError, match="no sheet has the header row"):
        parse_document(plan_workbook(no_headers))


def test_a_workbook_too_large_once_unpacked_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr("measures.plan_xlsx.MAX_UNCOMPRESSED_BYTES", 10_000)
    with pytest.raises(PlanFormatError, match="too large once unpacked"):
        parse_document(plan_workbook())


def test_a_sheet_with_too_many_rows_is_refused_naming_it(monkeypatch):
    monkeypatch.setattr("measures.plan_xlsx.MAX_ROWS_PER_SHEET", 5)
    with pytest.raises(PlanFormatError, match=f"sheet '{SHEET_1}', row 6: the sheet has more than 5 rows"):
        parse_document(plan_workbook())
