"""What the dashboard's cells and trend lines are made of: plain values, no queries.

A cell is "measures done / measures applicable" (of one agency and indicator in the matrix, of the province
and one indicator in the progress and trend tables) with its state in words and a symbol beside the colour.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from measures.models import Indicator


class CellState(models.TextChoices):
    COMPLETE = "complete", _("done")
    PARTIAL = "partial", _("partly done")
    NOT_DONE = "not_done", _("not done")
    NO_REPORT = "no_report", _("no report")


CELL_SYMBOLS = {
    CellState.COMPLETE: "✓",
    CellState.PARTIAL: "◐",
    CellState.NOT_DONE: "○",
    CellState.NO_REPORT: "–",
}


@dataclass(slots=True)
class Cell:
    done: int
    total: int
    has_report: bool = True
    state: CellState = field(init=False)

    def __post_init__(self):
        if not self.has_report:
            self.state = CellState.NO_REPORT
        elif self.total and self.done >= self.total:
            self.state = CellState.COMPLETE
        elif self.done:
            self.state = CellState.PARTIAL
        else:
            self.state = CellState.NOT_DONE

    @property
    def symbol(self) -> str:
        return CELL_SYMBOLS[self.state]

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


SPARK_WIDTH, SPARK_HEIGHT = 80, 24


def sparkline_points(percents) -> str:
    """SVG polyline points for quarterly percentages spread over the width (None = quarter not started)."""
    step = SPARK_WIDTH / max(len(percents) - 1, 1)
    points = []
    for index, pct in enumerate(percents):
        if pct is None:
            continue
        y = SPARK_HEIGHT - 2 - (SPARK_HEIGHT - 4) * pct / 100
        points.append(f"{index * step:.1f},{y:.1f}")
    return " ".join(points)


@dataclass
class TrendRow:
    indicator: Indicator | None
    cells: list  # one Cell (or None for a quarter not started) per period
    percents: list = field(default_factory=list)

    @property
    def points(self) -> str:
        return sparkline_points(self.percents)

    @property
    def spoken(self) -> str:
        """The sparkline as text for screen readers: 'ไตรมาส 1 50%, ไตรมาส 2 75%'."""
        return ", ".join(
            f"{gettext('Q%(q)s') % {'q': q}} {p}%"
            for q, p in enumerate(self.percents, start=1)
            if p is not None
        )
