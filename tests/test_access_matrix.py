"""The whole access matrix: every URL pattern × five roles × GET and POST, with objects of agency A and B.

`EXPECTED` below is the one table. Each row names a URL pattern (``namespace:name``, or the route for an unnamed
pattern, or a glob such as ``admin:*``) and gives, for GET and for POST, the status each role gets, in the order

    anonymous, reporter of agency A, reporter of agency B, reviewer, administrator

A cell is a status code, `LOGIN` (a redirect to the portal's login page), `ADMIN_LOGIN` (a redirect to the admin's
login page), a pair ``(status for A's object, status for B's object)`` when the URL takes an agency's object, or a
set of acceptable statuses (only for the Django admin's own pages as seen by the administrator: they are tested
page by page in tests/test_admin.py). POSTs are empty forms (CSRF checks off, as in Django's test client): what a
role may *reach*; what it may *write* is tested per view and in tests/test_hostile_input.py. A refused POST
(anything but 2xx/3xx for the rightful user) must leave the database as it was.

**Adding a URL?** Add its row here, in the same commit. Choose each cell by what the role *should* get, run
``pytest tests/test_access_matrix.py``, and read every mismatch: the failure names the pattern, the role, the
method and the owner of the object. A URL pattern without a row fails `test_every_url_pattern_has_a_row`.
URL arguments are filled by `ARGUMENTS` (by argument name, per row when the name is ambiguous); add the kind of
object your URL takes to `World` if it is new.
"""

import fnmatch
import hashlib
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from measures.models import FiscalYear, ReportingPeriod
from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    LinkEvidenceFactory,
    MeasureFactory,
    MeasureProgressFactory,
    QuarterlyReportFactory,
    make_admin,
    make_reporter,
    make_reviewer,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reporter_a", "reporter_b", "reviewer", "admin")
LOGIN = "login"  # 302 to the portal's login page
ADMIN_LOGIN = "admin login"  # 302 to the admin's login page
# The administrator on Django's own admin pages: shown (200), sent on (302) or refused by the ModelAdmin's own
# permissions (403: history is read-only), or a page that only answers GET (405); never "not found" or an error.
ADMIN_OWN = frozenset({200, 302, 403, 405})


@dataclass(frozen=True)
class Row:
    get: tuple
    post: tuple
    # Argument name -> kind of object (a `World` attribute; "a"/"b" objects when the kind is agency-owned), or a
    # literal value. Arguments not named here come from `ARGUMENTS`.
    kwargs: dict = field(default_factory=dict)


# Kinds of object an agency owns: a URL taking one is requested with A's object and with B's.
OWNED = {"report", "progress", "evidence", "file_evidence"}
# Default URL arguments, by name.
ARGUMENTS = {
    "pk": "report",
    "progress_id": "progress",
    "period_id": "period",
    "year": 2565,
    "months": 6,
    "object_id": "1",
    "id": "admin_user",  # the admin's password form for a user: the administrator's own account
    "content_type_id": 1,
    "app_label": "reports",
    "url": "nothing-here/",
    "token": "forged-token",
    "number": 1,
    "code": "agency_code",
    "fmt": "csv",
    "report_id": "report",
    "evidence_id": "evidence",
}

