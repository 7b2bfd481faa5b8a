"""Measure six pages as outside judges see them: Lighthouse (mobile) and the Nu HTML checker, production settings.

    .venv/bin/python benchmarks/outside_judges.py --tools /path/with/node_modules [--port 8150]

Needs Node with the npm packages `lighthouse` (12.2.3: 13 wants Node 22) and `vnu-jar` installed under --tools
(`npm i -E lighthouse@12.2.3 vnu-jar`; neither users nor CI need them), Java for vnu.jar, and Debian's chromium.

Builds its own SQLite database and static root in a temporary directory (the project's are never touched):
migrate, the demo plan, agencies and accounts (setup_demo), collectstatic; then serves the portal with
DEBUG off (gunicorn, 127.0.0.1 only, stopped at the end) and runs, on each page, Lighthouse's mobile
configuration (simulated slow 4G, a mid-range phone) and vnu.jar on the page's HTML. Signed-in pages get the
demo user's session cookie as a request header. Prints one markdown table; results: benchmarks/README.md.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def env_for(workdir: Path, *, debug: bool) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'judges.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        SECRET_KEY="benchmark-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        DEBUG="1" if debug else "0",
    )
    return env


def manage(workdir: Path, *args, debug=False):
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env_for(workdir, debug=debug)
        | {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def session_for(workdir: Path, username: str) -> str:
    """A signed-in session of a demo user, made in the benchmark database; returns its key."""
    code = (
        "import django;django.setup()\n"
        "from django.contrib.auth import get_user_model, HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        f"u=get_user_model().objects.get(username={username!r})\n"
        "s=SessionStore();s[SESSION_KEY]=str(u.pk);s[HASH_SESSION_KEY]=u.get_session_auth_hash()\n"
        "s[BACKEND_SESSION_KEY]='django.contrib.auth.backends.ModelBackend';s.create();print(s.session_key)\n"
    )
    env = env_for(workdir, debug=False) | {"DJANGO_SETTINGS_MODULE": "satun_ita.settings"}
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def ids(workdir: Path) -> dict:
    code = (
        "import django;django.setup()\n"
        "from reports.models import QuarterlyReport as Q\n"
        "from measures.models import Membership\n"
        "a=Membership.objects.get(user__username='reporter').agency\n"
        "r=Q.objects.filter(agency=a).order_by('-period__quarter').first()\n"
        "s=Q.objects.filter(status='submitted').first() or Q.objects.exclude(status='draft').first()\n"
        "print(r.pk, s.pk)\n"
    )
    env = env_for(workdir, debug=False) | {"DJANGO_SETTINGS_MODULE": "satun_ita.settings"}
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    report, review = out.stdout.split()
    return {"report": int(report), "review": int(review)}


def fetch(url: str, cookie: str | None) -> str:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"only the local benchmark server is fetched, not {url}")
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - checked above
        return response.read().decode()


def nu_errors(tools: Path, html: str, workdir: Path) -> list[str]:
    page = workdir / "page.html"
    page.write_text(html)
    jar = tools / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    out = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--errors-only", str(page)],
        capture_output=True,
        text=True,
    )
    messages = json.loads(out.stderr or out.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('lastLine', '?')}: {m['message']}" for m in messages if m.get("type") == "error"]


def lighthouse(tools: Path, url: str, cookie: str | None, workdir: Path) -> dict:
    report = workdir / "lh.json"
    args = [
        str(tools / "node_modules" / ".bin" / "lighthouse"),
        url,
        "--quiet",
        "--chrome-path=/usr/bin/chromium",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--output=json",
        f"--output-path={report}",
    ]
    if cookie:
        args.append("--extra-headers=" + json.dumps({"Cookie": f"sessionid={cookie}"}))
    run = subprocess.run(args, capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(f"lighthouse {url}: {run.stderr[-2000:]}")
    data = json.loads(report.read_text())
    scores = {k: round(100 * (v["score"] or 0)) for k, v in data["categories"].items()}
    audits = data["audits"]
    failing = [
        a["id"]
        for cat in ("accessibility", "best-practices", "seo")
        for ref in data["categories"][cat]["auditRefs"]
        if (a := audits[ref["id"]]).get("score") is not None and a["score"] < 1 and ref.get("weight", 0) > 0
    ]
    return {
        **scores,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "failing": failing,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tools", type=Path, required=True, help="directory with node_modules/lighthouse, vnu-jar"
    )
    parser.add_argument("--port", type=int, default=8150)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        manage(workdir, "migrate", "--noinput", "-v0")
        manage(workdir, "setup_demo", debug=True)
        manage(workdir, "collectstatic", "--noinput", "-v0")
        cookies = {name: session_for(workdir, name) for name in ("reporter", "reviewer")}
        pk = ids(workdir)
        base = f"http://127.0.0.1:{options.port}"
        pages = [
            ("home", "/", None),
            ("plan", "/plan/", None),
            ("agency home", "/my/", "reporter"),
            ("report page", f"/reports/{pk['report']}/", "reporter"),
            ("review page", f"/review/{pk['review']}/", "reviewer"),
            ("dashboard", "/dashboard/", "reviewer"),
        ]
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "satun_ita.wsgi",
                "--bind",
                f"127.0.0.1:{options.port}",
                "--workers",
                "2",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env_for(workdir, debug=False),
            start_new_session=True,
        )
        try:
            for _ in range(60):
                try:
                    fetch(base + "/", None)
                    break
                except OSError:
                    time.sleep(0.5)
            print(
                "| page | performance | accessibility | best practices | SEO | CLS | FCP s | LCP s | Nu errors |"
            )
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            details = []
            for name, path, user in pages:
                cookie = cookies.get(user) if user else None
                errors = nu_errors(options.tools, fetch(base + path, cookie), workdir)
                lh = lighthouse(options.tools, base + path, cookie, workdir)
                print(
                    f"| {name} | {lh['performance']} | {lh['accessibility']} | {lh['best-practices']} | "
                    f"{lh['seo']} | {lh['cls']:.3f} | {lh['fcp']:.1f} | {lh['lcp']:.1f} | {len(errors)} |",
                    flush=True,
                )
                details.append((name, lh["failing"], errors))
            for name, failing, errors in details:
                if failing or errors:
                    print(f"\n{name}: failing audits {failing}; Nu: {errors[:5]}")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
