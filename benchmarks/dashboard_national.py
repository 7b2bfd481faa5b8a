"""The dashboard at national scale on PostgreSQL: 2,500 agencies, 5 fiscal years, ~500,000 progress rows.

    .venv/bin/python benchmarks/dashboard_national.py            # create, fill, measure, drop
    .venv/bin/python benchmarks/dashboard_national.py --keep     # keep the database afterwards
    .venv/bin/python benchmarks/dashboard_national.py --reuse    # measure a kept database again

The database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/satun_bench); it is dropped and
created by this script, so never point it at real data. Each fiscal year has 10 indicators with one measure
each (as the FY2565 plan) and four quarters; every agency has a report for ~95% of the 20 periods, with one
progress row per measure. Rows are loaded with COPY.

Measured: the server time of GET /dashboard/ (and the rounds) through Django's test client as a reviewer,
after warm-up, over --runs runs (p50/p95), the SQL query count, the slowest queries, and memory: the peak of
Python allocations during one request (tracemalloc) and the process's max RSS growth over the runs.
"""

import argparse
import datetime
import io
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/satun_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
# Production-like settings: DEBUG off (no query log), cached templates.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satun_ita.settings")

AGENCIES = 2500
YEARS = [2565, 2566, 2567, 2568, 2569]
INDICATORS = 10
MEASURES_PER_INDICATOR = 1
RESULT_TEXT = "ดำเนินการตามมาตรการครบถ้วน เผยแพร่ข้อมูลบนเว็บไซต์หน่วยงาน และรายงานผลต่อผู้บริหารตามกำหนด"


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name.startswith(("satun_bench", "bench")):
        raise SystemExit(f"Refusing to drop database {name!r}: its name must start with satun_bench.")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def drop_database(url: str) -> None:
    import psycopg2
    from django.db import connections

    connections.close_all()
    parts = urlparse(url)
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')
    admin.close()


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples; None = NULL) into table, in chunks of 100,000."""
    count = 0
    buffer = io.StringIO()

    def flush():
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        buffer.write("\t".join(r"\N" if v is None else str(v) for v in row))
        buffer.write("\n")
        count += 1
        if count % 100_000 == 0:
            flush()
    flush()
    return count


def fill() -> dict:
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.db.models import Max

    from measures.models import Agency, FiscalYear, Indicator, Measure, Membership
    from reports import roles
    from reports.models import QuarterlyReport

    rng = random.Random(2565)
    started = time.perf_counter()
    groups = roles.setup_groups()
    with transaction.atomic():
        years = []
        for year in YEARS:
            fy = FiscalYear.objects.create(
                year=year, title=f"แผนปีงบประมาณ {year}", is_active=year == YEARS[-1]
            )
            fy.ensure_periods()
            years.append(fy)
            indicators = Indicator.objects.bulk_create(
                Indicator(
                    fiscal_year=fy,
                    number=n,
                    name_th=f"ตัวชี้วัดที่ {n}",
                    group=Indicator.group_for_number(n),
                )
                for n in range(1, INDICATORS + 1)
            )
            Measure.objects.bulk_create(
                Measure(indicator=i, order=o, text=f"มาตรการ {i.number}.{o}")
                for i in indicators
                for o in range(1, MEASURES_PER_INDICATOR + 1)
            )
        agencies = Agency.objects.bulk_create(
            Agency(
                code=f"A{i:05d}",
                name_th=f"สำนักงานทดสอบที่ {i}",
                email=f"a{i}@example.go.th",
                phone=f"02-000-{i:04d}",
                order=i,
            )
            for i in range(AGENCIES)
        )
        users = User.objects.bulk_create(
            User(
                username=f"reporter{i}",
                email=f"reporter{i}@example.go.th",
                first_name="ผู้รายงาน",
                last_name=str(i),
            )
            for i in range(AGENCIES)
        )
        Membership.objects.bulk_create(
            Membership(user=u, agency=a) for u, a in zip(users, agencies, strict=True)
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=u.pk, group_id=groups[roles.REPORTER_GROUP].pk) for u in users
        )
        reviewer = User.objects.create(username="bench_reviewer", email="reviewer@example.go.th")
        reviewer.groups.add(groups[roles.REVIEWER_GROUP])

        periods = [p for fy in years for p in fy.periods.order_by("quarter")]
        measures_by_year = {
            fy.pk: list(Measure.objects.filter(indicator__fiscal_year=fy).values_list("pk", flat=True))
            for fy in years
        }
        Status = QuarterlyReport.Status
        report_statuses = (
            [Status.APPROVED] * 60 + [Status.SUBMITTED] * 15 + [Status.RETURNED] * 8 + [Status.DRAFT] * 12
        )
        progress_statuses = ["done"] * 60 + ["in_progress"] * 25 + ["not_started"] * 10 + [""] * 5

        reports, progress = [], []
        report_id = progress_id = 0
        for period in periods:
            base = datetime.datetime.combine(period.due_date, datetime.time(9), tzinfo=datetime.UTC)
            for agency in agencies:
                if rng.random() < 0.05:
                    continue  # ~5% never started
                status = rng.choice(report_statuses)
                report_id += 1
                submitted = decided = None
                if status != Status.DRAFT:
                    submitted = base - datetime.timedelta(hours=rng.randint(0, 240))
                if status in (Status.APPROVED, Status.RETURNED):
                    decided = submitted + datetime.timedelta(hours=rng.randint(2, 400))
                now = base.isoformat()
                reports.append(
                    (
                        report_id,
                        agency.pk,
                        period.pk,
                        status,
                        1,
                        now,
                        now,
                        submitted.isoformat() if submitted else None,
                        decided.isoformat() if decided else None,
                        "",
                    )
                )
                for measure_id in measures_by_year[period.fiscal_year_id]:
                    progress_id += 1
                    pstatus = rng.choice(progress_statuses)
                    progress.append(
                        (
                            progress_id,
                            report_id,
                            measure_id,
                            pstatus,
                            RESULT_TEXT if pstatus else "",
                            "",
                            "",
                            now,
                        )
                    )
        with connection.cursor() as cursor:
            raw = cursor.connection.cursor()
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
                    "submitted_at",
                    "decided_at",
                    "review_comment",
                ],
                reports,
            )
            copy_rows(
                raw,
                "reports_measureprogress",
                [
                    "id",
                    "report_id",
                    "measure_id",
                    "status",
                    "result",
                    "obstacles",
                    "reviewer_comment",
                    "updated_at",
                ],
                progress,
            )
            # Overdue reminders sent to the agencies still owing a report.
            reminders = [
                (r[1], r[2], "overdue", r[5], f"a{r[1]}@example.go.th")
                for r in reports
                if r[3] in (Status.DRAFT, Status.RETURNED)
            ]
            copy_rows(
                raw,
                "reports_reminderlog",
                ["agency_id", "period_id", "stage", "sent_at", "recipients"],
                reminders,
            )
            # Constant table names, so no injection: S608 does not apply.
            for table in ("reports_quarterlyreport", "reports_measureprogress"):
                sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    assert QuarterlyReport.objects.aggregate(m=Max("pk"))["m"] == report_id
    return {
        "agencies": len(agencies),
        "fiscal_years": len(years),
        "periods": len(periods),
        "measures": sum(len(v) for v in measures_by_year.values()),
        "reports": len(reports),
        "progress": len(progress),
        "reminders": len(reminders),
        "users": len(users) + 1,
        "seconds": round(time.perf_counter() - started, 1),
    }


def measure(url: str, runs: int, label: str, *, kept: bool = False) -> dict:
    """`kept`: repeat visits with nothing changed in between (served kept, ops.pagecache); otherwise every
    request comes after a change (the data version raised first), so the page is computed and rendered."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from ops import versions

    def get(url):
        if not kept:
            versions.raise_local()  # as any write does: the page is rendered again
        return client.get(url)

    client = Client()
    client.force_login(User.objects.get(username="bench_reviewer"))
    for _ in range(5):  # warm-up: connections, template cache, PostgreSQL caches
        response = get(url)
        assert response.status_code == 200, response.status_code

    # Every query of every timed request is timed too (a perf_counter pair: negligible next to the query).
    sql_times: list = []

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_times.append((time.perf_counter() - start, sql))

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu, sql, counts = [], [], [], []
    slowest: list = []
    size = 0
    with connection.execute_wrapper(timer):
        for _ in range(runs):
            sql_times.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            response = get(url)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            sql.append(sum(t for t, _sql in sql_times) * 1000)
            counts.append(len(sql_times))
            slowest = slowest or sorted(sql_times, reverse=True)[:4]  # from the first timed request
            size = len(response.content)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    tracemalloc.start()
    get(url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    def p(values, q):
        return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)

    return {
        "label": label,
        "url": url,
        "runs": runs,
        "p50_ms": p(wall, 50),
        "p95_ms": p(wall, 95),
        "min_ms": round(min(wall), 1),
        "python_cpu_p50_ms": p(cpu, 50),
        "python_cpu_p95_ms": p(cpu, 95),
        "sql_p50_ms": p(sql, 50),
        "sql_p95_ms": p(sql, 95),
        "queries": sorted(set(counts)),
        "html_kb": round(size / 1024, 1),
        "peak_python_alloc_mb": round(peak / 1024 / 1024, 2),
        "maxrss_growth_mb": round((rss_after - rss_before) / 1024, 1),
        "slowest": [(round(t * 1000, 1), q[:160]) for t, q in slowest],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page (default 40)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure an existing benchmark database")
    parser.add_argument(
        "--kept",
        action="store_true",
        help="repeat visits with nothing changed (pages served kept); default: every visit after a change",
    )
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
        counts = fill()
        print("filled:", counts, flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        print("database:", cursor.fetchone()[0].split(",")[0])
        cursor.execute("SELECT count(*) FROM reports_measureprogress")
        print("measure progress rows:", cursor.fetchone()[0])

    pages = [
        ("dashboard (default: active year, latest quarter)", "/dashboard/"),
        ("dashboard, overdue filter", "/dashboard/?year=2569&quarter=4&status=overdue"),
        ("dashboard, oldest year", "/dashboard/?year=2565&quarter=2"),
        ("12-month round", "/dashboard/rounds/12/"),
    ]
    print("load average before:", os.getloadavg(), "cpus:", os.cpu_count())
    try:
        for label, page in pages:
            result = measure(page, args.runs, label, kept=args.kept)
            slowest = result.pop("slowest")
            print(result, flush=True)
            for ms, sql in slowest:
                print(f"    {ms:7.1f} ms  {sql}")
        print("load average after:", os.getloadavg())
    finally:
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
