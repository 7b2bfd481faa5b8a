"""Open data: the approved results, the plan and the agencies as CSV and JSON, and a Frictionless Data Package.

One list of fields per resource (RESULTS, PLAN, AGENCIES) makes the CSV header, the JSON keys and the
datapackage.json schema with its Thai and English descriptions, so the three cannot drift apart. The files are
streamed row by row from a chunked query (memory stays flat as rows grow); CSV is UTF-8 with a byte-order mark
by default, so Excel shows Thai, and without one with `?bom=0`. Each answers conditional requests (Django's
`condition`): its ETag is a fingerprint of what it is made of (the latest approval or reopen, the agencies,
the plan, the filters), its Last-Modified the latest approval or reopen.
"""

import csv
import datetime
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import condition, require_safe

from measures.models import Agency, FiscalYear, Measure, MeasureStep
from measures.plan_table import plan_years
from reports.models import MeasureProgress
from transparency import published
from transparency.caching import PUBLIC_MAX_AGE, cache_public, public_page
from transparency.models import OpenDataSettings
from transparency.views import render_public

CHUNK = 500
FILES_BATCH = 100  # reports whose entries are held at once while their files are checked (result_rows)
BANGKOK = datetime.timezone(datetime.timedelta(hours=7))


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    enum: tuple = ()

    def descriptor(self) -> dict:
        field = {
            "name": self.name,
            "type": self.type,
            "title": self.title_en,
            "description": self.description_en,
            "title_th": self.title_th,
            "description_th": self.description_th,
        }
        if self.enum:
            field["constraints"] = {"enum": list(self.enum)}
        return field


STATUSES = tuple(MeasureProgress.Status.values)

RESULTS = [
    Field(
        "fiscal_year", "integer", "ปีงบประมาณ", "Fiscal year", "ปีงบประมาณ (พ.ศ.)", "Thai fiscal year (B.E.)"
    ),
    Field(
        "quarter",
        "integer",
        "ไตรมาส",
        "Quarter",
        "ไตรมาสของปีงบประมาณ 1–4 (ไตรมาส 2 ปิดรอบ 6 เดือน ไตรมาส 4 ปิดรอบ 12 เดือน)",
        "Quarter of the fiscal year, 1–4 (Q2 closes the 6-month round, Q4 the 12-month round)",
    ),
    Field(
        "indicator_number",
        "integer",
        "ตัวชี้วัดที่",
        "Indicator number",
        "เลขตัวชี้วัด ITA 1–10",
        "ITA indicator, 1–10",
    ),
    Field(
        "indicator_name",
        "string",
        "ตัวชี้วัด",
        "Indicator",
        "ชื่อตัวชี้วัดตามแผน",
        "The indicator's name in the plan (Thai)",
    ),
    Field(
        "measure_number",
        "string",
        "มาตรการที่",
        "Measure number",
        "เลขมาตรการ เช่น 3.1",
        "The measure's number, e.g. 3.1",
    ),
    Field(
        "measure_text",
        "string",
        "มาตรการ",
        "Measure",
        "ข้อความมาตรการตามแผน",
        "The measure as written in the plan (Thai)",
    ),
    Field("agency_code", "string", "รหัสส่วนราชการ", "Agency code", "รหัสส่วนราชการ", "The agency's code"),
    Field(
        "agency_name", "string", "ส่วนราชการ", "Agency", "ชื่อส่วนราชการ (ภาษาไทย)", "The agency's name (Thai)"
    ),
    Field(
        "status",
        "string",
        "สถานะการดำเนินการ",
        "Status",
        "not_started = ยังไม่ดำเนินการ, in_progress = อยู่ระหว่างดำเนินการ, done = ดำเนินการแล้ว",
        "Implementation status: not_started, in_progress or done",
        STATUSES,
    ),
    Field(
        "result",
        "string",
        "ผลการดำเนินการ",
        "Result",
        "ผลการดำเนินการที่ได้รับอนุมัติ",
        "The approved result narrative",
    ),
    Field(
        "obstacles",
        "string",
        "ปัญหาอุปสรรค/ข้อเสนอแนะ",
        "Obstacles",
        "ปัญหาอุปสรรคและข้อเสนอแนะที่ได้รับอนุมัติ",
        "Obstacles and suggestions, as approved",
    ),
    Field(
        "percent",
        "integer",
        "ร้อยละความสำเร็จ",
        "Percent complete",
        "ร้อยละ 0–100 (ว่างถ้าไม่ระบุ)",
        "0–100, empty if not given",
    ),
    Field(
        "evidence_urls",
        "string",
        "หลักฐาน",
        "Evidence",
        "ลิงก์หลักฐานที่เผยแพร่ คั่นด้วยช่องว่าง (รวมไฟล์ที่ส่วนราชการอนุญาตให้เผยแพร่)",
        "Published evidence links, separated by spaces (including files the agency made public)",
    ),
    Field(
        "approved_at",
        "datetime",
        "วันเวลาที่อนุมัติ",
        "Approved at",
        "วันเวลาที่อนุมัติรายงาน (เวลาประเทศไทย)",
        "When the report was approved (ISO 8601, Asia/Bangkok)",
    ),
    Field(
        "being_revised",
        "boolean",
        "อยู่ระหว่างปรับปรุง",
        "Being revised",
        "true = รายงานถูกเปิดแก้ไขหลังอนุมัติ ข้อมูลนี้คือฉบับที่อนุมัติล่าสุด",
        "true: reopened after approval; these are the last approved values until the next approval",
    ),
]

