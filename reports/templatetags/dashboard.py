"""Template tags of the dashboard: the matrix cells, rendered in Python because a page has hundreds of them."""

from django import template
from django.utils.html import escape, format_html_join

from reports.dashboard.cells import CELL_SYMBOLS, CellState

register = template.Library()

# Placeholders: state, symbol, word, "done/total"[, url].
PLAIN = (
    '<td class="dash-cell dash-cell-{0}"><span class="dash-cell-count">{3}</span> '
    '<span class="dash-cell-text"><span aria-hidden="true">{1}</span> {2}</span></td>'
)
LINKED = (
    '<td class="dash-cell dash-cell-{0}"><a href="{4}"><span class="dash-cell-count">{3}</span> '
    '<span class="dash-cell-text"><span aria-hidden="true">{1}</span> {2}</span></a></td>'
)


@register.simple_tag(takes_context=True)
def matrix_cells(context, cells, url=None):
    """A matrix row's cells: colour class *and* text (count, symbol, word), each linked to the report.

    `{% matrix_cells row.cells row.report_url %}` renders what a template loop would, several times faster
    (a dashboard page has 500 cells). Every value is escaped, each distinct one once per row: the states'
    words and the few distinct counts, so format_html_join only passes already-escaped strings through.
    """
    states = {
        state: tuple(escape(v) for v in (state.value, CELL_SYMBOLS[state], state.label))
        for state in CellState
    }
    counts: dict = {}
    extra = (escape(url),) if url else ()

    def count(cell):
        key = (cell.done, cell.total)
        if key not in counts:
            counts[key] = escape(f"{cell.done}/{cell.total}")
        return counts[key]

    return format_html_join(
        "", LINKED if url else PLAIN, ((*states[c.state], count(c), *extra) for c in cells)
    )
