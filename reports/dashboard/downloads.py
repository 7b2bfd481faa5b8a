"""The dashboard's and the rounds' tables as CSV and XLSX, with exactly the filters on screen.

    /dashboard/matrix.<csv|xlsx>?year=&quarter=&status=&q=    the agencies × indicators matrix (every page of it)
    /dashboard/late.<csv|xlsx>?year=&quarter=                 the late agencies with their contacts
    /dashboard/rounds/<6|12>/agencies.<csv|xlsx>?year=        each agency's standing per quarter of the round
    /dashboard/rounds/<6|12>/indicators.<csv|xlsx>?year=      each indicator's measures done per quarter

The matrix reads the dashboard's FilterSet (`filters.agency_standing`) from the same query string as the page,
so the file lists the agencies the screen lists; the other tables take the year (and quarter) the same way as
their pages. Reviewers and administrators only, as the pages.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from measures import thaidate
from measures.models import ReportingPeriod
from reports import access, roles
from reports.dashboard import filters, rounds, selectors
from reports.roles import reporter_memberships
from satun_ita.tables import table_response

EVERY_AGENCY = 1_000_000_000  # one page holding every agency


def _no_link(_pk):
    return None


def _cell_text(cell) -> str:
    return f"{cell.done}/{cell.total}" if cell is not None and cell.has_report else "–"


def _filterset(request):
    filterset = filters.agency_standing(request.GET)
    if filterset is None:
        raise Http404("No fiscal year with reporting periods.")
    return filterset


def _period_name(period) -> str:
    return f"{period.fiscal_year.year}-q{period.quarter}"


@require_GET
@login_required
def matrix(request, fmt):
    access.require(request.user, roles.READER)
    today = thaidate.today()
    filterset = _filterset(request)
    period = filterset.selection.period
    plan = selectors.load_plan(filterset.selection.fiscal_year)
    rows = selectors.matrix_rows(
        request.user, list(filterset.qs), period, plan, today=today, report_url=_no_link
    )
    headers = [_("Code"), _("Agency"), _("Standing"), _("Overdue")] + [
        _("Indicator %(number)s") % {"number": i.number} for i in plan.indicators
    ]
    table = (
        [
            row.agency.code,
            row.agency.name,
            row.standing.label,
            _("Yes") if row.overdue else "",
            *(_cell_text(cell) for cell in row.cells),
        ]
        for row in rows
    )
    return table_response(
        fmt,
        f"dashboard-{_period_name(period)}-matrix",
        _("Matrix"),
        headers,
        table,
        widths=[10, 45, 16, 10] + [13] * len(plan.indicators),
    )


@require_GET
@login_required
def late(request, fmt):
    access.require(request.user, roles.READER)
    today = thaidate.today()
    period = _filterset(request).selection.period
    agencies = selectors.filter_standing(
        selectors.agencies_with_standing(period), selectors.OVERDUE, period, today
    ).order_by("order", "code")
    reporters = {}
    for membership in reporter_memberships().filter(agency__in=agencies.values("pk")):
        reporters.setdefault(membership.agency_id, []).append(membership)
    headers = [_("Code"), _("Agency"), _("Standing"), _("Days overdue"), _("Agency contact"), _("Reporters")]
    days = (today - period.due_date).days
    table = (
        [
            agency.code,
            agency.name,
            selectors.Standing(agency.standing).label,
            days,
            " ".join(v for v in (agency.email, agency.phone) if v),
            "; ".join(
                " ".join(v for v in (m.user.get_full_name() or m.user.username, m.user.email, m.phone) if v)
                for m in reporters.get(agency.pk, [])
            ),
        ]
        for agency in agencies
    )
    return table_response(
        fmt,
        f"dashboard-{_period_name(period)}-late",
        _("Late agencies"),
        headers,
        table,
        widths=[10, 45, 16, 10, 30, 60],
    )


def _round(request, months):
    access.require(request.user, roles.READER)
    if months not in rounds.ROUND_QUARTERS:
        raise Http404("There are 6- and 12-month rounds only.")
    today = thaidate.today()
    selection = selectors.select_period(request.GET.get("year"), today=today)
    if selection.fiscal_year is None:
        raise Http404("No fiscal year with reporting periods.")
    built = rounds.build_round(
        request.user, selection, months, today=today, report_url=_no_link, page_size=EVERY_AGENCY
    )
    return selection, built


def _round_label(months) -> str:
    return {6: ReportingPeriod.Round.SIX_MONTHS, 12: ReportingPeriod.Round.TWELVE_MONTHS}[months].label


@require_GET
@login_required
def round_agencies(request, months, fmt):
    months = int(months)
    selection, built = _round(request, months)
    periods = built["round_periods"]
    headers = [_("Code"), _("Agency")]
    headers += [_("Quarter %(quarter)s") % {"quarter": p.quarter} for p in periods]
    headers.append(_("Measures done in the latest quarter"))
    table = (
        [
            row.agency.code,
            row.agency.name,
            *(
                standing.label + (f" ({_('Overdue')})" if overdue else "")
                for _period, standing, overdue, _url, _days_late in row.quarters
            ),
            _cell_text(row.latest),
        ]
        for row in built["agency_rows"]
    )
    return table_response(
        fmt,
        f"round-{selection.fiscal_year.year}-{months}m-agencies",
        _round_label(months),
        headers,
        table,
        widths=[10, 45] + [22] * len(periods) + [16],
    )


@require_GET
@login_required
def round_indicators(request, months, fmt):
    months = int(months)
    selection, built = _round(request, months)
    periods = built["round_periods"]
    headers = [_("No."), _("Indicator")] + [
        _("Quarter %(quarter)s") % {"quarter": p.quarter} for p in periods
    ]
    rows = list(built["indicator_rows"])
    if built.get("overall") is not None:
        rows.append(built["overall"])
    table = (
        [
            row.indicator.number if row.indicator else "",
            row.indicator.name if row.indicator else _("All indicators"),
            *(f"{c.done}/{c.total} ({c.percent}%)" if c is not None else "–" for c in row.cells),
        ]
        for row in rows
    )
    return table_response(
        fmt,
        f"round-{selection.fiscal_year.year}-{months}m-indicators",
        _round_label(months),
        headers,
        table,
        widths=[7, 45] + [18] * len(periods),
    )
