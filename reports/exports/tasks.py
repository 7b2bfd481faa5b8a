"""Large PDFs in the background, and every PDF kept by its content.

A PDF is stored (default storage, `exports/<key>.pdf`) under a key made of what it shows: the parameters (year,
scope, agency, submitted or not, digits, language) and a fingerprint of the data (the included reports' count,
versions and last saves, their results' last saves and evidence, the plan's measures and texts). A second click
with nothing changed is served from storage; any change gives a new key.

A document of more than SYNC_RESULTS results (a province of thousands of agencies) is not rendered in the
request: `build_pdf` is enqueued on the portal's task backend (django-tasks with django-tasks-db, run by the
worker that `make run` starts), and the user sees a page that reloads itself with the job's state, then offers
the file. A job re-checks the user's access before it renders anything. A second click while the same
document is still waiting or being made (same user, same key) goes to that job's page instead of queueing the
same work again (`pending_job`).
"""

import hashlib
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Max, Sum
from django.utils import translation
from django_tasks import TaskResultStatus, task

from measures.models import FiscalYear, Measure
from reports import access
from reports.exports.document import SCOPES, build_document
from reports.models import Evidence, MeasureProgress
from satun_ita.pdf import render_pdf

# Above this many results a PDF is built in the background. benchmarks/exports.py measured WeasyPrint at about
# 19–28 ms of CPU per result, depending on the host's load (a quarter of Satun's 33 agencies, 330 results:
# 6.3–9.3 s; one agency's year, 40 results: 0.9–1.3 s), so 150 results stay within about 3–4 s in the request.
SYNC_RESULTS = 150
# Above this many results no PDF is made, in the request or in the worker, and no print page: WeasyPrint holds
# the whole laid-out document, about 0.5 MB and 19–28 ms of CPU per result (the Satun year of 1,320 results:
# 632 MB, 23 s), so a national quarter of 25,000 results would need ~12 GB and ~8 minutes; its print page
# would be 54 MB of HTML (631 MB of RSS to make). The user is offered the XLSX (which streams at any size) and
# one agency's PDF instead. A Satun-sized year with 30 measures (~4,000 results) fits.
MAX_RESULTS = 5_000
TEMPLATE = "reports/exports/consolidated.html"


def document_params(document, *, thai_digits: bool, language: str) -> list:
    """What chooses the document and its form: `build_pdf`'s arguments after the user, and part of its key."""
    return [
        document.fiscal_year.year,
        document.scope.code,
        document.agency.code if document.agency else "",
        document.include_submitted,
        thai_digits,
        language,
    ]


def document_key(document, *, thai_digits: bool, language: str) -> str:
    """What the PDF of `document` would show, as a hash (three small aggregate queries)."""
    reports = document.reports
    progress = MeasureProgress.objects.filter(report__in=reports)
    plan = Measure.objects.filter(indicator__fiscal_year=document.fiscal_year)
    facts = {
        "params": [
            *document_params(document, thai_digits=thai_digits, language=language),
            str(document.exported_on),
        ],
        "texts": [document.fiscal_year.title, document.fiscal_year.results_text, document.province],
        "reports": list(
            progress.aggregate(
                n=Count("pk"), saved=Max("updated_at"), reports=Count("report", distinct=True)
            ).values()
        ),
        "versions": list(
            reports.model.objects.filter(pk__in=reports)
            .aggregate(v=Sum("version"), s=Max("updated_at"))
            .values()
        ),
        "evidence": list(
            Evidence.objects.filter(progress__in=progress).aggregate(n=Count("pk"), last=Max("pk")).values()
        ),
        "plan": list(plan.aggregate(n=Count("pk"), steps=Count("steps"), last=Max("pk")).values()),
    }
    return hashlib.sha256(json.dumps(facts, default=str, sort_keys=True).encode()).hexdigest()[:40]


def stored_name(key: str) -> str:
    return f"exports/{key}.pdf"


def pending_job(user_id: int, key: str) -> str | None:
    """The id of `user_id`'s job still waiting or running for the document `key`, if any (one query).

    Reads the database backend's own table (django-tasks-db, settings.TASKS); with another backend there is
    nothing to find and every click enqueues its job, as before."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - only where the backend is the database

    job = (
        DBTaskResult.objects.filter(
            task_path=build_pdf.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
            args_kwargs__args__0=user_id,
            args_kwargs__args__7=key,
        )
        .order_by("-enqueued_at")
        .values_list("id", flat=True)
        .first()
    )
    return str(job) if job else None


def render_and_store(document, context: dict, key: str, *, request=None, base_url=None) -> bytes:
    content = render_pdf(TEMPLATE, context, request=request, base_url=base_url)
    name = stored_name(key)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return content


def print_context(document, *, urls: dict, thai_digits: bool) -> dict:
    by_measure = document.results_by_measure()
    for row in document.rows:
        row.results = by_measure.get(row.measure.pk, []) if row.measure is not None else []
    return {"document": document, "rows": document.rows, "urls": urls, "thai_digits": thai_digits}


@task()
def build_pdf(
    user_id: int,
    year: int,
    scope: str,
    agency: str,
    include_submitted: bool,
    thai_digits: bool,
    language: str,
    key: str,
) -> str:
    """Render one consolidated PDF for `user_id` and store it; returns its stored name."""
    user = get_user_model().objects.get(pk=user_id, is_active=True)
    with translation.override(language):
        agency_obj = access.export_agency(user, agency)
        document = build_document(
            user,
            FiscalYear.objects.get(year=year),
            SCOPES[scope],
            agency=agency_obj,
            include_submitted=include_submitted,
        )
        context = print_context(document, urls={}, thai_digits=thai_digits)
        render_and_store(document, context, key, base_url=settings.SITE_URL.rstrip("/") + "/")
    return stored_name(key)
