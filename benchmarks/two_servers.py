"""Two app servers, one truth: two gunicorn servers on one PostgreSQL and one S3 store (moto) behind nginx
(round-robin, TLS) on 127.0.0.1, checked as a user would see them.

    .venv/bin/python benchmarks/two_servers.py            # about a minute; prints each step, exits 1 on a failure

Through the proxy, it logs in, uploads a file through one server and downloads it through the other, is locked
out by wrong passwords on one and stays locked on the other, and keeps its session across both. nginx names the
server of every answer (X-Upstream). Afterwards neither server's MEDIA_ROOT holds a file: evidence is in the
bucket, sessions, lockouts and cache in PostgreSQL. Ports 8171 (S3), 8172-8173 (gunicorn), 8174 (nginx);
database satun_i13_two (made anew). Results: benchmarks/README.md.
"""

import os
import re
import sys
import time
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import Stack  # noqa: E402

DATABASE = os.environ.get("TWO_SERVERS_DB", "satun_i13_two")
MOTO, APP_A, APP_B, PROXY = 8171, 8172, 8173, 8174
FAILURE_LIMIT = 3
PASSWORD = "satun2565"
failures = []


def check(condition: bool, text: str) -> None:
    print(("  ok    " if condition else "  FAIL  ") + text)
    if not condition:
        failures.append(text)


