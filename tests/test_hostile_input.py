"""A hostile-input corpus on every form and list page: each value is refused with a clear message or stored
safely and shown escaped — never a 500, and a refused form writes nothing.

The corpus: HTML and script, Thai with emoji, a right-to-left override, NUL, a megabyte of text, invalid dates,
quarters and ids, numbers too large for the database. Forms: the report (each field), evidence (link and file,
each field), the review decisions (reason and measure comment), signing in, the unlock link. Lists: every
filter and page parameter of the review inbox, the dashboard, the rounds, the agency home, the plan and the
administrators' changes. And forged posts to another agency's objects. Admin lists: tests/test_database_trouble.py.
"""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reports import workflow
from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent
from reports.reporting.forms import MeasureProgressForm
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    LinkEvidenceFactory,
    MeasureFactory,
    make_reporter,
    make_reviewer,
)
from tests.reporting.helpers import pdf_bytes

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
CORPUS = {
    "script": SCRIPT,
    "html-attribute": '"><img src=x onerror=alert(1)>',
    "thai-emoji": "ผลการดำเนินการ 👍🏽 ครบถ้วน 🇹🇭 ๒๕๖๕",
    "rtl-override": "\u202eelif.exe ผล",
    "nul": "ผล\x00ลัพธ์",
    "megabyte": "ก" * 1_000_000,
    "bad-date": "2565-02-30",
    "bad-date-thai": "31/02/2565",
    "huge-number": "99999999999999999999",
    "negative": "-1",
    "quarter-5": "5",
    "word": "abc",
}


@pytest.fixture
def world(time_machine):
    time_machine.move_to("2022-04-10 10:00 +07:00")
    year = FiscalYearFactory(year=2565, is_active=True)
    q1, q2 = year.periods.get(quarter=1), year.periods.get(quarter=2)
    measure = MeasureFactory(indicator=IndicatorFactory(fiscal_year=year, number=1))
    agency_a, agency_b = AgencyFactory(code="A"), AgencyFactory(code="B")
    reporter_a = make_reporter(agency=agency_a, username="reporter_a")
    make_reporter(agency=agency_b, username="reporter_b")
    reviewer = make_reviewer(username="reviewer")
    draft = workflow.get_or_create_report(agency=agency_a, period=q1, user=reporter_a)
    other = workflow.get_or_create_report(agency=agency_b, period=q1, user=None)
    submitted = workflow.get_or_create_report(agency=agency_a, period=q2, user=reporter_a)
    submitted.progress.update(status="in_progress", result="ดำเนินการแล้ว")
    workflow.submit(submitted, reporter_a)
    LinkEvidenceFactory(progress=other.progress.get())
    return {
        "reporter_a": reporter_a,
        "reviewer": reviewer,
        "draft": draft,
        "other": other,
        "submitted": submitted,
        "measure": measure,
    }


