"""Throughput of the portal's pages under gunicorn, against a one-view Django app (the ceiling) in the same run.

    .venv/bin/python benchmarks/pages.py [--rounds 3] [--duration 5] [--port 8110]

Builds its own SQLite database and static files in a temporary directory (the project's database is never
touched) and loads the demo data (`setup_demo`: the FY 2565 plan, 33 agencies, sample reports, the demo
accounts). Then it serves the portal with production settings (DEBUG off, cached templates, whitenoise's
manifest storage) over plain http on 127.0.0.1 (`ALLOW_PLAIN_HTTP=1`, which turns the https redirect and the
secure-only cookies off and is refused for any host but loopback), under gunicorn with 2 workers, and a
one-view Django app (`benchmarks/ceiling.py`) under the same gunicorn on the next port. Every page is fetched
with wrk (2 threads, 4 connections) for `--duration` seconds, as its user (a session created for each demo
account), the ceiling first in every round; `--rounds` rounds. It prints each page's requests per second and
its share of the ceiling and of the Django admin's reports changelist, measured in the same round. Both
servers are started under `timeout`, so they stop by themselves. Results: benchmarks/README.md.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
SERVER_LIFETIME = 1800  # seconds: the servers stop by themselves after this, whatever happens here


def environment(workdir: Path, *, debug: bool) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "SECRET_KEY": "benchmark-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "1" if debug else "0",
            "ALLOW_PLAIN_HTTP": "1",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env, *args) -> str:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


SESSIONS = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from reports.models import QuarterlyReport
User = get_user_model()
cookies = {}
for name in ("admin", "reviewer", "reporter"):
    client = Client()
    client.force_login(User.objects.get(username=name))
    cookies[name] = client.cookies["sessionid"].value
reporter = User.objects.get(username="reporter")
mine = QuarterlyReport.objects.filter(agency=reporter.membership.agency).order_by("-period__fiscal_year__year", "-period__quarter").first()
submitted = QuarterlyReport.objects.filter(status="submitted").order_by("pk").first() or QuarterlyReport.objects.order_by("pk").first()
year = mine.period.fiscal_year.year
print(json.dumps({"cookies": cookies, "report": mine.pk, "review": submitted.pk, "year": year, "measures": mine.progress.count()}))
"""


def prepare(workdir: Path) -> dict:
    """Migrate, load the demo data, collect the static files, create a session per demo account."""
    import json

    setup = environment(workdir, debug=True)
    manage(setup, "migrate", "--noinput")
    manage(setup, "setup_demo")
    production = environment(workdir, debug=False)
    manage(production, "collectstatic", "--noinput")
    facts = json.loads(manage(production, "shell", "-c", SESSIONS).strip().splitlines()[-1])
    return facts


def serve(app: str, port: int, env: dict) -> subprocess.Popen:
    command = [
        "timeout",
        str(SERVER_LIFETIME),
        GUNICORN,
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - fixed arguments
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)  # noqa: S310 - loopback
            return server
        except OSError as error:
            if getattr(error, "code", None):  # any HTTP answer means it is up
                return server
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start on port {port}")


def check(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        if response.status != 200 or response.geturl() != url:
            raise SystemExit(f"{url} answered {response.status} at {response.geturl()}")
        return len(response.read())


def wrk(url: str, cookie: str, duration: int) -> float:
    command = ["wrk", "-t2", "-c4", f"-d{duration}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    if "Non-2xx" in output:
        raise SystemExit(f"{url}: non-2xx answers under load\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per page and round")
    parser.add_argument(
        "--port", type=int, default=8110, help="the portal's port; the ceiling uses the next one"
    )
    parser.add_argument(
        "--render-every-time",
        action="store_true",
        help="KEEP_PAGES=0: no page is kept whole (ops.pagecache), as every visit after a change is served",
    )
    args = parser.parse_args()
    for tool in ("wrk", "timeout"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (Debian: apt-get install {tool})")

    workdir = Path(tempfile.mkdtemp(prefix="satun-pages-"))
    servers = []
    try:
        facts = prepare(workdir)
        env = environment(workdir, debug=False)
        env["KEEP_PAGES"] = "0" if args.render_every_time else "1"
        servers.append(serve("satun_ita.wsgi:application", args.port, env))
        servers.append(serve("benchmarks.ceiling:application", args.port + 1, env))
        base = f"http://127.0.0.1:{args.port}"
        cookie = {name: f"sessionid={value}" for name, value in facts["cookies"].items()}
        year = facts["year"]
        pages = [
            ("ceiling: one-view Django app", f"http://127.0.0.1:{args.port + 1}/", ""),
            ("Django admin, reports changelist", f"{base}/admin/reports/quarterlyreport/", cookie["admin"]),
            ("/plan/", f"{base}/plan/", ""),
            ("public site, year page", f"{base}/public/{year}/", ""),
            ("agency home", f"{base}/my/", cookie["reporter"]),
            ("review inbox", f"{base}/review/", cookie["reviewer"]),
            ("review page", f"{base}/review/{facts['review']}/", cookie["reviewer"]),
            ("12-month round", f"{base}/dashboard/rounds/12/", cookie["reviewer"]),
            ("dashboard (33 agencies)", f"{base}/dashboard/", cookie["reviewer"]),
            (
                f"report page ({facts['measures']} measures)",
                f"{base}/reports/{facts['report']}/",
                cookie["reporter"],
            ),
        ]
        sizes = {label: check(url, c) for label, url, c in pages}
        results: dict[str, list[float]] = {label: [] for label, _url, _c in pages}
        for number in range(1, args.rounds + 1):
            for label, url, c in pages:
                results[label].append(wrk(url, c, args.duration))
            print(f"round {number} done", file=sys.stderr)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    ceiling = results[pages[0][0]]
    admin = results[pages[1][0]]
    load = os.getloadavg()
    kept = "rendered every time (KEEP_PAGES=0)" if args.render_every_time else "kept pages on (KEEP_PAGES=1)"
    print(
        f"{args.rounds} rounds × {args.duration} s per page; wrk -t2 -c4; gunicorn 2 workers; {kept}; "
        f"load {load[0]:.1f}"
    )
    print("| page | rps | share of the ceiling | share of the admin changelist | HTML |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, _url, _c in pages:
        rps = results[label]
        shares = [r / c for r, c in zip(rps, ceiling, strict=True)]
        of_admin = [r / a for r, a in zip(rps, admin, strict=True)]
        print(
            f"| {label} | {min(rps):.0f}–{max(rps):.0f} | {100 * min(shares):.1f}–{100 * max(shares):.1f} % "
            f"| {100 * min(of_admin):.0f}–{100 * max(of_admin):.0f} % | {sizes[label] / 1024:.0f} KB |"
        )


if __name__ == "__main__":
    main()
