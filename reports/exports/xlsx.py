"""The consolidated report as an XLSX workbook (XlsxWriter, constant-memory mode).

Sheets: a summary (cover lines, per indicator, per agency), one sheet per indicator in the plan's six columns
with each agency's results under each measure, and one flat sheet of every result for filtering. Each sheet
has a frozen header, A4 landscape page set-up with the header rows repeated on every printed page, wrapped
text and a Thai font (TH Sarabun New, the Thai government's standard; LibreOffice shows its metric twin).

Rows are written as they are read (constant memory: a row is flushed when the next begins), so the flat sheet
of 2,500 agencies never sits in memory. Two things XlsxWriter keeps for the whole sheet even in constant-memory
mode, so that the memory stays flat as agencies are added (benchmarks/exports.py, 250 → 2,500 agencies):
each row's height (kept for placing images, which these sheets have none of: `_RowsFlushed` drops it once the
row is written) and each hyperlink (kept until the sheet closes, about 540 bytes each: a sheet makes its first
LINKS_PER_SHEET evidence items real links and writes the others as "text <url>", as Excel itself must beyond
its 65,530 links a sheet). A Satun-scale year (at most ~4,000 evidence items a sheet) is links throughout. Strings are never turned into formulas, numbers or links on their own
(`strings_to_*` off): a result beginning with "=" stays text, and links are written explicitly as links.
"""

import math
import re
from itertools import groupby

import xlsxwriter
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from xlsxwriter.worksheet import Worksheet

from measures import thaidate
from reports.exports.document import STATUS_LABELS, ConsolidatedReport, timeliness
from reports.models import Evidence

FONT = "TH Sarabun New"
FONT_SIZE = 14
# Excel's limits: characters in a cell, characters in a link (links in a worksheet: 65,530, above LINKS_PER_SHEET).
MAX_CELL = 32_767
MAX_URL = 2_079
# Real links in one sheet; beyond them, evidence is written as "text <url>". XlsxWriter holds every link of a
# sheet until the workbook closes, so this bounds the workbook's memory (11 sheets × 10,000 × ~540 B ≈ 60 MB).
LINKS_PER_SHEET = 10_000
MAX_ROW_HEIGHT = 409
# Points per line of 14-point TH Sarabun New with its Thai marks above and below; one-line rows' heights.
LINE_HEIGHT = 21
FIXED_HEIGHTS = {"title": 30, "subtitle": 26, "section": 26, "line": LINE_HEIGHT}
_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def _text(value) -> str:
    text = str(value or "")
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text


class _KeptLink:
    """What XlsxWriter reads of a link when its sheet closes (`Worksheet._write_hyperlinks`), and no more: the
    Url object it keeps until then (about 540 bytes: three copies of the address, the display text, a
    dictionary) becomes about half of that. Its display text is only written for a link over a cell that is not
    a string, which these sheets never have (tests/exports/test_xlsx.py opens the links)."""

    __slots__ = ("_anchor", "_is_object_link", "_link", "_link_type", "_relationship_link", "_text", "_tip")

    def __init__(self, url):
        self._link_type = url._link_type
        self._anchor = url._anchor
        self._link = url._link
        self._relationship_link = url._relationship_link
        self._tip = url._tip
        self._text = ""
        self._is_object_link = False

    def _target(self) -> str:
        return self._relationship_link


class _RowsFlushed(Worksheet):
    """A constant-memory worksheet that also forgets a row's height once the row is written, and keeps its
    links small.

    XlsxWriter keeps every `set_row()` height for the whole sheet (`row_info`, and `row_sizes` for placing
    images), about 230 bytes a row: 100,000 rows of a national year would keep ~25 MB per sheet for nothing.
    """

    def _write_single_row(self, current_row_num=0) -> None:
        written = self.previous_row
        super()._write_single_row(current_row_num)
        self.row_info.pop(written, None)
        self.row_sizes.pop(written, None)

    def _write_url(self, row, col, url, cell_format=None, string=None, tip=None) -> int:
        result = super()._write_url(row, col, url, cell_format, string, tip)
        if result == 0:
            self.hyperlinks[row][col] = _KeptLink(self.hyperlinks[row][col])
        return result