class Browser:
    def __init__(self, stack):
        self.base = stack.base_url
        self.verify = stack.certificate
        self.session = requests.Session()
        self.upstreams: list[str] = []

    def _record(self, response):
        self.upstreams.append(response.headers.get("X-Upstream", "?"))
        return response

    def get(self, path, **kwargs):
        return self._record(
            self.session.get(
                self.base + path, allow_redirects=False, timeout=30, verify=self.verify, **kwargs
            )
        )

    def post(self, path, data, files=None, referer=None):
        token = self.session.cookies.get("csrftoken")
        headers = {"Referer": self.base + (referer or path), "X-CSRFToken": token or ""}
        return self._record(
            self.session.post(
                self.base + path,
                data=data,
                files=files,
                headers=headers,
                allow_redirects=False,
                timeout=60,
                verify=self.verify,
            )
        )

    def login(self, username, password):
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.post(
            "/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )


def form_token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def main() -> int:
    started = time.monotonic()
    with Stack(
        database=DATABASE,
        moto_port=MOTO,
        app_ports=[APP_A, APP_B],
        proxy_port=PROXY,
        env={"AXES_FAILURE_LIMIT": str(FAILURE_LIMIT)},
    ) as stack:
        print(
            f"database {stack.database_url}; S3 at 127.0.0.1:{MOTO}; gunicorn on {APP_A} and {APP_B}; "
            f"nginx (TLS, round-robin) on {PROXY}"
        )
        stack.start_moto()
        stack.prepare_database()
        stack.start_app(APP_A, "a")
        stack.start_app(APP_B, "b")
        stack.start_proxy()
        a, b = f"127.0.0.1:{APP_A}", f"127.0.0.1:{APP_B}"

        print("1. session: log in, then pages through both servers")
        user = Browser(stack)
        login = user.login("reporter", PASSWORD)
        check(
            login.status_code == 302,
            f"login answered {login.status_code} (302 expected) via {user.upstreams[-1]}",
        )
        check(
            len(set(user.upstreams[-2:])) == 2,
            f"login form from {user.upstreams[-2]}, login post to {user.upstreams[-1]}",
        )
        start = len(user.upstreams)
        statuses = [user.get("/my/").status_code for _ in range(6)]
        seen = set(user.upstreams[start:])
        check(statuses == [200] * 6, f"6 requests to /my/ signed in: {statuses}")
        check(seen == {a, b}, f"served by {sorted(seen)}")

        print("2. evidence: upload through one server, download through the other")
        with psycopg2.connect(stack.database_url) as db, db.cursor() as cursor:
            cursor.execute(
                "SELECT p.id, r.id FROM reports_measureprogress p JOIN reports_quarterlyreport r ON r.id = p.report_id "
                "JOIN measures_agency g ON g.id = r.agency_id WHERE g.code = 'PROV' AND r.status IN ('draft', 'returned') "
                "ORDER BY p.id LIMIT 1"
            )
            progress_id, report_id = cursor.fetchone()
        content = b"%PDF-1.4\n" + os.urandom(300_000) + b"\n%%EOF\n"
        page = user.get(f"/reports/{report_id}/")
        upload = user.post(
            f"/progress/{progress_id}/evidence/file/",
            {"csrfmiddlewaretoken": form_token(page), f"file{progress_id}-description": "two servers"},
            files={f"file{progress_id}-file": ("หลักฐานสองเครื่อง.pdf", content, "application/pdf")},
            referer=f"/reports/{report_id}/",
        )
        upload_server = user.upstreams[-1]
        check(upload.status_code == 302, f"upload answered {upload.status_code} via {upload_server}")
        with psycopg2.connect(stack.database_url) as db, db.cursor() as cursor:
            cursor.execute(
                "SELECT id, file FROM reports_evidence WHERE kind = 'file' ORDER BY id DESC LIMIT 1"
            )
            evidence_id, stored_name = cursor.fetchone()
        check(f"satun/{stored_name}" in stack.bucket_keys(), f"object satun/{stored_name} is in the bucket")
        for _ in range(4):
            download = user.get(f"/evidence/{evidence_id}/download/")
            if user.upstreams[-1] != upload_server:
                break
        check(
            user.upstreams[-1] != upload_server,
            f"download served by {user.upstreams[-1]}, upload by {upload_server}",
        )
        check(
            download.status_code == 200 and download.content == content,
            f"download {download.status_code}, {len(download.content):,} bytes, identical: {download.content == content}",
        )
        other = Browser(stack)
        other.login("reporter2", PASSWORD)
        check(
            other.get(f"/evidence/{evidence_id}/download/").status_code == 404,
            "another agency's reporter gets 404",
        )

        print(f"3. lockout: {FAILURE_LIMIT} wrong passwords, then the right one on both servers")
        attacker = Browser(stack)
        wrong_servers = set()
        for attempt in range(FAILURE_LIMIT):
            if attempt % 2:
                attacker.get("/plan/")  # one more request, so the next password goes to the other server
            attacker.login("reviewer", "wrong-password")
            wrong_servers.add(attacker.upstreams[-1])
        check(wrong_servers == {a, b}, f"wrong passwords went to {sorted(wrong_servers)}")
        locked = []
        for attempt in range(2):
            if attempt:
                attacker.get("/plan/")
            response = attacker.login("reviewer", PASSWORD)
            locked.append((attacker.upstreams[-1], response.status_code))
        check(
            all(status == 429 for _server, status in locked) and {s for s, _ in locked} == {a, b},
            f"right password afterwards: {locked} (429 = locked out)",
        )

        print("4. nothing kept on the servers' own disks")
        check(stack.media_dirs_empty(), "neither server's MEDIA_ROOT holds a file")
        with psycopg2.connect(stack.database_url) as db, db.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_session")
            sessions = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM axes_accessattempt")
            attempts = cursor.fetchone()[0]
        check(
            sessions >= 2 and attempts >= 1,
            f"{sessions} sessions and {attempts} lockout record(s) in PostgreSQL",
        )
        health = [
            requests.get(f"http://{server}/healthz", headers={"Host": "127.0.0.1"}, timeout=10).json()
            for server in (a, b)
        ]
        check(
            all(h["status"] == "ok" and h["storage"]["kind"] == "s3" for h in health),
            "both servers' /healthz: database and S3 storage ok",
        )

    print(
        f"{'PASS' if not failures else 'FAIL'}: {len(failures)} failure(s) in {time.monotonic() - started:.0f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