PLAN = [
    RESULTS[0],
    RESULTS[2],
    Field(
        "indicator_group",
        "string",
        "กลุ่ม ITA",
        "ITA group",
        "IIT, EIT หรือ OIT",
        "IIT, EIT or OIT",
        ("IIT", "EIT", "OIT"),
    ),
    RESULTS[3],
    RESULTS[4],
    RESULTS[5],
    Field(
        "responsible", "string", "ผู้รับผิดชอบ", "Responsible", "ผู้รับผิดชอบตามแผน", "Responsible party in the plan"
    ),
    Field(
        "monitoring",
        "string",
        "แนวทางกำกับติดตาม",
        "Monitoring",
        "แนวทางกำกับติดตามและการรายงานผล",
        "How results are monitored and reported",
    ),
    Field(
        "step_number",
        "integer",
        "ขั้นตอนที่",
        "Step number",
        "ลำดับขั้นตอน (ว่างถ้ามาตรการไม่มีขั้นตอน)",
        "Step order (empty when the measure has no steps)",
    ),
    Field(
        "step_text",
        "string",
        "ขั้นตอน/วิธีการปฏิบัติ",
        "Step",
        "ขั้นตอนหรือวิธีการปฏิบัติ",
        "The step, as written in the plan",
    ),
]

AGENCIES = [
    RESULTS[6],
    RESULTS[7],
    Field(
        "agency_name_en",
        "string",
        "ชื่อภาษาอังกฤษ",
        "Agency (English)",
        "ชื่อส่วนราชการภาษาอังกฤษ",
        "The agency's name in English",
    ),
    Field("website", "string", "เว็บไซต์", "Website", "เว็บไซต์ของส่วนราชการ", "The agency's website"),
    Field("is_active", "boolean", "ยังรายงานอยู่", "Active", "true = ยังต้องรายงานผล", "true: the agency reports"),
    Field(
        "is_lead",
        "boolean",
        "หน่วยงานหลัก",
        "Lead agency",
        "true = สำนักงานจังหวัด (หน่วยงานหลัก)",
        "true: the provincial office that leads",
    ),
]

RESOURCES = {
    "results": (
        RESULTS,
        gettext_lazy("Approved results"),
        "Approved quarterly results, one row per agency, quarter and measure",
    ),
    "plan": (
        PLAN,
        gettext_lazy("The plan"),
        "The plan: indicators, measures and their steps, one row per step",
    ),
    "agencies": (AGENCIES, gettext_lazy("Agencies"), "The provincial agencies that report"),
}


# --- values --------------------------------------------------------------------------------------------


def _iso(moment) -> str:
    return moment.astimezone(BANGKOK).isoformat(timespec="seconds") if moment else ""


def _csv_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def _stream_csv(fields, rows, bom: bool):
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    yield writer.writerow([f.name for f in fields])
    for row in rows:
        yield writer.writerow([_csv_value(row[f.name]) for f in fields])


def _stream_json(rows):
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]\n"


