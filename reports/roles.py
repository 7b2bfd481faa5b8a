"""Roles, as Django groups carrying permissions, and the role gates. Code checks permissions, never group names.

This is the data layer of access control, below the models (whose `for_user()` scopes use it): who holds which
role, and the three gates (READER, REVIEWER, REPORTER), each named once here. `reports.access` applies them to
the objects views ask for; `reports.workflow` and the reporting services check the same gates again under the
report's row lock.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from measures.models import Membership

# Permission codenames (declared on QuarterlyReport.Meta.permissions).
SUBMIT = "reports.submit_quarterlyreport"  # edit and submit one's own agency's reports
REVIEW = "reports.review_quarterlyreport"  # approve / return / reopen
VIEW_ALL = "reports.view_all_quarterlyreport"  # read every agency's reports, dashboards

# Group names are what administrators see in the admin: Thai first, with the English role name.
REPORTER_GROUP = "ผู้รายงานของส่วนราชการ (agency reporter)"
REVIEWER_GROUP = "ผู้ตรวจสอบของจังหวัด (provincial reviewer)"
ADMIN_GROUP = "ผู้ดูแลระบบ (administrator)"
# Earlier names of the same groups, renamed in place by setup_groups() so their members keep their role.
FORMER_NAMES = {
    REPORTER_GROUP: "agency reporter",
    REVIEWER_GROUP: "provincial reviewer",
    ADMIN_GROUP: "administrator",
}

ROLE_PERMISSIONS = {
    REPORTER_GROUP: ["submit_quarterlyreport"],
    REVIEWER_GROUP: ["review_quarterlyreport", "view_all_quarterlyreport"],
    ADMIN_GROUP: ["view_all_quarterlyreport"],
}
# Administrators edit the plan, agencies, periods and users in the admin.
ADMIN_MODEL_PERMISSIONS = [
    (
        "measures",
        ["fiscalyear", "reportingperiod", "indicator", "measure", "measurestep", "agency", "membership"],
    ),
    ("auth", ["user"]),
]


def setup_groups() -> dict[str, Group]:
    """Create or update the three role groups with their permissions (idempotent).

    A group still under its former name is renamed, so the users in it keep their role.
    """
    groups = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        if not Group.objects.filter(name=name).exists():
            Group.objects.filter(name=FORMER_NAMES[name]).update(name=name)
        group, _created = Group.objects.get_or_create(name=name)
        perms = list(Permission.objects.filter(content_type__app_label="reports", codename__in=codenames))
        if name == ADMIN_GROUP:
            for app_label, models in ADMIN_MODEL_PERMISSIONS:
                perms += list(
                    Permission.objects.filter(
                        content_type__app_label=app_label, content_type__model__in=models
                    )
                )
            perms += list(
                Permission.objects.filter(
                    content_type__app_label="reports",
                    codename__in=["view_quarterlyreport", "view_reportevent"],
                )
            )
        group.permissions.set(perms)
        groups[name] = group
    return groups


def user_agency(user):
    """The agency a user reports for, or None (reviewers and admins usually have none)."""
    return Membership.agency_of(user)


def is_reviewer(user) -> bool:
    return user.is_authenticated and user.has_perm(REVIEW)


def can_view_all(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_ALL)


def can_report(user) -> bool:
    return user.is_authenticated and user.has_perm(SUBMIT) and user_agency(user) is not None


def reports_for(user, agency_id) -> bool:
    """True when `user` is a reporter of the agency `agency_id` (whatever its reports' statuses)."""
    if not can_report(user):
        return False
    return user_agency(user).pk == agency_id


# --- the role gates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gate:
    """A role gate: who passes it, and what someone who does not is told (with a 403)."""

    name: str
    passes: Callable  # (user, agency_id or None) -> bool
    refusal: Promise

    def allows(self, user, agency_id=None) -> bool:
        return self.passes(user, agency_id)

    def check(self, user, agency_id=None) -> None:
        if not self.allows(user, agency_id):
            raise PermissionDenied(str(self.refusal))


# Reviewers and administrators read every agency's reports, the inbox and the dashboards.
READER = Gate(
    "reader",
    lambda user, _agency_id: can_view_all(user),
    _("Only provincial reviewers and administrators can see this page."),
)
# Reviewers approve, return and reopen reports.
REVIEWER = Gate(
    "reviewer", lambda user, _agency_id: is_reviewer(user), _("Only provincial reviewers can do this.")
)
# An agency's reporters change and submit its reports; without an agency, any agency's reporter passes.
REPORTER = Gate(
    "reporter",
    lambda user, agency_id: can_report(user) if agency_id is None else reports_for(user, agency_id),
    _("Only reporters of this agency can change its report."),
)


# --- who holds a role ------------------------------------------------------------------------------------


def users_with_permission(perm: str):
    """Active users holding `perm` ("app_label.codename") through a group, directly, or as superusers.

    One queryset (subqueries, no DISTINCT), usable inside `__in` and Prefetch.
    """
    app_label, codename = perm.split(".")
    perm_ids = Permission.objects.filter(content_type__app_label=app_label, codename=codename).values("pk")
    User = get_user_model()
    via_group = User.groups.through.objects.filter(group__permissions__in=perm_ids).values("user_id")
    direct = User.user_permissions.through.objects.filter(permission__in=perm_ids).values("user_id")
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(pk__in=via_group) | Q(pk__in=direct)
    )


def reporter_memberships():
    """Memberships of the agencies' reporters (submit permission, an e-mail address), with their users."""
    return (
        Membership.objects.filter(user__in=users_with_permission(SUBMIT))
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
