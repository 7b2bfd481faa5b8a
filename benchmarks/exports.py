"""The consolidated report's exports at Satun scale and at national scale, on PostgreSQL.

    .venv/bin/python benchmarks/exports.py              # create, fill, measure, drop
    .venv/bin/python benchmarks/exports.py --keep       # keep the database afterwards (then --reuse)

The database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/satun_bench_exports); this script drops
and creates it, so never point it at real data (it refuses names that do not start with satun_bench).

Data: fiscal year 2565 with 10 indicators × 1 measure and 4 quarters. Satun scale: 33 agencies, every agency
approved in every quarter: 33 × 10 × 4 = 1,320 results of ~1 kB of Thai text (with Latin words and digits)
and 3 evidence links each. National scale: the same for 2,500 agencies (100,000 results, 300,000 evidence).

Measured, through Django's test client as a reviewer with production-like settings (DEBUG off), each export in
a fresh process (so that no earlier export's memory counts), after one warm-up request (not for the largest):
the wall time and this process's CPU time (median of --runs; on a shared machine the CPU time is the steadier
number), the size, the SQL query count, the peak RSS of the process over the timed requests (VmHWM, reset first
through /proc/self/clear_refs; it includes Django's own ~70 MB) and, for the XLSX of the year, the peak of Python
allocations during one more request (tracemalloc). PDFs are rendered in the request every time (the portal
sends one of more than 150 results to its worker, which renders it the same way), and once more as the second
click, served from the stored file. Between the two scales, the XLSX of the year is measured at 250, 1,000 and
2,500 agencies (--sizes), as now and as before its memory was bounded (`child`, mode "before").
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/satun_bench_exports"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satun_ita.settings")

SATUN, NATIONAL = 33, 2500
INDICATORS = 10
EVIDENCE = 3
# About 1 kB in UTF-8: Thai with Latin words and digits, as the agencies write.
RESULT = (
    "ดำเนินการตามมาตรการครบถ้วนในไตรมาสนี้ จัดประชุมชี้แจงบุคลากร 2 ครั้ง ผู้เข้าร่วม 45 คน "
    "เผยแพร่ข้อมูลบนเว็บไซต์หน่วยงาน (ITA 2565) และรายงานผลต่อผู้บริหารตามกำหนด "
    "ติดตามผลการดำเนินงานผ่านระบบ e-Office พร้อมทั้งปรับปรุงคู่มือการปฏิบัติงานให้เป็นปัจจุบัน "
    "โดยมีผู้รับผิดชอบประจำทุกกลุ่มงาน"
)
OBSTACLES = "งบประมาณจำกัด บุคลากรมีภารกิจหลายด้าน"


def _admin_connection(url):
    import psycopg2

    parts = urlparse(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection, parts.path.lstrip("/")


def recreate_database(url):
    connection, name = _admin_connection(url)
    if not name.startswith("satun_bench"):
        raise SystemExit(f"Refusing to drop database {name!r}: its name must start with satun_bench.")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def drop_database(url):
    from django.db import connections

    connections.close_all()
    connection, name = _admin_connection(url)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    connection.close()


def _copy(cursor, table, columns, rows):
    buffer = io.StringIO()
    count = 0

    def flush():
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        buffer.write("\t".join(r"\N" if v is None else str(v) for v in row) + "\n")
        count += 1
        if count % 50_000 == 0:
            flush()
    flush()
    return count


def setup_plan():
    from django.contrib.auth.models import User

    from measures.models import FiscalYear, Indicator, Measure, MeasureStep
    from reports import roles

    groups = roles.setup_groups()
    fiscal_year = FiscalYear.objects.create(
        year=2565, title="๓. แนวทาง / มาตรการขับเคลื่อนการส่งเสริมคุณธรรม", is_active=True
    )
    fiscal_year.ensure_periods()
    for n in range(1, INDICATORS + 1):
        indicator = Indicator.objects.create(fiscal_year=fiscal_year, number=n, name_th=f"ตัวชี้วัดที่ {n}")
        measure = Measure.objects.create(
            indicator=indicator,
            order=1,
            text=f"มาตรการที่ {n} ของแผน",
            responsible="ส่วนราชการประจำจังหวัดสตูล ทั้ง ๓๓ ส่วน",
            monitoring="รายงานผลไตรมาสละ ๑ ครั้ง",
        )
        for order in (1, 2, 3):
            MeasureStep.objects.create(measure=measure, order=order, text=f"ขั้นตอนที่ {order} ของมาตรการที่ {n}")
    reviewer = User.objects.create(username="bench_reviewer")
    reviewer.groups.add(groups[roles.REVIEWER_GROUP])
    return fiscal_year, reviewer


def add_agencies(fiscal_year, first, count):
    """Agencies `first` … `first + count - 1`, each approved in every quarter with every result filled."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from measures.models import Agency, Measure
    from reports.models import MeasureProgress, QuarterlyReport

    started = time.perf_counter()
    with transaction.atomic():
        agencies = Agency.objects.bulk_create(
            Agency(code=f"A{i:05d}", name_th=f"สำนักงานทดสอบที่ {i} จังหวัดสตูล", order=i, is_lead=i == 0)
            for i in range(first, first + count)
        )
        periods = list(fiscal_year.periods.order_by("quarter"))
        when = timezone.now()
        reports = QuarterlyReport.objects.bulk_create(
            QuarterlyReport(
                agency=a,
                period=p,
                status=QuarterlyReport.Status.APPROVED,
                submitted_at=when,
                first_submitted_at=when,
                days_late=0,
                decided_at=when,
            )
            for a in agencies
            for p in periods
        )
        measures = list(
            Measure.objects.filter(indicator__fiscal_year=fiscal_year).values_list("pk", flat=True)
        )
        progress_id = (MeasureProgress.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        now = when.isoformat()
        progress_rows, evidence_rows = [], []
        for report in reports:
            for measure in measures:
                progress_rows.append(
                    (
                        progress_id,
                        report.pk,
                        measure,
                        "done",
                        f"{RESULT} ({report.agency_id}/{measure})",
                        OBSTACLES,
                        100,
                        "",
                        now,
                    )
                )
                for n in range(EVIDENCE):
                    evidence_rows.append(
                        (
                            progress_id,
                            "link",
                            f"https://www.example.go.th/ita/{report.pk}/{measure}/{n}",
                            "",
                            "",
                            "",
                            None,
                            f"หลักฐานที่ {n + 1} ภาพการประชุม",
                            None,
                            now,
                            None,
                            "f",
                        )
                    )
                progress_id += 1
        with connection.cursor() as cursor:
            _copy(
                cursor.cursor,
                "reports_measureprogress",
                [
                    "id",
                    "report_id",
                    "measure_id",
                    "status",
                    "result",
                    "obstacles",
                    "percent",
                    "reviewer_comment",
                    "updated_at",
                ],
                progress_rows,
            )
            _copy(
                cursor.cursor,
                "reports_evidence",
                [
                    "progress_id",
                    "kind",
                    "url",
                    "file",
                    "original_name",
                    "content_type",
                    "size",
                    "description",
                    "date",
                    "created_at",
                    "created_by_id",
                    "is_public",
                ],
                evidence_rows,
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('reports_measureprogress', 'id'), %s)", [progress_id]
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  loaded {count} agencies: {len(progress_rows):,} results, {len(evidence_rows):,} evidence "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def _reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _peak_rss_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(url, runs=1, *, trace=False, warm=True, mode="now", stored=False):
    """One export measured in a fresh process (so that no earlier export's memory counts): see `child`."""
    command = [sys.executable, __file__, "--child", url, "--mode", mode, "--runs", str(runs)]
    command += ["--trace"] if trace else []
    command += [] if warm else ["--cold"]
    command += ["--stored"] if stored else []
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    if done.returncode:
        raise SystemExit(f"{url}: {done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"  {url}{' (stored)' if stored else ''} [{mode}]: {result['cpu']:.2f} s CPU, {result['wall']:.2f} s wall, "
        f"peak RSS {result['rss_peak_mb']:.0f} MB",
        flush=True,
    )
    return result


def child(url, *, mode, runs, trace, warm, stored):
    """In this fresh process: a warm-up request (its SQL queries counted; with `warm`), then `runs` timed
    requests (wall and CPU time of this process, the peak RSS over them: VmHWM, reset first), and with `trace`
    one more under tracemalloc (the peak of Python allocations). Responses are counted as they stream, not
    held. PDFs are rendered in the request every time (the portal would send one of more than 150 results to
    the worker, which renders it the same way) unless `stored`: then the timed requests are the second click,
    served from the stored file. `mode` "before": XlsxWriter as before this change (every link kept up to
    Excel's 65,530 a sheet, every row height kept, prefetched evidence left to the cyclic collector)."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.files.storage import default_storage
    from django.db import connection
    from django.test import Client

    from reports.exports import document, tasks, xlsx

    if mode == "before":
        from xlsxwriter.worksheet import Worksheet

        xlsx.LINKS_PER_SHEET = 65_530
        xlsx._RowsFlushed._write_single_row = Worksheet._write_single_row
        xlsx._RowsFlushed._write_url = Worksheet._write_url
        document._released = lambda results: results
    tasks.SYNC_RESULTS = 10**9  # render in the request, to time WeasyPrint
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="satun_bench_exports_")

    def forget_pdfs():
        if not stored and default_storage.exists("exports"):
            for name in default_storage.listdir("exports")[1]:
                default_storage.delete(f"exports/{name}")

    client = Client()
    client.force_login(User.objects.get(username="bench_reviewer"))
    client.get("/")  # the middleware and the session, not the export

    def fetch():
        forget_pdfs()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if not response.streaming:
            return len(response.content)
        return sum(len(part) for part in response.streaming_content)

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    if warm or stored:
        with connection.execute_wrapper(count):
            fetch()
    walls, cpus = [], []
    _reset_peak_rss()
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        size = fetch()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    result = {
        "url": url,
        "stored": stored,
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "size": size,
        "queries": len(queries) if queries else None,
        "rss_peak_mb": _peak_rss_mb(),
        "python_peak_mb": None,
    }
    if trace:
        tracemalloc.start()
        fetch()
        result["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    print(json.dumps(result))


def report(label, rows):
    print(f"\n{label}")
    print(
        "| export | wall (median) | CPU (median) | size | queries | peak RSS (process) | peak Python alloc |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        python = "–" if r["python_peak_mb"] is None else f"{r['python_peak_mb']:.1f} MB"
        queries = "–" if r["queries"] is None else r["queries"]
        stored = " (second click, stored)" if r["stored"] else ""
        print(
            f"| `{r['url']}`{stored} | {r['wall']:.2f} s | {r['cpu']:.2f} s | {r['size'] / 1024:,.0f} KB "
            f"| {queries} | {r['rss_peak_mb']:.0f} MB | {python} |",
            flush=True,
        )


def growth(url, sizes):
    """The XLSX of the 12-month round as agencies are added, now and as before (see `child`)."""
    from measures.models import Agency

    rows = []
    for size in sizes:
        have = Agency.objects.count()
        if have < size:
            add_agencies(_fiscal_year(), have, size - have)
        for mode in ("now", "before"):
            rows.append((size, mode, measure(url, trace=True, warm=False, mode=mode)))
    print(f"\nGrowth: `{url}`, each in a fresh process (its peak RSS includes Django's ~70 MB)")
    print("| agencies | results | XlsxWriter | wall | CPU | size | peak RSS (process) | peak Python alloc |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for size, mode, r in rows:
        print(
            f"| {size:,} | {size * INDICATORS * 4:,} | {mode} | {r['wall']:.1f} s | {r['cpu']:.1f} s "
            f"| {r['size'] / 2**20:.1f} MB | {r['rss_peak_mb']:.0f} MB | {r['python_peak_mb']:.1f} MB |"
        )


def _fiscal_year():
    from measures.models import FiscalYear

    return FiscalYear.objects.get(year=2565)


def _settings():
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    # Static files from the source tree (no collectstatic manifest here); the PDF reads them from disk either way.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument(
        "--skip-satun", action="store_true", help="straight to the growth and national figures"
    )
    parser.add_argument("--skip-growth", action="store_true")
    parser.add_argument(
        "--sizes", default="250,1000,2500", help="agencies at which the XLSX's memory is measured"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="now", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stored", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    import django

    if args.child:
        django.setup()
        _settings()
        child(
            args.child,
            mode=args.mode,
            runs=args.runs,
            trace=args.trace,
            warm=not args.cold,
            stored=args.stored,
        )
        return
    url = os.environ["DATABASE_URL"]
    if not args.reuse:
        recreate_database(url)
    django.setup()
    _settings()
    from django.core.management import call_command

    from measures.models import Agency

    if not args.reuse:
        call_command("migrate", verbosity=0)
        fiscal_year, _reviewer = setup_plan()
        add_agencies(fiscal_year, 0, SATUN)
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}", flush=True)
    runs = args.runs
    try:
        if Agency.objects.count() == SATUN and not args.skip_satun:
            rows = [
                measure("/exports/2565/r12.xlsx", runs, trace=True),
                measure("/exports/2565/q4.xlsx", runs),
                measure("/exports/2565/q4.pdf", runs),
                measure("/exports/2565/q4.pdf", runs, stored=True),
                measure("/exports/2565/q4/print/", runs),
                measure(f"/exports/2565/r12.pdf?agency=A{0:05d}", runs),
                measure("/exports/2565/r12.pdf", 1, warm=False),
            ]
            report(f"Satun scale: {SATUN} agencies × {INDICATORS} measures × 4 quarters", rows)
        if args.skip_national:
            return
        if not args.skip_growth:
            growth("/exports/2565/r12.xlsx", [int(n) for n in args.sizes.split(",")])
        have = Agency.objects.count()
        if have < NATIONAL:
            add_agencies(_fiscal_year(), have, NATIONAL - have)
        rows = [
            measure("/exports/2565/r12.xlsx", trace=True, warm=False),
            measure("/exports/2565/q4.xlsx", warm=False),
            measure("/exports/2565/q4.pdf", warm=False),  # 25,000 results: refused, the XLSX offered
            measure("/exports/2565/q4/print/", warm=False),
            measure(f"/exports/2565/q4.pdf?agency=A{0:05d}"),
            measure(f"/exports/2565/r12.pdf?agency=A{0:05d}"),
        ]
        report(f"National scale: {NATIONAL} agencies × {INDICATORS} measures × 4 quarters", rows)
        print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}", flush=True)
    finally:
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
