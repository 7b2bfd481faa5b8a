"""Load: 50 users for 2 minutes against gunicorn + PostgreSQL behind nginx (TLS) on 127.0.0.1, then a check
that every save the users were told succeeded is in the database.

    .venv/bin/python benchmarks/load.py                  # 50 users, 2 minutes (about 4 minutes in all)
    LOAD_USERS=10 LOAD_TIME=30s .venv/bin/python benchmarks/load.py

The mix: agency reporters (40 %) open their quarter's report, save drafts (a new result text each time) and
submit after a few saves, then go on to their next quarter; provincial reviewers (30 %) read the review inbox,
review pages, the dashboard and the 6-month round; anonymous readers (30 %) read the public results (the year,
agency and indicator pages of transparency/), the plan and the home page. Think time 1–3 s.
Locust runs headless, loopback only, bounded by LOAD_TIME; the set-up is benchmarks/stack.py (the README's
production configuration). Ports 8175 (nginx), 8176 (gunicorn); database satun_i13_load (made anew).
Results in benchmarks/README.md. This file is also the locustfile (the classes below).
"""

import json
import os
import random
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

from locust import FastHttpUser, between, task

PASSWORD = "load-2565"
SAVES_LOG = os.environ.get("LOAD_SAVES_LOG", "")
ACCOUNTS = os.environ.get("LOAD_ACCOUNTS", "")