def fingerprint() -> str:
    rows = [
        list(QuarterlyReport.objects.order_by("pk").values_list("pk", "status", "version", "review_comment")),
        list(
            MeasureProgress.objects.order_by("pk").values_list(
                "pk", "status", "result", "obstacles", "percent"
            )
        ),
        list(Evidence.objects.order_by("pk").values_list("pk", "url", "description", "date")),
        ReportEvent.objects.count(),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _report_form(world, field, value):
    report = world["draft"]
    progress = report.progress.get()
    form = MeasureProgressForm(instance=progress)
    data = {"version": report.version, "action": "save", form.add_prefix("base"): form.initial["base"]}
    for name in ("status", "result", "obstacles", "percent"):
        data[form.add_prefix(name)] = value if name == field else (getattr(progress, name) or "")
    return report.get_absolute_url(), data, {}


def _link_form(world, field, value):
    progress = world["draft"].progress.get()
    data = {"url": "https://www.satun.go.th/ita/1", "description": "หน้าเว็บ", "date": ""}
    data[field] = value
    return (
        reverse("reports:evidence_add_link", args=[progress.pk]),
        {f"link{progress.pk}-{name}": v for name, v in data.items()},
        {},
    )


def _file_form(world, field, value):
    progress = world["draft"].progress.get()
    prefix = f"file{progress.pk}"
    name = value if field == "name" else "ผล.pdf"
    data = {
        f"{prefix}-description": value if field == "description" else "รายงาน",
        f"{prefix}-date": value if field == "date" else "",
        f"{prefix}-file": SimpleUploadedFile(name[:200] or "x.pdf", pdf_bytes(), "application/pdf"),
    }
    return reverse("reports:evidence_add_file", args=[progress.pk]), data, {}


def _decision(action, field):
    def build(world, _field, value):
        report = world["submitted"]
        data = {"version": report.version, "reason": "โปรดแก้ไข"}
        if field == "reason":
            data["reason"] = value
        else:
            data[f"comment_{world['measure'].pk}"] = value
        return reverse(f"reports:review_{action}", args=[report.pk]), data, {}

    return build


FORMS = {
    "report result": ("reporter_a", _report_form, "result"),
    "report obstacles": ("reporter_a", _report_form, "obstacles"),
    "report status": ("reporter_a", _report_form, "status"),
    "report percent": ("reporter_a", _report_form, "percent"),
    "link url": ("reporter_a", _link_form, "url"),
    "link description": ("reporter_a", _link_form, "description"),
    "link date": ("reporter_a", _link_form, "date"),
    "file description": ("reporter_a", _file_form, "description"),
    "file date": ("reporter_a", _file_form, "date"),
    "file name": ("reporter_a", _file_form, "name"),
    "return reason": ("reviewer", _decision("return", "reason"), "reason"),
    "return comment": ("reviewer", _decision("return", "comment"), "comment"),
    "approve comment": ("reviewer", _decision("approve", "reason"), "reason"),
    "login username": (None, lambda w, f, v: (reverse("login"), {"username": v, "password": "x"}, {}), ""),
    "login password": (
        None,
        lambda w, f, v: (reverse("login"), {"username": "reporter_a", "password": v}, {}),
        "",
    ),
    "unlock username": (
        None,
        lambda w, f, v: (reverse("loginguard:unlock_request"), {"username": v}, {}),
        "",
    ),
}


def _client(world, role):
    client = Client(raise_request_exception=False)
    if role:
        client.force_login(world[role])
    return client


@pytest.mark.parametrize("value", CORPUS.values(), ids=CORPUS.keys())
@pytest.mark.parametrize("form", FORMS, ids=FORMS.keys())
def test_every_form_refuses_or_stores_safely_and_never_fails(world, form, value):
    role, build, field = FORMS[form]
    client = _client(world, role)
    url, data, extra = build(world, field, value)
    before = fingerprint()
    response = client.post(url, data, **extra)
    assert response.status_code < 500, f"{form} with {value[:40]!r}: {response.status_code}"
    if response.status_code >= 400 or (response.status_code == 200 and fingerprint() == before):
        # Refused (a form shown again with its errors, or a 4xx): nothing was written.
        assert fingerprint() == before, f"{form} refused {value[:40]!r} but wrote something"
    if response.status_code == 200:
        assert SCRIPT not in response.content.decode(), "user input shown unescaped"
    if fingerprint() == before:
        return
    # Whatever was stored is shown escaped where it is read.
    for page in (world["draft"].get_absolute_url(), reverse("reports:review", args=[world["submitted"].pk])):
        reader = _client(world, "reviewer")
        html = reader.get(page).content.decode()
        assert SCRIPT not in html and "<img src=x" not in html


LISTS = {
    "review inbox": (
        "reviewer",
        "reports:review_inbox",
        {},
        ["period", "agency", "status", "page", "compare"],
    ),
    "dashboard": (
        "reviewer",
        "reports:dashboard",
        {},
        ["year", "quarter", "status", "q", "page", "late_page"],
    ),
    "rounds": ("reviewer", "reports:round", {"months": 6}, ["year", "page"]),
    "agency home": ("reporter_a", "reports:agency_home", {}, ["year"]),
    "plan": (None, "plan", {}, ["year", "q"]),
    "review page": ("reviewer", "reports:review", {"pk": "submitted"}, ["compare"]),
    "administrators' changes": ("reviewer", "audit:changes", {}, ["kind", "page"]),
}


@pytest.mark.parametrize("value", CORPUS.values(), ids=CORPUS.keys())
@pytest.mark.parametrize("page", LISTS, ids=LISTS.keys())
def test_every_list_parameter_is_refused_or_ignored_never_a_500(world, page, value):
    role, name, kwargs, parameters = LISTS[page]
    kwargs = {k: (world[v].pk if isinstance(v, str) else v) for k, v in kwargs.items()}
    client = _client(world, role)
    url = reverse(name, kwargs=kwargs)
    value = value[:2000]  # a query string is bounded by the proxy; a megabyte would be refused there
    for parameter in parameters:
        response = client.get(url, {parameter: value})
        assert response.status_code in (200, 302, 400, 404), (
            f"{page} ?{parameter}={value[:40]!r}: {response.status_code}"
        )
        assert SCRIPT not in response.content.decode()
    response = client.get(url, dict.fromkeys(parameters, value))
    assert response.status_code in (200, 302, 400, 404)


def test_a_forged_evidence_post_to_another_agencys_measure_is_not_found_and_writes_nothing(world):
    client = _client(world, "reporter_a")
    progress = world["other"].progress.get()
    before = fingerprint()
    for url, data in (
        (
            reverse("reports:evidence_add_link", args=[progress.pk]),
            {f"link{progress.pk}-url": "https://evil.example/", f"link{progress.pk}-description": "x"},
        ),
        (reverse("reports:evidence_remove", args=[progress.evidence.get().pk]), {}),
        (reverse("reports:report", args=[world["other"].pk]), {"version": 1, "action": "submit"}),
        (reverse("reports:prefill", args=[world["other"].pk]), {}),
    ):
        assert client.post(url, data).status_code == 404, url
    assert fingerprint() == before


def test_another_agencys_measure_fields_slipped_into_a_report_post_change_nothing_there(world):
    client = _client(world, "reporter_a")
    url, data, _extra = _report_form(world, "result", "ของเรา")
    foreign = world["other"].progress.get()
    data[f"p{foreign.pk}-result"] = "เขียนทับ"
    data[f"p{foreign.pk}-status"] = "done"
    response = client.post(url, data)
    assert response.status_code == 302
    foreign.refresh_from_db()
    assert (foreign.result, foreign.status) == ("", "")
    assert world["draft"].progress.get().result == "ของเรา"