class _Sheet:
    """A worksheet written top to bottom, with its formats and its link count."""

    def __init__(self, workbook, name, formats, widths):
        self.ws = workbook.add_worksheet(name, worksheet_class=_RowsFlushed)
        self.formats = formats
        self.widths = widths
        self.row = 0
        self.links = 0
        self.ws.set_default_row(LINE_HEIGHT)
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        self.ws.fit_to_pages(1, 0)  # as wide as one page, as long as it takes
        self.ws.set_footer("&C" + _("Page") + " &P / &N")

    def write_row(self, values, fmt="cell", links=()):
        """One row: `values` from column A, then `links` as (column, url, text)."""
        cell_format = self.formats[fmt]
        self.ws.set_row(self.row, self._height(values, links, fmt))
        for col, value in enumerate(values):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self.ws.write_number(self.row, col, value, cell_format)
            else:
                self.ws.write_string(self.row, col, _text(value), cell_format)
        for col, url, text in links:
            self._link(col, url, text)
        self.row += 1

    def _height(self, values, links, fmt) -> float:
        """Neither Excel nor LibreOffice sizes a written row to its wrapped text on opening: estimate it from
        the text's length in each column (Thai vowel and tone marks above and below take no width)."""
        if fmt in FIXED_HEIGHTS:
            return FIXED_HEIGHTS[fmt]
        texts = [(col, value) for col, value in enumerate(values) if isinstance(value, str)]
        texts += [(col, text) for col, _url, text in links]
        lines = 1
        for col, text in texts:
            # Thai text fills about four fifths of a column's width in characters.
            width = max(int(0.8 * (self.widths[col] if col < len(self.widths) else 10)) - 1, 1)
            count = sum(math.ceil(len(_MARKS.sub("", part)) / width) or 1 for part in str(text).split("\n"))
            lines = max(lines, count)
        return min(LINE_HEIGHT * lines + 2, MAX_ROW_HEIGHT)

    def header(self, values):
        """The column headings: frozen, repeated on printed pages, the top of the autofilter."""
        self.header_row = self.row
        self.write_row(values, "header")
        self.ws.freeze_panes(self.row, 0)
        self.ws.repeat_rows(self.header_row)

    def _link(self, col, url, text):
        """A real link when Excel can hold it (http(s), short enough) and the sheet has links left, else text."""
        row = self.row
        if url.startswith(("http://", "https://")) and len(url) <= MAX_URL and self.links < LINKS_PER_SHEET:
            self.ws.write_url(row, col, url, self.formats["link"], string=_text(text or url))
            self.links += 1
        else:
            self.ws.write_string(
                row, col, _text(f"{text} <{url}>" if text and text != url else url), self.formats["cell"]
            )

    def autofilter(self, last_col):
        self.ws.autofilter(self.header_row, 0, max(self.row - 1, self.header_row), last_col)


def _formats(workbook) -> dict:
    base = {"text_wrap": True, "valign": "top", "border": 1, "border_color": "#808080"}
    return {
        "title": workbook.add_format({"bold": True, "font_size": 18}),
        "subtitle": workbook.add_format({"bold": True, "font_size": 15}),
        "line": workbook.add_format({}),
        "section": workbook.add_format({"bold": True, "font_size": 15}),
        "header": workbook.add_format({**base, "bold": True, "bg_color": "#E6E6E6", "align": "center"}),
        "cell": workbook.add_format(base),
        "measure": workbook.add_format({**base, "bg_color": "#EEF3F9"}),
        "unapproved": workbook.add_format({**base, "italic": True, "bg_color": "#FFF4CE"}),
        "link": workbook.add_format({**base, "font_color": "#0B4F8A", "underline": 1}),
    }