# fmt: off
EXPECTED = {
    # --- public pages and accounts -------------------------------------------------------------------------------
    #                                anonymous     reporter A    reporter B    reviewer  admin
    "home":                 Row(get=(200,          302,          302,          302,      302),
                                post=(405,         405,          405,          405,      405)),
    "plan":                 Row(get=(200,          200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    "plan_year":            Row(get=(200,          200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    "login":                Row(get=(200,          302,          302,          302,      302),
                                post=(200,         302,          302,          302,      302)),
    "logout":               Row(get=(405,          405,          405,          405,      405),
                                post=(302,         302,          302,          302,      302)),
    "password_change":      Row(get=(LOGIN,        200,          200,          200,      200),
                                post=(LOGIN,       200,          200,          200,      200)),
    "password_change_done": Row(get=(LOGIN,        200,          200,          200,      200),
                                post=(LOGIN,       405,          405,          405,      405)),
    # Sign-in protection: the unlock link is asked for from the lockout page and opened from an e-mail, by
    # anyone (a forged token is refused with 400; tests/test_login_attacks.py has the real ones).
    "loginguard:unlock_request": Row(
                                get=(405,          405,          405,          405,      405),
                                post=(200,         200,          200,          200,      200)),
    "loginguard:unlock":    Row(get=(400,          400,          400,          400,      400),
                                post=(400,         400,          400,          400,      400)),
    "set_language":         Row(get=(302,          302,          302,          302,      302),
                                post=(302,         302,          302,          302,      302)),

    # --- password reset (accounts/): for anyone; a forged reset link shows the "link no longer works" page -----
    "password_reset":       Row(get=(200,          200,          200,          200,      200),
                                post=(200,         200,          200,          200,      200)),
    "password_reset_done":  Row(get=(200,          200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    "password_reset_confirm": Row(
                                get=(200,          200,          200,          200,      200),
                                post=(200,         200,          200,          200,      200),
                                kwargs={"uidb64": "MQ"}),
    "password_reset_complete": Row(
                                get=(200,          200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    # --- health (ops/): for the load balancer, no login -------------------------------------------------------
    "healthz":              Row(get=(200,          200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405)),

    # --- agency reporting ---------------------------------------------------------------------------------------
    "reports:agency_home":  Row(get=(LOGIN,        200,          200,          302,      302),
                                post=(LOGIN,       405,          405,          405,      405)),
    "reports:start_report": Row(get=(LOGIN,        405,          405,          405,      405),
                                post=(LOGIN,       302,          302,          403,      403)),
    "reports:report":       Row(get=(LOGIN,        (200, 404),   (404, 200),   200,      200),
                                post=(LOGIN,       (400, 404),   (404, 400),   403,      403)),
    "reports:prefill":      Row(get=(LOGIN,        405,          405,          405,      405),
                                post=(LOGIN,       (302, 404),   (404, 302),   403,      403)),
    "reports:evidence":     Row(get=(LOGIN,        (200, 404),   (404, 200),   403,      403),
                                post=(LOGIN,       405,          405,          405,      405)),
    "reports:evidence_add_link": Row(
                                get=(LOGIN,        405,          405,          405,      405),
                                post=(LOGIN,       (400, 404),   (404, 400),   403,      403)),
    "reports:evidence_add_file": Row(
                                get=(LOGIN,        405,          405,          405,      405),
                                post=(LOGIN,       (400, 404),   (404, 400),   403,      403)),
    "reports:evidence_remove": Row(
                                get=(LOGIN,        405,          405,          405,      405),
                                post=(LOGIN,       (302, 404),   (404, 302),   403,      403),
                                kwargs={"pk": "evidence"}),
    "reports:evidence_download": Row(
                                get=(LOGIN,        (200, 404),   (404, 200),   200,      200),
                                post=(LOGIN,       405,          405,          405,      405),
                                kwargs={"pk": "file_evidence"}),

    # --- review (the administrator is a superuser, like the demo's `admin`: Django gives superusers every
    # permission, so they may decide too; an empty decision form is shown again with its errors) ------------------
    "reports:review_inbox": Row(get=(LOGIN,        403,          403,          200,      200),
                                post=(LOGIN,       405,          405,          405,      405)),
    "reports:review":       Row(get=(LOGIN,        403,          403,          200,      200),
                                post=(LOGIN,       405,          405,          405,      405)),
    "reports:review_approve": Row(
                                get=(LOGIN,        405,          405,          405,      405),
                                post=(LOGIN,       403,          403,          200,      200)),
    "reports:review_return": Row(
                                get=(LOGIN,        405,          405,          405,      405),
                                post=(LOGIN,       403,          403,          200,      200)),
    "reports:review_reopen": Row(
                                get=(LOGIN,        405,          405,          405,      405),
                                post=(LOGIN,       403,          403,          200,      200)),

    # --- dashboard ---------------------------------------------------------------------------------------------
    "reports:dashboard":    Row(get=(LOGIN,        403,          403,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    "reports:round":        Row(get=(LOGIN,        403,          403,          200,      200),
                                post=(405,         405,          405,          405,      405)),

    # The dashboard's and rounds' tables as CSV/XLSX: what the page shows, to whom it shows it.
    "reports:dashboard_matrix": Row(
                                get=(LOGIN,        403,          403,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    "reports:dashboard_late": Row(
                                get=(LOGIN,        403,          403,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    "reports:round_agencies": Row(
                                get=(LOGIN,        403,          403,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    "reports:round_indicators": Row(
                                get=(LOGIN,        403,          403,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    # Reviewers remind an agency that has not submitted (agency A's draft: sent on with a message).
    "reports:remind_agency": Row(
                                get=(LOGIN,        405,          405,          405,      405),
                                post=(LOGIN,       403,          403,          302,      302),
                                kwargs={"agency_id": "agency_a_id"}),

    # --- the consolidated report (reports/exports/): reviewers export every agency, a reporter their own -------
    "reports:export":       Row(get=(LOGIN,        200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405),
                                kwargs={"scope": "q1", "fmt": "xlsx"}),
    "reports:export_print": Row(get=(LOGIN,        200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405),
                                kwargs={"scope": "q1"}),

    "reports:export_job":   Row(get=(LOGIN,        404,          404,          404,      404),
                                post=(405,         405,          405,          405,      405),
                                kwargs={"job_id": "no-such-job"}),

    # --- the OIT checklist and readiness (oit/readiness/): a reporter fills in their own agency's (A's here),
    # reviewers read every agency's and the province's readiness ----------------------------------------------
    "oit:index":            Row(get=(LOGIN,        302,          302,          302,      302),
                                post=(LOGIN,       405,          405,          405,      405)),
    "oit:readiness":        Row(get=(LOGIN,        403,          403,          200,      200),
                                post=(LOGIN,       405,          405,          405,      405)),
    "oit:checklist":        Row(get=(LOGIN,        200,          404,          200,      200),
                                post=(LOGIN,       200,          404,          403,      403)),
    "oit:answers_csv":      Row(get=(LOGIN,        200,          404,          200,      200),
                                post=(LOGIN,       405,          405,          405,      405)),
    "oit:answers_xlsx":     Row(get=(LOGIN,        200,          404,          200,      200),
                                post=(LOGIN,       405,          405,          405,      405)),

    # --- notices (each user's own; another's is a 404, tested in tests/test_notices.py) ----------------------
    "reports:notices":      Row(get=(LOGIN,        200,          200,          200,      200),
                                post=(LOGIN,       405,          405,          405,      405)),
    "reports:notice":       Row(get=(LOGIN,        404,          404,          404,      404),
                                post=(LOGIN,       405,          405,          405,      405),
                                kwargs={"pk": 999999}),
    "reports:notice_read_all": Row(
                                get=(LOGIN,        405,          405,          405,      405),
                                post=(LOGIN,       302,          302,          302,      302)),

    # --- the public side (transparency/): the same for everyone; only approved reports are shown, so the
    # draft reports of A and B and their evidence are not found ---------------------------------------------------
    "sitemap":              Row(get=(200,          200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    "sitemap_section":      Row(get=(200,          200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405),
                                kwargs={"section": "public"}),
    "robots_txt":           Row(get=(200,          200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    "transparency:*":       Row(get=(200,          200,          200,          200,      200),
                                post=(405,         405,          405,          405,      405)),
    "transparency:evidence": Row(get=(404,         404,          404,          404,      404),
                                post=(405,         405,          405,          405,      405)),
    "transparency:set_language": Row(
                                get=(405,          405,          405,          405,      405),
                                post=(302,         302,          302,          302,      302)),

    # --- administrators' changes (audit/), for reviewers and administrators --------------------------------------
    "audit:changes":        Row(get=(LOGIN,        403,          403,          200,      200),
                                post=(LOGIN,       405,          405,          405,      405)),

    # --- the Django admin (administrators; nobody else gets past its login) ------------------------------------------
    "admin:login":          Row(get=(200,          200,          200,          200,      302),
                                post=(200,         200,          200,          200,      200)),
    "admin:logout":         Row(get=(302,          302,          302,          302,      405),
                                post=(302,         302,          302,          302,      302)),
    "admin:view_on_site":   Row(get=(ADMIN_LOGIN,  ADMIN_LOGIN,  ADMIN_LOGIN,  ADMIN_LOGIN, 404),
                                post=(ADMIN_LOGIN, ADMIN_LOGIN,  ADMIN_LOGIN,  ADMIN_LOGIN, 404)),
    "admin:*":              Row(get=(ADMIN_LOGIN,  ADMIN_LOGIN,  ADMIN_LOGIN,  ADMIN_LOGIN, ADMIN_OWN),
                                post=(ADMIN_LOGIN, ADMIN_LOGIN,  ADMIN_LOGIN,  ADMIN_LOGIN, ADMIN_OWN)),
    "admin/*":              Row(get=(ADMIN_LOGIN,  ADMIN_LOGIN,  ADMIN_LOGIN,  ADMIN_LOGIN, ADMIN_OWN | {404}),
                                post=(ADMIN_LOGIN, ADMIN_LOGIN,  ADMIN_LOGIN,  ADMIN_LOGIN, ADMIN_OWN | {404})),
}
# fmt: on


# --- the URL patterns ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route of an unnamed pattern
    route: str
    name: str | None  # the name to reverse, with its namespace
    arguments: tuple[str, ...]


def _walk(resolver, prefix="", namespace="", arguments=()):
    for entry in resolver.url_patterns:
        inner_arguments = (*arguments, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _walk(entry, prefix + str(entry.pattern), inner, inner_arguments)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = ":".join(part for part in (namespace, entry.name) if part) if entry.name else None
            yield Pattern(name or route, route, name, inner_arguments)


def url_patterns() -> list[Pattern]:
    patterns, seen = [], set()
    for pattern in _walk(get_resolver()):
        if pattern.key not in seen:
            seen.add(pattern.key)
            patterns.append(pattern)
    return patterns


def row_for(pattern: Pattern) -> Row | None:
    if pattern.key in EXPECTED:
        return EXPECTED[pattern.key]
    matches = [glob for glob in EXPECTED if "*" in glob and fnmatch.fnmatchcase(pattern.key, glob)]
    return EXPECTED[max(matches, key=len)] if matches else None


def test_every_url_pattern_has_a_row():
    missing = [p for p in url_patterns() if row_for(p) is None]
    template = (
        '    "{key}": Row(get=(LOGIN, 200, 200, 200, 200),\n'
        "                 post=(LOGIN, 405, 405, 405, 405)),"
    )
    assert not missing, (
        "These URL patterns have no row in EXPECTED (tests/test_access_matrix.py). Add one per pattern, with "
        "the status each role should get (anonymous, reporter A, reporter B, reviewer, admin; a pair (A, B) "
        "when the URL takes an agency's object), e.g.\n"
        + "\n".join(f"{template.format(key=p.key)}   # route {p.route}" for p in missing)
    )


def test_every_row_names_a_url_pattern():
    keys = {p.key for p in url_patterns()}
    stale = [key for key in EXPECTED if "*" not in key and key not in keys]
    assert not stale, f"Rows in EXPECTED for URL patterns that no longer exist: {stale}"


# --- the world: two agencies with a report each, and the five roles -------------------------------------------


@dataclass
class World:
    users: dict
    admin_user: object
    agency_code: str
    period: ReportingPeriod
    fiscal_year: FiscalYear
    report: dict = field(default_factory=dict)
    progress: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    file_evidence: dict = field(default_factory=dict)
    agency_a_id: int = 0  # an agency a reviewer may remind

    def value(self, kind, owner):
        if kind in OWNED:
            return getattr(self, kind)[owner].pk
        if isinstance(kind, str) and hasattr(self, kind) and kind != "value":
            value = getattr(self, kind)
            return getattr(value, "pk", value)
        return kind


@pytest.fixture
def world(settings, time_machine):
    time_machine.move_to("2022-01-05 10:00 +07:00")
    fiscal_year = FiscalYearFactory(year=2565, is_active=True)
    period = ReportingPeriod.objects.get(fiscal_year=fiscal_year, quarter=1)
    measure = MeasureFactory(indicator=IndicatorFactory(fiscal_year=fiscal_year, number=1))
    agency_a, agency_b = AgencyFactory(code="A"), AgencyFactory(code="B")
    users = {
        "anonymous": None,
        "reporter_a": make_reporter(agency=agency_a, username="reporter_a"),
        "reporter_b": make_reporter(agency=agency_b, username="reporter_b"),
        "reviewer": make_reviewer(username="reviewer"),
        "admin": make_admin(username="admin"),
    }
    world = World(
        users=users,
        admin_user=users["admin"],
        agency_code="A",
        period=period,
        fiscal_year=fiscal_year,
        agency_a_id=agency_a.pk,
    )
    for owner, agency in (("a", agency_a), ("b", agency_b)):
        report = QuarterlyReportFactory(agency=agency, period=period)
        progress = MeasureProgressFactory(report=report, measure=measure)
        world.report[owner] = report
        world.progress[owner] = progress
        world.evidence[owner] = LinkEvidenceFactory(progress=progress)
        stored = Evidence(progress=progress, kind=Evidence.Kind.FILE, original_name="ผล.pdf", size=9)
        stored.file.save("result.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        stored.save()
        world.file_evidence[owner] = stored
    return world


def _fingerprint() -> str:
    """Everything a refused POST must not have touched."""
    rows = [
        list(QuarterlyReport.objects.order_by("pk").values_list("pk", "status", "version")),
        list(MeasureProgress.objects.order_by("pk").values_list("pk", "status", "result", "percent")),
        list(Evidence.objects.order_by("pk").values_list("pk", "url", "file")),
        ReportEvent.objects.count(),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _matches(expected, response) -> bool:
    status = response.status_code
    if expected == LOGIN:
        return status == 302 and response["Location"].startswith(reverse("login"))
    if expected == ADMIN_LOGIN:
        return status == 302 and response["Location"].startswith(reverse("admin:login"))
    if isinstance(expected, frozenset):
        return status in expected
    return status == expected


def _sessions(world) -> dict:
    """A signed-in session per role, made once per test (outside the rolled-back savepoints)."""
    cookies = {}
    for role, user in world.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        cookies[role] = client.cookies
    return cookies


def _request(cookies, method, url):
    """One request in a savepoint that is rolled back, so no cell sees another's effects (a logout or a
    login only changes this request's copy of the session cookie)."""
    client = Client(raise_request_exception=False)
    client.cookies = SimpleCookie(cookies.output(header="", sep="\n"))
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
            before = after = None
        else:
            before = _fingerprint()
            response = client.post(url, {})
            after = _fingerprint()
        transaction.set_rollback(True)
    return response, before, after


def _kwargs(pattern: Pattern, row: Row, world: World, owner: str) -> dict:
    return {name: world.value(row.kwargs.get(name, ARGUMENTS.get(name)), owner) for name in pattern.arguments}


def _url(pattern: Pattern, row: Row, world: World, owner: str) -> str:
    kwargs = _kwargs(pattern, row, world, owner)
    if pattern.name:
        return reverse(pattern.name, kwargs=kwargs)
    # An unnamed pattern (the admin's catch-all and its object redirects): fill the route by hand.
    route = pattern.route.lstrip("^").rstrip("$")
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route)
    return "/" + route.replace("^", "")


def _owners(pattern: Pattern, row: Row) -> tuple[str, ...]:
    kinds = {row.kwargs.get(name, ARGUMENTS.get(name)) for name in pattern.arguments}
    return ("a", "b") if kinds & OWNED else ("",)


PATTERNS = url_patterns()


@pytest.mark.parametrize("pattern", [p for p in PATTERNS if row_for(p)], ids=lambda p: p.key)
def test_access(pattern, world):
    row = row_for(pattern)
    sessions = _sessions(world)
    problems = []
    for method, cells in (("GET", row.get), ("POST", row.post)):
        assert len(cells) == len(ROLES), f"{pattern.key} {method}: {len(cells)} cells for {len(ROLES)} roles"
        for role, cell in zip(ROLES, cells, strict=True):
            for index, owner in enumerate(_owners(pattern, row)):
                expected = cell[index] if isinstance(cell, tuple) else cell
                url = _url(pattern, row, world, owner)
                response, before, after = _request(sessions[role], method, url)
                where = f"{method} {url} as {role}" + (
                    f" (object of agency {owner.upper()})" if owner else ""
                )
                if not _matches(expected, response):
                    location = response.get("Location", "")
                    problems.append(
                        f"{where}: expected {expected}, got {response.status_code}"
                        + (f" → {location}" if location else "")
                    )
                refused = response.status_code >= 400 or expected in (LOGIN, ADMIN_LOGIN)
                if method == "POST" and refused and before != after:
                    problems.append(f"{where}: refused ({response.status_code}) but changed the database")
    assert not problems, f"Access matrix, pattern {pattern.key} ({pattern.route}):\n" + "\n".join(problems)