# --- the users ---------------------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """Every form's fields as a browser would send them, by form: inside a <form>, or joined to one by the HTML
    `form` attribute (the report page's measures join `#report-form` that way)."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict] = {}
        self._form = None  # the id (or a made-up one) of the <form> we are in
        self._textarea = self._select = None  # (form, name) of the open element

    def _owner(self, attrs):
        return attrs.get("form") or self._form

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = attrs.get("id") or f"form{len(self.forms)}"
            self.forms.setdefault(self._form, {})
            return
        owner = self._owner(attrs) if tag != "option" else None
        name = attrs.get("name")
        if tag == "input" and name and owner and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms.setdefault(owner, {})[name] = attrs.get("value", "")
        elif tag == "textarea" and name and owner:
            self._textarea = (owner, name)
            self.forms.setdefault(owner, {})[name] = ""
        elif tag == "select" and name and owner:
            self._select = (owner, name)
            self.forms.setdefault(owner, {}).setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            owner, name = self._select
            self.forms[owner][name] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            owner, name = self._textarea
            self.forms[owner][name] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            owner, name = self._textarea
            # As a browser does: the newline right after <textarea> is not part of the value.
            self.forms[owner][name] = self.forms[owner][name].removeprefix("\r\n").removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def report_form(html: str) -> dict | None:
    parser = FormParser()
    parser.feed(html)
    return next((form for form in parser.forms.values() if "version" in form), None)


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = between(1, 3)
    insecure = True  # the proxy's self-signed certificate on 127.0.0.1

    def post_form(self, path, data, name=None):
        headers = {"Referer": self.host + path, "X-CSRFToken": self._csrf()}
        return self.client.post(path, data=data, headers=headers, name=name or path, allow_redirects=False)

    def _csrf(self):
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def login(self, username):
        page = self.client.get("/accounts/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        data = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        with self.client.post(
            "/accounts/login/",
            data=data,
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {username} answered {response.status_code}")


def _accounts():
    return json.loads(Path(ACCOUNTS).read_text()) if ACCOUNTS else {"reporters": {}, "reviewers": []}


class Reporter(PortalUser):
    weight = 4
    _free: list | None = None

    def on_start(self):
        if Reporter._free is None:
            Reporter._free = list(_accounts()["reporters"].items())
            random.shuffle(Reporter._free)
        self.username, self.reports = Reporter._free.pop() if Reporter._free else (None, [])
        self.saves = 0
        if self.username:
            self.login(self.username)

    @task
    def save_or_submit(self):
        if not self.reports:
            return
        report_id = self.reports[0]
        path = f"/reports/{report_id}/"
        page = self.client.get(path, name="report page")
        form = report_form(page.text)
        if form is None:  # submitted already (or not editable): the next quarter
            self.reports.pop(0)
            return
        self.saves += 1
        token = f"load {self.username} {report_id} {self.saves} {time.time_ns()}"
        results = sorted(name for name in form if name.endswith("-result"))
        submitting = self.saves % 4 == 0
        if submitting:
            for name in results:
                form[name] = form[name].strip() or f"ผลการดำเนินการ {token}"
                form[name.removesuffix("-result") + "-status"] = "in_progress"
        form[random.choice(results)] = f"ผลการดำเนินการ ({token})"
        form["action"] = "submit" if submitting else "save"
        if submitting:
            form["confirmed"] = "1"  # what the confirmation dialog adds when the reporter answers "submit"
        with self.client.post(
            path,
            data=form,
            headers={"Referer": self.host + path, "X-CSRFToken": self._csrf()},
            name="submit" if submitting else "save draft",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                problem = re.search(r'class="alert[^"]*"[^>]*>(.*?)</', response.text or "", re.S)
                detail = re.sub(r"\s+", " ", problem.group(1)).strip()[:120] if problem else ""
                response.failure(f"{form['action']} answered {response.status_code} {detail}")
                return
            if SAVES_LOG:
                with open(SAVES_LOG, "a", encoding="utf-8") as log:
                    log.write(json.dumps({"report": report_id, "token": token, "submit": submitting}) + "\n")
        if submitting:
            self.reports.pop(0)


class Reviewer(PortalUser):
    weight = 3
    _next = 0

    def on_start(self):
        reviewers = _accounts()["reviewers"]
        Reviewer._next += 1
        self.login(reviewers[Reviewer._next % len(reviewers)])
        self.review_links = []

    @task(3)
    def inbox(self):
        page = self.client.get("/review/", name="review inbox")
        self.review_links = re.findall(r'href="(/review/\d+/)"', page.text) or self.review_links

    @task(3)
    def review_page(self):
        if self.review_links:
            self.client.get(random.choice(self.review_links), name="review page")

    @task(2)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(1)
    def six_month_round(self):
        self.client.get("/dashboard/rounds/6/", name="6-month round")


class Reader(FastHttpUser):
    """An anonymous visitor of the public side: the approved results (transparency/) and the plan."""

    weight = 3
    wait_time = between(1, 3)
    insecure = True

    def on_start(self):
        accounts = _accounts()
        self.year, self.agencies = accounts.get("year", 2565), accounts.get("agencies", ["PROV"])

    @task(2)
    def public_year(self):
        self.client.get(f"/public/{self.year}/", name="public year")

    @task(3)
    def public_agency(self):
        self.client.get(f"/public/{self.year}/agency/{random.choice(self.agencies)}/", name="public agency")

    @task(1)
    def public_indicator(self):
        self.client.get(f"/public/{self.year}/indicator/{random.randint(1, 10)}/", name="public indicator")

    @task(1)
    def plan(self):
        self.client.get("/plan/", name="public plan")

    @task(1)
    def home(self):
        self.client.get("/", name="public home")


# --- the driver --------------------------------------------------------------------------------------------

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from measures.models import Agency, FiscalYear, Membership
from reports import roles, workflow

User = get_user_model()
groups = roles.setup_groups()
year = FiscalYear.objects.get(is_active=True)
periods = list(year.periods.order_by("quarter"))
password = make_password(%(password)r)
accounts = {"reporters": {}, "reviewers": [], "year": year.year, "agencies": []}
for agency in Agency.objects.filter(is_active=True).order_by("code"):
    user = User.objects.create(username=f"load_{agency.code.lower()}", password=password, first_name="load")
    user.groups.add(groups[roles.REPORTER_GROUP])
    Membership.objects.create(user=user, agency=agency)
    reports = [workflow.get_or_create_report(agency=agency, period=period, user=user) for period in periods]
    accounts["reporters"][user.username] = [r.pk for r in reports if r.is_editable_by_agency]
    accounts["agencies"].append(agency.code)
for number in range(%(reviewers)d):
    user = User.objects.create(username=f"load_reviewer{number}", password=password, first_name="load")
    user.groups.add(groups[roles.REVIEWER_GROUP])
    accounts["reviewers"].append(user.username)
print(json.dumps(accounts))
"""

CHECK = """
import json, sys
from reports.models import QuarterlyReport, ReportEvent
saves = [json.loads(line) for line in open(%(log)r, encoding="utf-8")]
texts = {}
for event in ReportEvent.objects.filter(action=ReportEvent.Action.SAVED).only("report_id", "changes"):
    texts.setdefault(event.report_id, []).append(json.dumps(event.changes, ensure_ascii=False))
missing = [s for s in saves if not any(s["token"] in t for t in texts.get(s["report"], []))]
submitted = {s["report"] for s in saves if s["submit"]}
not_submitted = QuarterlyReport.objects.filter(pk__in=submitted).exclude(status="submitted").count()
print(json.dumps({"saves": len(saves), "submits": len(submitted), "missing": len(missing),
                  "submitted_not_in_db": not_submitted, "saved_events": sum(map(len, texts.values()))}))
"""


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stack import Stack

    users = int(os.environ.get("LOAD_USERS", "50"))
    run_time = os.environ.get("LOAD_TIME", "2m")
    proxy_port, app_port = 8175, 8176
    with Stack(
        database=os.environ.get("LOAD_DB", "satun_i13_load"),
        moto_port=None,
        app_ports=[app_port],
        proxy_port=proxy_port,
    ) as stack:
        stack.prepare_database()
        setup = stack.manage(
            "shell",
            "-c",
            SETUP % {"password": PASSWORD, "reviewers": 10},
            debug=True,
            capture_output=True,
            text=True,
        )
        accounts_file = stack.run / "accounts.json"
        accounts_file.write_text(setup.stdout.strip().splitlines()[-1])
        stack.start_app(app_port, "load")
        stack.start_proxy()
        saves_log = stack.run / "saves.jsonl"
        saves_log.touch()
        csv_prefix = stack.run / "locust"
        env = {**os.environ, "LOAD_SAVES_LOG": str(saves_log), "LOAD_ACCOUNTS": str(accounts_file)}
        cpu_before = stack.app_cpu_seconds()
        print(
            f"locust: {users} users, {run_time}, against {stack.base_url} (gunicorn {' '.join(stack_args())})"
        )
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f",
                __file__,
                "--headless",
                "-u",
                str(users),
                "-r",
                "5",
                "-t",
                run_time,
                "--host",
                stack.base_url,
                "--csv",
                str(csv_prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--exit-code-on-error",
                "0",
            ],
            env=env,
            check=True,
            timeout=900,
        )
        load_after = os.getloadavg()
        app_cpu = stack.app_cpu_seconds() - cpu_before
        stats = next(row for row in csv_rows(f"{csv_prefix}_stats.csv") if row["Name"] == "Aggregated")
        per_name = [row for row in csv_rows(f"{csv_prefix}_stats.csv") if row["Name"] != "Aggregated"]
        check = stack.manage("shell", "-c", CHECK % {"log": str(saves_log)}, capture_output=True, text=True)
        result = json.loads(check.stdout.strip().splitlines()[-1])
    print(
        f"\nrequests {stats['Request Count']}, failures {stats['Failure Count']}, "
        f"{float(stats['Requests/s']):.1f} req/s, p50 {stats['50%']} ms, p95 {stats['95%']} ms, "
        f"p99 {stats['99%']} ms, max {float(stats['Max Response Time']):.0f} ms"
    )
    for row in per_name:
        print(
            f"  {row['Type']:4} {row['Name']:15} {row['Request Count']:>6} req, {row['Failure Count']} failed, "
            f"p50 {row['50%']} ms, p95 {row['95%']} ms, p99 {row['99%']} ms"
        )
    print(f"host load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in load_after)}")
    requests_done = int(stats["Request Count"])
    print(
        f"app CPU (gunicorn + nginx): {app_cpu:.1f} s for {requests_done} requests = "
        f"{app_cpu / max(requests_done, 1) * 1000:.1f} ms per request"
    )
    print(
        f"database: {result['saves']} saves reported successful, {result['missing']} missing; "
        f"{result['submits']} submissions, {result['submitted_not_in_db']} not submitted in the database; "
        f"{result['saved_events']} save events in all"
    )
    ok = (
        int(stats["Failure Count"]) == 0
        and result["saves"] > 0
        and result["missing"] == 0
        and result["submitted_not_in_db"] == 0
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def stack_args():
    from stack import GUNICORN_ARGS

    return GUNICORN_ARGS


def csv_rows(path):
    import csv

    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


if __name__ == "__main__":
    sys.exit(main())
