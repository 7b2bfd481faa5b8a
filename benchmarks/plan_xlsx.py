"""Reading a plan workbook: openpyxl's read-only mode (what measures/plan_xlsx.py uses) against a full load.

    .venv/bin/python benchmarks/plan_xlsx.py [--rows 4000] [--runs 5]

Builds, in memory, a plan workbook as an office would type it (a title, the header row repeated every 40 rows,
six Thai text columns, the responsible and monitoring cells merged over each page) with `--rows` table rows,
then times `measures.plan_xlsx.workbook_rows` (read-only rows + a streaming pass over <mergeCells>) and, for
comparison, `openpyxl.load_workbook(read_only=False)` which parses merged cells itself but builds every cell
object with its style. Prints the median wall time and the peak of Python allocations (tracemalloc) of each.
No database. Results: benchmarks/README.md.
"""

import argparse
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = 40
TEXT = "เผยแพร่ข้อมูลการดำเนินงานตามอำนาจหน้าที่ของหน่วยงานผ่านทางเว็บไซต์หน่วยงาน และช่องทางอื่นๆ ต่อสาธารณะ"


def build(rows: int) -> bytes:
    from openpyxl import Workbook

    from measures.plan_import import HEADER_PREFIXES

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "แผน"
    sheet.append(["แนวทาง / มาตรการ ประจำปีงบประมาณ พ.ศ. ๒๕๗๐"])
    for start in range(0, rows, PAGE):
        sheet.append(list(HEADER_PREFIXES))
        first = sheet.max_row + 1
        for index in range(start, min(start + PAGE, rows)):
            sheet.append([str(index + 1), f"ตัวชี้วัด {index + 1}", f"๑. {TEXT} ๒. {TEXT}", f"- {TEXT} - {TEXT}"])
        last = sheet.max_row
        sheet.cell(first, 5, "ส่วนราชการประจำจังหวัด ทั้ง ๓๓ ส่วน")
        sheet.cell(first, 6, "๑. รายงานการกำกับติดตามผลการดำเนินการ ไตรมาสละ ๑ ครั้ง")
        for column in (5, 6):
            sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def measure(function, data, runs):
    """Median wall time of `runs` plain runs, then the allocation peak of one more run under tracemalloc
    (which slows Python down several times, so it is not timed)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function(data)
        times.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    function(data)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), peak


def full_load(data):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        list(sheet.merged_cells.ranges)
        for _row in sheet.iter_rows(values_only=True):
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satun_ita.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from measures.plan_xlsx import workbook_rows

    data = build(args.rows)
    print(f"workbook: {args.rows} table rows, {len(data) / 2**10:.0f} KiB")
    for name, function in (("read-only + mergeCells pass", workbook_rows), ("full load", full_load)):
        wall, peak = measure(function, data, args.runs)
        print(f"{name:30} median {wall:8.1f} ms   peak Python allocations {peak:6.1f} MiB")


if __name__ == "__main__":
    main()
