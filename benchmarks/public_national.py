"""The public side at national scale on PostgreSQL: 2,500 agencies, a year of four quarters, 10 measures.

    .venv/bin/python benchmarks/public_national.py            # create, fill, measure, drop
    .venv/bin/python benchmarks/public_national.py --keep     # keep the database afterwards
    .venv/bin/python benchmarks/public_national.py --reuse    # measure a kept database again

The database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/satun_bench_public); it is dropped and
created by this script, so never point it at real data. Every agency has a report for each of the four quarters;
~70% are approved (an approval snapshot with a result, obstacles and one evidence link per measure, and the
APPROVED event), ~5% of those reopened after approval, the rest draft, submitted or returned. Rows are loaded
with COPY.

Measured, anonymously through Django's test client, after warm-up (p50/p95 over --runs runs): the public agency
page (/public/<year>/agency/<code>/, its round page) and the year page; the SQL query count; and for
results.csv the time to stream the whole file and the peak of Python allocations while streaming it
(tracemalloc), for one quarter and for the whole year (four times the rows): flat memory means the peak does
not grow with the rows.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/satun_bench_public")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satun_ita.settings")

from dashboard_national import copy_rows, drop_database, recreate_database  # noqa: E402

AGENCIES = 2500
YEAR = 2565
INDICATORS = 10
RESULT_TEXT = "ดำเนินการตามมาตรการครบถ้วน เผยแพร่ข้อมูลบนเว็บไซต์หน่วยงาน และรายงานผลต่อผู้บริหารตามกำหนด"
OBSTACLES = "บุคลากรมีภารกิจหลายด้าน ทำให้การปรับปรุงข้อมูลบนเว็บไซต์ล่าช้าบางช่วง"


def fill() -> dict:
    from django.db import connection, transaction

    from measures.models import Agency, FiscalYear, Indicator, Measure
    from reports.models import QuarterlyReport, ReportEvent

    rng = random.Random(2565)
    started = time.perf_counter()
    Status = QuarterlyReport.Status
    with transaction.atomic():
        fy = FiscalYear.objects.create(year=YEAR, title=f"แผนปีงบประมาณ {YEAR}", is_active=True)
        fy.ensure_periods()
        indicators = Indicator.objects.bulk_create(
            Indicator(fiscal_year=fy, number=n, name_th=f"ตัวชี้วัดที่ {n}", group=Indicator.group_for_number(n))
            for n in range(1, INDICATORS + 1)
        )
        measures = Measure.objects.bulk_create(
            Measure(indicator=i, order=1, text=f"มาตรการ {i.number}.1 ส่งเสริมคุณธรรมและความโปร่งใส")
            for i in indicators
        )
        agencies = Agency.objects.bulk_create(
            Agency(code=f"A{i:05d}", name_th=f"สำนักงานทดสอบที่ {i}", order=i) for i in range(AGENCIES)
        )
        periods = list(fy.periods.order_by("quarter"))
        statuses = (
            [Status.APPROVED] * 70 + [Status.SUBMITTED] * 12 + [Status.RETURNED] * 6 + [Status.DRAFT] * 12
        )
        reports, events = [], []
        report_id = 0
        for period in periods:
            approved_at = datetime.datetime.combine(period.due_date, datetime.time(10), tzinfo=datetime.UTC)
            for agency in agencies:
                report_id += 1
                status = rng.choice(statuses)
                snapshot = None
                if status == Status.APPROVED:
                    snapshot = json.dumps(
                        {
                            str(m.pk): {
                                "code": f"{n + 1}.1",
                                "status": "done",
                                "result": RESULT_TEXT,
                                "obstacles": OBSTACLES,
                                "percent": 100,
                                "evidence": [f"หน้าเว็บ – https://www.example.go.th/{agency.code}/{n}"],
                                "evidence_items": [
                                    {
                                        "id": report_id * 100 + n,
                                        "kind": "link",
                                        "description": "หน้าเว็บ",
                                        "url": f"https://www.example.go.th/{agency.code}/{n}",
                                    }
                                ],
                            }
                            for n, m in enumerate(measures)
                        },
                        ensure_ascii=False,
                    )
                    events.append(
                        (report_id, approved_at.isoformat(), "approved", "submitted", "approved", "", "{}")
                    )
                    if rng.random() < 0.05:
                        status = Status.RETURNED  # reopened after approval: still published, being revised
                now = approved_at.isoformat()
                reports.append((report_id, agency.pk, period.pk, status, 1, now, now, "", snapshot))
        with connection.cursor() as cursor:
            raw = cursor.connection.cursor()
            rows = [tuple(r[:8]) + (r[8].replace("\\", "\\\\") if r[8] else None,) for r in reports]
            copy_rows(
                raw,
                "reports_quarterlyreport",
                [
                    "id",
                    "agency_id",
                    "period_id",
                    "status",
                    "version",
                    "created_at",
                    "updated_at",
                    "review_comment",
                    "approved_snapshot",
                ],
                rows,
            )
            copy_rows(
                raw,
                "reports_reportevent",
                ["report_id", "created_at", "action", "from_status", "to_status", "comment", "changes"],
                events,
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('reports_quarterlyreport', 'id'), (SELECT MAX(id) FROM reports_quarterlyreport))"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "agencies": AGENCIES,
        "reports": len(reports),
        "approved": len(events),
        "result_rows": len(events) * len(measures),
        "events": ReportEvent.objects.count(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _p(values, q):
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)


def _timed(url, runs, stream=False):
    from django.db import connection
    from django.test import Client

    client = Client()
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if stream:
            b"".join(response.streaming_content)
    counts, wall = [], []
    size = 0

    def counter(execute, sql, params, many, context):
        counts[-1] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        for _ in range(runs):
            counts.append(0)
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if stream else response.content
            wall.append((time.perf_counter() - start) * 1000)
            size = len(body)
    tracemalloc.start()
    response = client.get(url)
    if stream:
        for _chunk in response.streaming_content:
            pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "url": url,
        "runs": runs,
        "p50_ms": _p(wall, 50),
        "p95_ms": _p(wall, 95),
        "queries": sorted(set(counts)),
        "size_kb": round(size / 1024, 1),
        "peak_python_alloc_mb": round(peak / 1024 / 1024, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure an existing benchmark database")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        raise SystemExit("This benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
    if not args.reuse:
        recreate_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if not args.reuse:
        call_command("migrate", verbosity=0)
        print("filled:", fill(), flush=True)
    print("load average before:", os.getloadavg(), "cpus:", os.cpu_count())
    try:
        for label, page, runs, stream in [
            ("agency page (year)", f"/public/{YEAR}/agency/A01234/", args.runs, False),
            ("agency page (6-month round)", f"/public/{YEAR}/agency/A01234/r6/", args.runs, False),
            ("year page (quarter 4, first 50 agencies)", f"/public/{YEAR}/?quarter=4", args.runs, False),
            ("results.csv, one quarter", f"/open-data/{YEAR}/results.csv?quarter=1", 5, True),
            ("results.csv, whole year (4x the rows)", f"/open-data/{YEAR}/results.csv", 3, True),
            ("results.json, whole year", f"/open-data/{YEAR}/results.json", 3, True),
        ]:
            print(label, _timed(page, runs, stream), flush=True)
        print("load average after:", os.getloadavg())
    finally:
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
