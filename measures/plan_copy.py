"""Copy a fiscal year's plan forward: `copy_plan 2565 2566` and the fiscal year admin's action.

The new year gets the same indicators, measures (with the agencies each applies to), steps and reporting periods,
the periods' dates moved by the years between the two; each copied measure remembers its original
(`Measure.copied_from`). The old year is only read. A target year that already has a plan is refused: the copy
never mixes into an existing plan (edit it, or import a file, instead). The year's results text is its own and
is not copied; neither are the OIT item links (a new year has its own items, whose codes move).
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction

from measures import thaidate
from measures.models import FiscalYear, Indicator, Measure, MeasureStep, ReportingPeriod


class PlanCopyError(Exception):
    pass


def shift_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _retitle(title: str, source: int, target: int) -> str:
    """The title with the source year (in Thai or Arabic digits) replaced by the target year, digits alike."""
    thai_source, thai_target = thaidate.to_thai_digits(str(source)), thaidate.to_thai_digits(str(target))
    title = re.sub(rf"(?<![0-9๐-๙]){thai_source}(?![0-9๐-๙])", thai_target, title)
    return re.sub(rf"(?<![0-9๐-๙]){source}(?![0-9๐-๙])", str(target), title)


@transaction.atomic
def copy_plan(source_year: int, target_year: int) -> tuple[FiscalYear, list[str]]:
    """Copy fiscal year `source_year`'s plan into `target_year`; return the new year and what was created."""
    if source_year == target_year:
        raise PlanCopyError("the source and target years are the same")
    if not 2500 <= target_year <= 2700:
        raise PlanCopyError(f"the fiscal year {target_year} is not a B.E. year such as 2566")
    source = FiscalYear.objects.filter(year=source_year).first()
    if source is None or not source.indicators.exists():
        raise PlanCopyError(f"fiscal year {source_year} has no plan to copy")
    target = FiscalYear.objects.select_for_update().filter(year=target_year).first()
    if target is not None and target.indicators.exists():
        raise PlanCopyError(f"fiscal year {target_year} already has a plan; it is not overwritten")
    changes = []
    title = _retitle(source.title, source_year, target_year)
    if target is None:
        target = FiscalYear.objects.create(year=target_year, title=title, source_name=source.source_name)
        changes.append(f"created fiscal year {target_year}")
    else:
        target.title = target.title or title
        target.source_name = target.source_name or source.source_name
        target.save(update_fields=["title", "source_name"])
    years = target_year - source_year

    existing_quarters = set(target.periods.values_list("quarter", flat=True))
    for period in source.periods.order_by("quarter"):
        if period.quarter in existing_quarters:
            continue
        ReportingPeriod.objects.create(
            fiscal_year=target,
            quarter=period.quarter,
            start_date=shift_years(period.start_date, years),
            end_date=shift_years(period.end_date, years),
            due_date=shift_years(period.due_date, years),
        )
        changes.append(f"created reporting period Q{period.quarter}")
    target.ensure_periods()

    measures = Measure.objects.filter(indicator__fiscal_year=source).prefetch_related("steps", "agencies")
    by_indicator: dict[int, list[Measure]] = {}
    for measure in measures.order_by("order"):
        by_indicator.setdefault(measure.indicator_id, []).append(measure)
    for indicator in source.indicators.order_by("number"):
        copy = Indicator.objects.create(
            fiscal_year=target,
            number=indicator.number,
            name_th=indicator.name_th,
            name_en=indicator.name_en,
            official_name_th=indicator.official_name_th,
            group=indicator.group,
        )
        changes.append(f"created indicator {indicator.number}")
        for measure in by_indicator.get(indicator.pk, []):
            new = Measure.objects.create(
                indicator=copy,
                order=measure.order,
                text=measure.text,
                parts=measure.parts,
                responsible=measure.responsible,
                monitoring=measure.monitoring,
                applies_to_all=measure.applies_to_all,
                copied_from=measure,
            )
            new.agencies.set(measure.agencies.all())
            MeasureStep.objects.bulk_create(
                MeasureStep(measure=new, order=step.order, text=step.text, sub_points=step.sub_points)
                for step in measure.steps.all()
            )
            changes.append(f"created measure {indicator.number}.{measure.order} from {source_year}")
    return target, changes
