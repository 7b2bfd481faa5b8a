"""The plan as the official table: rows, with the cells the document merges.

The plan document merges the cells of consecutive rows that share the same text: the indicator of
the measures under one indicator, and the responsible-party and monitoring texts. Rather than
`rowspan` (which a printed page cannot split sensibly: the text would appear on the first page
only, and rows joined by a span cannot be kept whole), every row keeps all its cells and
`plan_rows()` marks a cell "continued" when it repeats the cell above. On screen a continued cell
shows as merged with the one above (no border between them, its text visually hidden but read by
screen readers); on paper every row is whole and keeps its text.
"""

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Prefetch

from measures import catalogue
from measures.models import FiscalYear, Indicator, Measure, MeasureStep


def plan_years() -> list[int]:
    """The B.E. years that have a plan (at least one indicator), newest first."""
    return list(
        FiscalYear.objects.filter(indicators__isnull=False)
        .distinct()
        .order_by("-year")
        .values_list("year", flat=True)
    )


def default_plan_year(years: list[int]) -> int | None:
    """The active fiscal year when it has a plan, else the newest year with one."""
    if not years:
        return None
    active = FiscalYear.objects.filter(is_active=True).values_list("year", flat=True).first()
    return active if active in years else years[0]


def plan_indicators(fiscal_year: FiscalYear):
    """The fiscal year's indicators with their measures and steps, in plan order, in three queries."""
    return (
        Indicator.objects.filter(fiscal_year=fiscal_year)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("order").prefetch_related(
                    Prefetch("steps", queryset=MeasureStep.objects.order_by("order"))
                ),
            )
        )
    )


@dataclass
class PlanRow:
    indicator: Indicator
    measure: Measure | None  # None for an indicator that has no measure yet
    # Whether the indicator has several measures (then each shows its code, e.g. 3.2).
    numbered: bool
    # Cells that repeat the cell above, shown merged with it.
    indicator_continued: bool = False
    responsible_continued: bool = False
    monitoring_continued: bool = False
    # The ITA's OIT items the measure answers (measures.catalogue.ItemRef), in the ITA's order.
    oit_items: list = field(default_factory=list)


def plan_rows(indicators) -> list[PlanRow]:
    """One row per measure, in order, with the document's merged cells marked as continued and the OIT items
    each measure answers (one query, through measures.catalogue: the mapping is the oit app's data)."""
    rows = []
    for indicator in indicators:
        measures = list(indicator.measures.all()) or [None]
        for position, measure in enumerate(measures):
            rows.append(
                PlanRow(
                    indicator=indicator,
                    measure=measure,
                    numbered=len(measures) > 1,
                    indicator_continued=position > 0,
                )
            )
    items = catalogue.items_by_measure(row.measure.pk for row in rows if row.measure is not None)
    for row in rows:
        if row.measure is not None:
            row.oit_items = items.get(row.measure.pk, [])
    for above, row in zip(rows, rows[1:], strict=False):
        if above.measure is not None and row.measure is not None:
            row.responsible_continued = row.measure.responsible == above.measure.responsible
            row.monitoring_continued = row.measure.monitoring == above.measure.monitoring
    return rows


@dataclass
class PlanGroup:
    """An indicator with its rows: the phone layout shows one card per indicator."""

    indicator: Indicator
    rows: list[PlanRow]


def plan_groups(rows: list[PlanRow]) -> list[PlanGroup]:
    return [
        PlanGroup(indicator, list(group)) for indicator, group in groupby(rows, key=lambda r: r.indicator)
    ]
