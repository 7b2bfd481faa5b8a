"""The link monitor's settings, each with its default (override any of them in the project's settings)."""

import datetime

from django.conf import settings

DEFAULTS = {
    # Requests in flight at once, over all hosts, and to one host (host:port).
    "LINKCHECK_CONCURRENCY": 10,
    "LINKCHECK_PER_HOST": 2,
    # Seconds one request may take, redirects included; a HEAD that fails gets a GET with the same budget.
    "LINKCHECK_TIMEOUT": 10.0,
    "LINKCHECK_MAX_REDIRECTS": 5,
    # Failed checks in a row before a link counts as broken (one failure may be a passing outage).
    "LINKCHECK_FAILURES_TO_BREAK": 2,
    # A run checks links last checked longer ago than this, so running the command twice a day does not
    # count one outage twice; `check_links --all` checks every link regardless.
    "LINKCHECK_INTERVAL": datetime.timedelta(hours=20),
    "LINKCHECK_USER_AGENT": "ITA-portal-linkcheck/1.0",
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