def _evidence_target(evidence: Evidence, base_url: str) -> tuple[str, str]:
    """(url, text) of one evidence item: the link itself, or the file's permission-checked download."""
    if evidence.kind == Evidence.Kind.LINK:
        return evidence.url, evidence.description or evidence.url
    url = base_url.rstrip("/") + reverse("reports:evidence_download", args=[evidence.pk])
    return url, evidence.description or evidence.original_name or url


def _status_text(progress) -> str:
    return str(STATUS_LABELS.get(progress.report.status, progress.report.get_status_display()))


def _evidence_headers(count: int) -> list:
    return [_("Evidence %(number)s") % {"number": n} for n in range(1, count + 1)]


PLAN_HEADERS = [
    gettext_lazy("No."),
    gettext_lazy("Indicator"),
    gettext_lazy("Measure"),
    gettext_lazy("Steps / method of implementation"),
    gettext_lazy("Responsible"),
    gettext_lazy("Monitoring and reporting of results"),
]


def write_xlsx(document: ConsolidatedReport, output, *, base_url: str) -> None:
    """Write the workbook to `output` (a path or a binary file object)."""
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_urls": False,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "default_format_properties": {"font_name": FONT, "font_size": FONT_SIZE},
        },
    )
    workbook.set_properties(
        {"title": document.title, "subject": document.subtitle, "author": document.province}
    )
    formats = _formats(workbook)
    evidence_count = max(document.max_evidence, 1)

    _write_summary(workbook, formats, document)

    result_headers = [
        _("Agency"),
        _("Quarter"),
        _("Report status"),
        _("Implementation status"),
        _("Results"),
        _("Obstacles and suggestions"),
        *_evidence_headers(evidence_count),
    ]
    # Every sheet is made before any result is written, so they stand in reading order: the summary, the
    # indicators, the flat sheet last (constant memory allows writing to any sheet, each top to bottom).
    sheets = {}
    for plan_row in document.rows:
        if plan_row.indicator.pk not in sheets:
            sheets[plan_row.indicator.pk] = _indicator_sheet(
                workbook, formats, document, plan_row.indicator, result_headers, evidence_count
            )
    flat = _Sheet(
        workbook,
        _("All results"),
        formats,
        [7, 22, 7, 30, 9, 24, 7, 12, 12, 7, 40, 28, 12, 12] + [20] * evidence_count,
    )
    flat.header(
        [
            _("Indicator"),
            _("Indicator name"),
            _("Measure no."),
            _("Measure"),
            _("Agency code"),
            _("Agency"),
            _("Quarter"),
            _("Report status"),
            _("Implementation status"),
            _("Percent complete"),
            _("Results"),
            _("Obstacles and suggestions"),
            _("First submitted"),
            _("On time / late"),
            *_evidence_headers(evidence_count),
        ]
    )

    results = groupby(document.results(release=True), key=lambda progress: progress.measure_id)
    pending = next(results, None)
    for plan_row in document.rows:
        indicator = plan_row.indicator
        sheet = sheets[indicator.pk]
        measure = plan_row.measure
        if measure is None:
            sheet.write_row(
                [indicator.number, indicator.name, _("No measure has been entered for this indicator yet.")]
            )
            continue
        steps = "\n".join(f"{step.order}. {step.text}" for step in measure.steps.all())
        parts = "\n".join(measure.parts) if measure.parts else measure.text
        sheet.write_row(
            [measure.code, indicator.name, parts, steps, measure.responsible, measure.monitoring]
            + [""] * len(result_headers),
            "measure",
        )
        if pending is None or pending[0] != measure.pk:
            continue
        for progress in pending[1]:
            _write_result(sheet, flat, progress, measure, indicator, base_url)
        pending = next(results, None)
    for sheet in sheets.values():
        sheet.autofilter(len(PLAN_HEADERS) + len(result_headers) - 1)
    flat.autofilter(13 + evidence_count)
    workbook.close()


