"""A table as a download, CSV or XLSX, for any page that offers its table (the dashboard, the rounds).

    return table_response("xlsx", "dashboard-2565-q1", _("Matrix"), headers, rows)

`rows` is any iterable of rows (a generator is read once, as the file is written): CSV streams row by row
(UTF-8 with a byte-order mark, so Excel reads Thai), XLSX is written by XlsxWriter in constant-memory mode to a
temporary file, then sent. Cells that a spreadsheet would run as a formula ("=…", "+…", "-…", "@…") are written
as text: with a leading apostrophe in CSV, as strings in XLSX (which never converts strings on its own).
"""

import csv
import tempfile

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.translation import gettext as _

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "TH Sarabun New"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table_response(fmt: str, filename: str, title: str, headers: list, rows, *, widths=None):
    """The download of one table; `filename` without its extension. 404 for an unknown format."""
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"
            yield writer.writerow([str(h) for h in headers])
            for row in rows:
                yield writer.writerow([_csv_cell(v) for v in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "xlsx":
        output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
        write_xlsx_table(output, title, headers, rows, widths=widths)
        output.seek(0)
        return FileResponse(output, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
    raise Http404("Unknown format.")


def write_xlsx_table(output, title: str, headers: list, rows, *, widths=None) -> None:
    """One sheet: the headers (frozen, filtered, repeated on printed pages), the rows; A4 landscape."""
    import xlsxwriter  # noqa: PLC0415 - only downloads need it

    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_urls": False,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "default_format_properties": {"font_name": FONT, "font_size": 14},
        },
    )
    sheet = workbook.add_worksheet(str(title)[:31])
    header = workbook.add_format(
        {"bold": True, "bg_color": "#E6E6E6", "border": 1, "text_wrap": True, "valign": "top"}
    )
    cell = workbook.add_format({"border": 1, "valign": "top"})
    sheet.set_default_row(21)
    for col, width in enumerate(widths or [14] * len(headers)):
        sheet.set_column(col, col, width)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.freeze_panes(1, 0)
    sheet.set_footer("&C" + _("Page") + " &P / &N")
    for col, value in enumerate(headers):
        sheet.write_string(0, col, str(value), header)
    last = 0
    for last, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(last, col, value, cell)
            else:
                sheet.write_string(last, col, "" if value is None else str(value), cell)
    sheet.autofilter(0, 0, max(last, 0), max(len(headers) - 1, 0))
    workbook.close()
