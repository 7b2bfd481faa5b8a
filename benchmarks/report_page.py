"""Time the agency's report page and a draft save with the full plan and 5 evidence items per measure.

    DEBUG=1 .venv/bin/python benchmarks/report_page.py [--runs 50]

Builds its own SQLite database in a temporary directory (the project's database is never touched): the
FY 2565 plan from data/plan-2565.tsv through the plan importer, one agency with its reporter, and the
Q1 report with every measure filled in and 5 pieces of evidence each (3 links, 2 files). Then, with Django's
test Client logged in as the reporter, it times GET of the report page, POST of a draft save (one measure
changed each time: a real write, a version claim and a history event), and GET of the agency home, and
prints median / p95 / min / max in milliseconds and the SQL queries per request. Results: benchmarks/README.md.
"""

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVIDENCE_LINKS = 3
EVIDENCE_FILES = 2
PDF = b"%PDF-1.4\n" + b"0" * 200_000 + b"\n%%EOF\n"  # a 200 kB file per upload; its size does not matter here
RESULT = (
    "หน่วยงานได้ดำเนินการตามมาตรการอย่างต่อเนื่อง โดยจัดประชุมชี้แจงบุคลากรในสังกัดจำนวน ๒ ครั้ง "
    "เผยแพร่ข้อมูลผ่านเว็บไซต์ของหน่วยงานและเว็บไซต์จังหวัดสตูล และรายงานผลให้จังหวัดทราบตามกำหนด "
) * 4
OBSTACLES = "บุคลากรมีภารกิจมาก ทำให้การเข้าร่วมประชุมไม่ครบถ้วน เสนอให้จัดประชุมออนไลน์เพิ่มเติม"


def setup_django(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satun_ita.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    # Let the test Client's "testserver" host in. (Not setup_test_environment(): it instruments template
    # rendering so the Client can record contexts, which is test machinery and would be timed too.)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def build_data():
    """The plan, one agency, its reporter and a filled-in Q1 report; returns (reporter, report)."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from measures.models import Agency, Membership
    from measures.plan_import import import_plan_file
    from oit.catalogue_import import load_year
    from reports import roles, workflow
    from reports.models import Evidence, MeasureProgress

    call_command("migrate", verbosity=0)
    load_year(ROOT / "data", year=2565)  # the plan is read against its year's ITA indicator table
    fiscal_year, _changes = import_plan_file(ROOT / "data" / "plan-2565.tsv")
    agency = Agency.objects.create(code="PROV", name_th="สำนักงานจังหวัดสตูล", is_lead=True)
    groups = roles.setup_groups()
    reporter = get_user_model().objects.create_user("reporter", password="bench-only")  # noqa: S106
    reporter.groups.add(groups[roles.REPORTER_GROUP])
    Membership.objects.create(user=reporter, agency=agency)
    period = fiscal_year.periods.get(quarter=1)
    report = workflow.get_or_create_report(agency=agency, period=period, user=reporter)
    for progress in report.progress.all():
        progress.status = MeasureProgress.Status.IN_PROGRESS
        progress.result = RESULT
        progress.obstacles = OBSTACLES
        progress.percent = 50
        progress.save()
        for n in range(EVIDENCE_LINKS):
            Evidence.objects.create(
                progress=progress,
                kind=Evidence.Kind.LINK,
                url=f"https://www.satun.go.th/ita/{progress.pk}/{n}",
                description=f"หน้าเผยแพร่ข้อมูลที่ {n + 1}",
                created_by=reporter,
            )
        for n in range(EVIDENCE_FILES):
            Evidence.objects.create(
                progress=progress,
                kind=Evidence.Kind.FILE,
                file=ContentFile(PDF, name="evidence.pdf"),
                original_name=f"รายงานการประชุมครั้งที่ {n + 1}.pdf",
                content_type="application/pdf",
                size=len(PDF),
                created_by=reporter,
            )
    return reporter, report


def save_data(report, run: int) -> dict:
    """What the browser sends on "save draft": every field of every measure, one of them changed."""
    from reports.reporting.forms import MeasureProgressForm

    report.refresh_from_db(fields=["version"])
    data = {"version": report.version, "action": "save"}
    rows = list(report.progress.select_related("measure__indicator").order_by("pk"))
    for index, progress in enumerate(rows):
        form = MeasureProgressForm(instance=progress)
        for name in ("status", "result", "obstacles", "percent"):
            value = getattr(progress, name)
            data[form.add_prefix(name)] = "" if value is None else value
        data[form.add_prefix("base")] = form.initial["base"]
        if index == run % len(rows):
            data[form.add_prefix("result")] = f"{RESULT} (แก้ไขครั้งที่ {run})"
    return data


def measure(label, runs, request, prepare=None, expect=200):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    for run in range(-5, runs):  # five warm-up runs first
        argument = prepare(run) if prepare else None
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = request(argument)
            elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != expect:
            raise SystemExit(f"{label}: HTTP {response.status_code}, expected {expect}")
        if run >= 0:
            timings.append(elapsed)
            queries = len(captured)
    timings.sort()
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    return {
        "label": label,
        "median": statistics.median(timings),
        "p95": p95,
        "min": timings[0],
        "max": timings[-1],
        "queries": queries,
        "bytes": len(response.content),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs per request (default 50)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="satun-bench-") as tmp:
        setup_django(Path(tmp))
        import django
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        reporter, report = build_data()
        client = Client()
        client.force_login(reporter)
        url = reverse("reports:report", args=[report.pk])
        home = reverse("reports:agency_home")
        measures = report.progress.count()
        evidence = sum(p.evidence.count() for p in report.progress.all())

        results = [
            measure("GET report page", args.runs, lambda _: client.get(url)),
            measure(
                "POST save draft",
                args.runs,
                lambda data: client.post(url, data),
                prepare=lambda run: save_data(report, run),
                expect=302,
            ),
            measure("GET agency home", args.runs, lambda _: client.get(home)),
        ]

        print(
            f"Python {platform.python_version()}, Django {django.get_version()}, "
            f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPU(s), DEBUG={settings.DEBUG}"
        )
        print(
            f"Plan: {measures} measures, {evidence} evidence items ({evidence // max(measures, 1)} per measure)"
        )
        print(f"{args.runs} timed runs per request after 5 warm-up runs\n")
        print(f"{'request':<18} {'median':>8} {'p95':>8} {'min':>8} {'max':>8} {'queries':>8} {'KiB':>6}")
        for r in results:
            print(
                f"{r['label']:<18} {r['median']:>6.1f}ms {r['p95']:>6.1f}ms {r['min']:>6.1f}ms "
                f"{r['max']:>6.1f}ms {r['queries']:>8} {r['bytes'] / 1024:>6.0f}"
            )
        slow = [r["label"] for r in results if r["median"] >= 100]
        print("\ntarget: median < 100 ms –", "MISSED by " + ", ".join(slow) if slow else "met")


if __name__ == "__main__":
    main()