def _indicator_sheet(workbook, formats, document, indicator, result_headers, evidence_count):
    sheet = _Sheet(
        workbook,
        _("Indicator %(number)s") % {"number": indicator.number},
        formats,
        [5, 14, 22, 30, 14, 20, 20, 8, 12, 12, 36, 24] + [20] * evidence_count,
    )
    sheet.write_row([document.title], "title")
    sheet.write_row(
        [
            f"{document.subtitle} · "
            + _("Indicator %(number)s") % {"number": indicator.number}
            + f" {indicator.name}"
        ],
        "subtitle",
    )
    sheet.header([str(h) for h in PLAN_HEADERS] + result_headers)
    return sheet


def _write_result(sheet, flat, progress, measure, indicator, base_url):
    report = progress.report
    fmt = "unapproved" if report.status != report.Status.APPROVED else "cell"
    quarter = _("Quarter %(quarter)s") % {"quarter": report.period.quarter}
    status = _status_text(progress)
    implementation = progress.get_status_display() if progress.status else ""
    evidence = [_evidence_target(e, base_url) for e in progress.evidence.all()]

    sheet.write_row(
        [
            measure.code,
            "",
            "",
            "",
            "",
            "",
            report.agency.name,
            quarter,
            status,
            implementation,
            progress.result,
            progress.obstacles,
        ],
        fmt,
        links=[(12 + i, url, text) for i, (url, text) in enumerate(evidence)],
    )
    flat.write_row(
        [
            indicator.number,
            indicator.name,
            measure.code,
            measure.text,
            report.agency.code,
            report.agency.name,
            report.period.quarter,
            status,
            implementation,
            progress.percent if progress.percent is not None else "",
            progress.result,
            progress.obstacles,
            thaidate.local_date(report.first_submitted_at, short=True) if report.first_submitted_at else "",
            timeliness(report),
        ],
        fmt,
        links=[(14 + i, url, text) for i, (url, text) in enumerate(evidence)],
    )


def _write_summary(workbook, formats, document):
    periods = document.periods
    sheet = _Sheet(
        workbook, _("Summary"), formats, [8, 45, 16, 18, 16, 18, 18] + [16, 16] * max(len(periods) - 1, 0)
    )
    sheet.write_row([document.title], "title")
    sheet.write_row([document.subtitle], "subtitle")
    if document.province:
        sheet.write_row([document.province], "line")
    sheet.write_row([_("Exported on %(date)s") % {"date": document.exported_on_text}], "line")
    sheet.write_row(
        [
            _("Includes submitted reports not yet approved (marked).")
            if document.include_submitted
            else _("Approved reports only.")
        ],
        "line",
    )
    sheet.row += 1
    sheet.write_row([_("By indicator")], "section")
    sheet.write_row(
        [
            _("No."),
            _("Indicator"),
            _("Measures"),
            _("Agencies reported"),
            _("Of them approved"),
            _("Results marked done"),
            _("Results"),
        ],
        "header",
    )
    for s in document.indicator_summaries:
        sheet.write_row(
            [s.indicator.number, s.indicator.name, s.measures, s.reported, s.approved, s.done, s.results]
        )
    sheet.row += 1
    sheet.write_row([_("By agency")], "section")
    headings = [_("Code"), _("Agency")]
    for period in periods:
        quarter = _("Quarter %(quarter)s") % {"quarter": period.quarter}
        headings += [f"{quarter}: " + _("status"), f"{quarter}: " + _("on time / late")]
    # The agencies' list is what runs over several printed pages: its heading repeats on them (not the
    # indicators' heading above it, which printed over the agencies on page 2 before).
    sheet.write_row(headings, "header")
    sheet.ws.repeat_rows(sheet.row - 1)
    for summary in document.agency_summaries:
        values = [summary.agency.code, summary.agency.name]
        for quarter in summary.quarters:
            values += [quarter.status_label, quarter.timeliness]
        sheet.write_row(values)