def _respond(request, name, fields, rows, fmt):
    if fmt == "csv":
        bom = request.GET.get("bom", "1") != "0"
        response = StreamingHttpResponse(
            _stream_csv(fields, rows, bom), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{name}.csv"'
    else:
        response = StreamingHttpResponse(_stream_json(rows), content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return cache_public(response, request)


def _published_chunks(reports, measures):
    """(report, its entries) for every report, FILES_BATCH reports at a time with their unavailable files left
    out (published.keep_available_files: one query per batch that has files), so memory stays flat."""
    batch = []
    for report in reports.iterator(chunk_size=CHUNK):
        batch.append((report, published.entries(report, measures)))
        if len(batch) == FILES_BATCH:
            published.keep_available_files(entry for _report, found in batch for entry in found)
            yield from batch
            batch = []
    published.keep_available_files(entry for _report, found in batch for entry in found)
    yield from batch


def result_rows(request, fiscal_year, reports):
    measures = published.plan_measures(fiscal_year)
    for report, found in _published_chunks(reports, measures):
        agency = report.agency
        for entry in found:
            urls = [link.url for link in entry.links] + [
                request.build_absolute_uri(
                    reverse("transparency:evidence", args=[file.report_id, file.evidence_id])
                )
                for file in entry.files
            ]
            yield {
                "fiscal_year": fiscal_year.year,
                "quarter": report.period.quarter,
                "indicator_number": entry.measure.indicator.number,
                "indicator_name": entry.measure.indicator.name_th,
                "measure_number": entry.measure.code,
                "measure_text": entry.measure.text,
                "agency_code": agency.code,
                "agency_name": agency.name_th,
                "status": entry.status or None,
                "result": entry.result,
                "obstacles": entry.obstacles,
                "percent": entry.percent,
                "evidence_urls": " ".join(urls),
                "approved_at": _iso(report.approved_at) or None,
                "being_revised": report.status != published.Status.APPROVED,
            }


def plan_rows(fiscal_year):
    measures = (
        Measure.objects.filter(indicator__fiscal_year=fiscal_year)
        .select_related("indicator")
        .order_by("indicator__number", "order")
    )
    steps = {}
    for step in MeasureStep.objects.filter(measure__indicator__fiscal_year=fiscal_year).order_by(
        "measure", "order"
    ):
        steps.setdefault(step.measure_id, []).append(step)
    for measure in measures:
        base = {
            "fiscal_year": fiscal_year.year,
            "indicator_number": measure.indicator.number,
            "indicator_group": measure.indicator.group,
            "indicator_name": measure.indicator.name_th,
            "measure_number": measure.code,
            "measure_text": measure.text,
            "responsible": measure.responsible,
            "monitoring": measure.monitoring,
        }
        for step in steps.get(measure.pk) or [None]:
            yield {
                **base,
                "step_number": step.order if step else None,
                "step_text": step.text if step else "",
            }


def agency_rows(agencies):
    for agency in agencies.iterator(chunk_size=CHUNK):
        yield {
            "agency_code": agency.code,
            "agency_name": agency.name_th,
            "agency_name_en": agency.name_en,
            "website": agency.website,
            "is_active": agency.is_active,
            "is_lead": agency.is_lead,
        }


# --- filters and versions ------------------------------------------------------------------------------


class BadFilter(Exception):
    pass


def _filters(request):
    quarter = request.GET.get("quarter", "")
    if quarter and not (quarter.isdecimal() and 1 <= int(quarter) <= 4):
        raise BadFilter(_("“quarter” must be 1, 2, 3 or 4."))
    code = request.GET.get("agency", "")
    agency = None
    if code:
        agency, _moved = published.agency_by_code(code)
        if agency is None:
            raise Http404(_("No such agency."))
    return (int(quarter) if quarter else None), agency


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _agencies_fingerprint():
    return _digest(
        list(
            Agency.objects.order_by("pk").values_list(
                "pk", "code", "name_th", "name_en", "website", "is_active", "is_lead"
            )
        )
    )


def _plan_fingerprint(fiscal_year_id, steps=False):
    measures = list(
        Measure.objects.filter(indicator__fiscal_year_id=fiscal_year_id)
        .order_by("pk")
        .values_list(
            "pk",
            "order",
            "text",
            "responsible",
            "monitoring",
            "indicator__number",
            "indicator__name_th",
            "indicator__group",
        )
    )
    step_rows = (
        list(
            MeasureStep.objects.filter(measure__indicator__fiscal_year_id=fiscal_year_id)
            .order_by("pk")
            .values_list("pk", "measure_id", "order", "text")
        )
        if steps
        else []
    )
    return _digest(measures, step_rows)


def _version(request, key, compute):
    """Compute (etag, last_modified) once per request: `condition` asks for both."""
    cache = request.__dict__.setdefault("_open_data_version", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _query(request):
    return sorted((k, v) for k, v in request.GET.items() if k in {"quarter", "agency", "bom"})


def _results_version(request, year, fmt):
    def compute():
        fiscal_year_id = FiscalYear.objects.filter(year=year).values_list("pk", flat=True).first()
        event_id, moment = published.last_change(fiscal_year_id)
        count = published.published_reports_count(fiscal_year_id)
        etag = _digest(
            "results",
            fmt,
            year,
            event_id,
            moment,
            count,
            _agencies_fingerprint(),
            _plan_fingerprint(fiscal_year_id),
            _query(request),
        )
        return etag, moment

    return _version(request, ("results", year, fmt), compute)


def _plan_version(request, year, fmt):
    def compute():
        fiscal_year_id = FiscalYear.objects.filter(year=year).values_list("pk", flat=True).first()
        return _digest(
            "plan", fmt, year, _plan_fingerprint(fiscal_year_id, steps=True), _query(request)
        ), None

    return _version(request, ("plan", year, fmt), compute)


def _agencies_version(request, fmt):
    return _version(
        request,
        ("agencies", fmt),
        lambda: (_digest("agencies", fmt, _agencies_fingerprint(), _query(request)), None),
    )


# --- views -------------------------------------------------------------------------------------------------


def _fiscal_year(year) -> FiscalYear:
    if year not in plan_years():
        raise Http404(_("No plan for this fiscal year."))
    return get_object_or_404(FiscalYear, year=year)


@require_safe
@condition(
    etag_func=lambda request, year, fmt: _results_version(request, year, fmt)[0],
    last_modified_func=lambda request, year, fmt: _results_version(request, year, fmt)[1],
)
def results(request, year, fmt):
    fiscal_year = _fiscal_year(year)
    try:
        quarter, agency = _filters(request)
    except BadFilter as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    reports = published.published_reports(fiscal_year)
    if quarter:
        reports = reports.filter(period__quarter=quarter)
    if agency:
        reports = reports.filter(agency=agency)
    return _respond(request, f"results-{year}", RESULTS, result_rows(request, fiscal_year, reports), fmt)


@require_safe
@condition(etag_func=lambda request, year, fmt: _plan_version(request, year, fmt)[0])
def plan(request, year, fmt):
    fiscal_year = _fiscal_year(year)
    return _respond(request, f"plan-{year}", PLAN, plan_rows(fiscal_year), fmt)


@require_safe
@condition(etag_func=lambda request, fmt: _agencies_version(request, fmt)[0])
def agencies(request, fmt):
    return _respond(request, "agencies", AGENCIES, agency_rows(Agency.objects.order_by("order", "code")), fmt)


def package_descriptor(request) -> dict:
    """The Frictionless Data Package: every resource of every year with a plan, with its table schema."""
    settings_row = OpenDataSettings.current()
    resources = []
    for year in sorted(plan_years()):
        for name, kind in (("results", "results"), ("plan", "plan")):
            fields, title, description = RESOURCES[kind]
            resources.append(
                _resource(
                    request,
                    f"{name}-{year}",
                    reverse(f"transparency:open_{kind}", args=[year, "csv"]),
                    fields,
                    f"{description} ({year})",
                )
            )
    fields, title, description = RESOURCES["agencies"]
    resources.append(
        _resource(
            request, "agencies", reverse("transparency:open_agencies", args=["csv"]), fields, description
        )
    )
    return {
        "name": "ita-open-data",
        "title": django_settings.PORTAL_NAME_EN,
        "title_th": django_settings.PORTAL_NAME,
        "description": "The province's integrity and transparency plan and the agencies' approved quarterly results.",
        "description_th": "แผนส่งเสริมคุณธรรมและความโปร่งใสของจังหวัด และผลการดำเนินการรายไตรมาสของส่วนราชการที่ได้รับอนุมัติแล้ว",
        "homepage": request.build_absolute_uri(reverse("transparency:open_data")),
        "licenses": [settings_row.licence_descriptor()],
        "contributors": [
            {"title": settings_row.publisher or django_settings.PORTAL_NAME, "role": "publisher"}
        ],
        "created": _iso(timezone.now()),
        "resources": resources,
    }


def _resource(request, name, path, fields, description):
    return {
        "name": name,
        "path": request.build_absolute_uri(path) + "?bom=0",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "schema": {"fields": [f.descriptor() for f in fields]},
    }


@require_safe
def datapackage(request):
    response = JsonResponse(
        package_descriptor(request), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return cache_public(response, request)


@require_safe
@public_page
def index(request):
    """/open-data/: every file, explained in Thai and English."""
    years = sorted(plan_years(), reverse=True)
    return render_public(
        request,
        "transparency/open_data.html",
        {
            "years": years,
            "field_sets": [
                ("results.csv / results.json", RESULTS),
                ("plan.csv / plan.json", PLAN),
                ("agencies.csv / agencies.json", AGENCIES),
            ],
            "licence": OpenDataSettings.current().licence_descriptor(),
            "canonical": reverse("transparency:open_data"),
            "max_age": PUBLIC_MAX_AGE,
        },
    )
