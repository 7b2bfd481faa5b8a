"""Every view gets its objects here first: one getter per object kind, returning the object and what the user
may do with it.

A getter looks the object up in its model's `for_user()` queryset, so anything outside the user's scope is a
404 (another agency's report does not exist for its reporters), and applies the role gates it is given from
`reports.roles` (READER, REVIEWER, REPORTER), so a missing role is a 403. Gates about the user alone (READER,
REVIEWER) are checked before the lookup; REPORTER, which is about the object's agency, after it. The workflow
and the reporting services check the same gates again under the report's row lock, so a role taken away
between the page and the click is still refused.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from measures.models import Agency, ReportingPeriod
from reports import roles, workflow
from reports.models import Evidence, MeasureProgress, Notice, QuarterlyReport

# What the report pages show about the people of a report, fetched with it.
REPORT_RELATED = ("agency", "period__fiscal_year", "updated_by", "submitted_by", "decided_by")


@dataclass(frozen=True)
class May:
    """What one user may do with one report now."""

    read_all: bool  # reviewers and administrators read every agency's reports
    review: bool  # reviewers decide
    report: bool  # reporters of the report's agency
    edit: bool  # ... while the report is with the agency (draft or returned)
    transitions: tuple  # the workflow transitions the user may apply now (`workflow.Transition`)

    @property
    def decisions(self) -> list:
        """The reviewer's decisions available now, in the order the review page offers them."""
        return [t for t in workflow.DECISIONS if t in self.transitions]


def may(user, report: QuarterlyReport) -> May:
    is_reporter = roles.REPORTER.allows(user, report.agency_id)
    return May(
        read_all=roles.READER.allows(user),
        review=roles.REVIEWER.allows(user),
        report=is_reporter,
        edit=is_reporter and report.is_editable_by_agency,
        transitions=tuple(workflow.available_transitions(report, user)),
    )


def _user_gates(user, gates) -> None:
    for gate in gates:
        if gate is not roles.REPORTER:
            gate.check(user)


def _object_gates(user, gates, report: QuarterlyReport) -> None:
    if roles.REPORTER in gates:
        roles.REPORTER.check(user, report.agency_id)


def require(user, *gates) -> None:
    """For pages without an object of their own (the inbox, the dashboards): 403 unless every gate passes."""
    for gate in gates:
        gate.check(user)


def reporter_agency(user) -> Agency:
    """The agency `user` reports for (403 for anyone who is not an agency's reporter)."""
    roles.REPORTER.check(user)
    return roles.user_agency(user)


def period(user, pk: int, *gates) -> ReportingPeriod:
    """A reporting period (404 if there is none), with its fiscal year."""
    _user_gates(user, gates)
    return get_object_or_404(ReportingPeriod.objects.select_related("fiscal_year"), pk=pk)


def report(user, pk: int, *gates) -> tuple[QuarterlyReport, May]:
    """A report the user may read, with its agency, period and people."""
    _user_gates(user, gates)
    found = get_object_or_404(QuarterlyReport.objects.for_user(user).select_related(*REPORT_RELATED), pk=pk)
    _object_gates(user, gates, found)
    return found, may(user, found)


def progress(user, pk: int, *gates) -> tuple[MeasureProgress, May]:
    """One measure's progress row of a report the user may read, with its report and measure."""
    _user_gates(user, gates)
    queryset = MeasureProgress.objects.for_user(user).select_related(
        "report__agency", "report__period__fiscal_year", "measure__indicator"
    )
    found = get_object_or_404(queryset, pk=pk)
    _object_gates(user, gates, found.report)
    return found, may(user, found.report)


def evidence(user, pk: int, *gates, kind: str | None = None) -> tuple[Evidence, May]:
    """A piece of evidence of a report the user may read (of one `kind` only, when given)."""
    _user_gates(user, gates)
    queryset = Evidence.objects.for_user(user).select_related(
        "progress__report__agency", "progress__report__period__fiscal_year", "progress__measure__indicator"
    )
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    found = get_object_or_404(queryset, pk=pk)
    _object_gates(user, gates, found.progress.report)
    return found, may(user, found.progress.report)


def notice(user, pk: int) -> Notice:
    """One of the user's own notices (anyone else's is a 404)."""
    return get_object_or_404(
        Notice.objects.for_user(user).select_related("period__fiscal_year", "agency"), pk=pk
    )


def active_agency(user, pk: int, *gates) -> Agency:
    """An active agency (404 if there is none), for pages about an agency without a report of its own."""
    _user_gates(user, gates)
    return get_object_or_404(Agency.objects.active(), pk=pk)
