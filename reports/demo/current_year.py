"""The demo's current fiscal year: a copy of the FY 2565 plan with due dates around today (Asia/Bangkok).

The shipped plan is FY 2565's, years in the past; a new user of `make run` should still see a live year: a
deadline in the coming days, a countdown, reminders that fire. So the demo copies the plan into the fiscal year
of today (2570 on 1 December 2026), makes the quarter being reported on due in a few days, and lends the year
FY 2565's ITA catalogue and links (the office loads the real ones with the import commands). FY 2565 keeps its
sample reports as history. A second run changes nothing: once the year has a plan, it is the admin's.
"""

import datetime
from dataclasses import dataclass, field

from measures import thaidate
from measures.models import FiscalYear, ReportingPeriod, period_under_review
from measures.plan_copy import copy_plan
from oit.catalogue_import import link_copies_like_originals, load_year

# The quarter being reported on is due this many days from today: inside the 7-day reminder window.
DAYS_TO_DEADLINE = 6


@dataclass
class CurrentYear:
    fiscal_year: FiscalYear | None
    created: bool
    changes: list[str] = field(default_factory=list)
    deadline: ReportingPeriod | None = None  # the quarter made due in a few days


def ensure_current_year(source: FiscalYear, data_dir, today: datetime.date | None = None) -> CurrentYear:
    """Copy `source`'s plan into today's fiscal year unless that year already has a plan (or is `source`)."""
    today = today or thaidate.today()
    year = thaidate.fiscal_year_of(today)
    existing = FiscalYear.objects.filter(year=year).first()
    if year <= source.year or (existing is not None and existing.indicators.exists()):
        return CurrentYear(existing, created=False)
    target, changes = copy_plan(source.year, year)
    period = period_under_review(list(target.periods.all()), today)
    period.due_date = max(period.start_date, today + datetime.timedelta(days=DAYS_TO_DEADLINE))
    period.save(update_fields=["due_date"])
    changes.append(f"Q{period.quarter} of {year} due on {period.due_date.isoformat()}")
    for name, lent in load_year(data_dir, year=year, files_of=source.year).items():
        changes.append(f"{name} lent to {year}: {len(lent)} change(s)")
    changes.append(f"{link_copies_like_originals(target)} measure–item link(s) like {source.year}'s")
    return CurrentYear(target, created=True, changes=changes, deadline=period)
