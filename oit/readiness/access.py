"""Who may see and fill in an OIT checklist: every getter and gate of the oit pages, in one place.

The roles are the portal's (reports/roles.py defines the groups): an agency reporter fills in its own agency's
checklist; a provincial reviewer or an administrator reads every agency's and the province's readiness. oit
does not import reports (the dependency points the other way), so the permissions are named here as strings.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from measures.models import Agency, FiscalYear, Membership

SUBMIT = "reports.submit_quarterlyreport"  # edits its own agency's reports: fills in its checklist
VIEW_ALL = "reports.view_all_quarterlyreport"  # reads every agency's reports: reads every checklist


def user_agency(user):
    return Membership.agency_of(user)


def can_view_all(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_ALL)


def can_edit(user, agency) -> bool:
    """Only the agency's own reporters fill in its checklist (reviewers read it)."""
    return user.is_authenticated and user.has_perm(SUBMIT) and user_agency(user) == agency


def get_year(year: int) -> FiscalYear:
    return get_object_or_404(FiscalYear, year=year)


def get_agency_for_user(user, code: str) -> Agency:
    """The agency whose checklist `user` may read, else 404 (another agency's reporter learns nothing)."""
    agency = get_object_or_404(Agency, code=code)
    if can_view_all(user) or can_edit(user, agency):
        return agency
    raise Http404
