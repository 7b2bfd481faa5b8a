"""Whole pages kept rendered (ops.pagecache) until the data version (ops.versions) says anything changed.

A kept page must never be stale, never reach another user, carry each request's own CSRF token, and be skipped
whenever serving it would skip something (messages, a view's writes).
"""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Agency
from measures.thaidate import BANGKOK
from ops import versions
from reports import workflow
from reports.models import MeasureProgress, QuarterlyReport
from tests.factories import FiscalYearFactory, IndicatorFactory, MeasureFactory
from tests.reporting.helpers import progress_data
from tests.review.helpers import complete

pytestmark = pytest.mark.django_db

# A kept page: the session, the user (both for every signed-in request) and the data version.
KEPT_PAGE_QUERIES = 3
SAVED = '<div class="alert alert-success" role="status">บันทึกฉบับร่างแล้ว</div>'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANY_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


@pytest.fixture(autouse=True)
def on_20_january_2022():
    caches["pages"].clear()
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, 0, tzinfo=BANGKOK), tick=False):
        yield


@pytest.fixture
def year():
    year = FiscalYearFactory(year=2565, is_active=True)
    for number in (1, 2):
        MeasureFactory(indicator=IndicatorFactory(fiscal_year=year, number=number))
    return year


@pytest.fixture
def report(year, agency, alice):
    return workflow.get_or_create_report(agency=agency, period=year.periods.get(quarter=1), user=alice)


@pytest.fixture
def other_report(year, other_agency, bob):
    return workflow.get_or_create_report(agency=other_agency, period=year.periods.get(quarter=1), user=bob)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries_of(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200, response.status_code
    return response, len(queries)


def without_tokens(html: bytes) -> str:
    return ANY_TOKEN.sub("", html.decode())


def kept_pages(report):
    """Every page kept whole, with the user who reads it."""
    return [
        ("reviewer", reverse("reports:dashboard"), {"year": 2565, "quarter": 1}),
        ("reviewer", reverse("reports:round", args=[6]), {"year": 2565}),
        ("reviewer", reverse("reports:round", args=[12]), {}),
        ("reviewer", reverse("reports:review_inbox"), {"period": "2565-1"}),
        ("reviewer", reverse("reports:review", args=[report.pk]), {}),
        ("reporter", reverse("reports:report", args=[report.pk]), {}),
    ]


# --- the data version ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('SELECT "n" FROM "t"', None),
        ("  select 1", None),
        ('SAVEPOINT "s1"', None),
        ('RELEASE SAVEPOINT "s1"', None),
        ('INSERT INTO "reports_evidence" ("a") VALUES (%s)', "reports_evidence"),
        ('INSERT OR IGNORE INTO "measures_measure_agencies" ("a") VALUES (%s)', "measures_measure_agencies"),
        ('UPDATE "reports_quarterlyreport" SET "status" = %s', "reports_quarterlyreport"),
        ('DELETE FROM "django_session" WHERE 1', "django_session"),
        ("update reports_notice set read_at = now()", "reports_notice"),
        ('CREATE TABLE "x" ("id" integer)', ""),  # not read off: counts as a write to everything
        ('TRUNCATE "reports_evidence"', ""),
    ],
)
def test_a_statement_is_read_or_a_write_to_a_table(sql, table):
    assert versions.written_table(sql) == table


def test_every_kind_of_write_raises_the_local_version(report, agency):
    def raised(write) -> bool:
        before = versions.current()
        write()
        return versions.current()[1] != before[1]

    assert raised(lambda: Agency.objects.filter(pk=agency.pk).update(name_en="Renamed"))
    assert raised(lambda: report.progress.update(result="ทำแล้ว"))
    assert raised(lambda: agency.save())
    assert raised(lambda: MeasureProgress.objects.filter(report=report).delete())
    with connection.cursor() as cursor:
        assert raised(lambda: cursor.execute('UPDATE "measures_agency" SET "order" = "order"'))
    # Writes no page shows change nothing.
    assert not raised(lambda: SessionStore().save())
    assert not raised(lambda: caches["default"].set("x", 1))
    assert not raised(lambda: list(QuarterlyReport.objects.all()))


def test_the_version_reader_stays_first_through_other_execute_wrappers(report):
    def other(execute, *args):
        return execute(*args)

    with connection.execute_wrapper(other):
        versions.install(connection=connection)
    assert connection.execute_wrappers[0] is versions.track_writes
    before = versions.current()[1]
    report.progress.update(result="ทำแล้ว")
    assert versions.current()[1] != before


@pytest.mark.django_db(transaction=True)
def test_the_shared_version_is_raised_once_per_committed_transaction(agency):
    shared = versions.current()[0]
    with transaction.atomic():
        agency.name_en = "One"
        agency.save()
        Agency.objects.filter(pk=agency.pk).update(name_en="Two")
        assert versions.current()[0] == shared  # not before the commit: nobody else sees it yet
    assert versions.current()[0] == shared + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(name_en="Three")
        raise RuntimeError
    assert versions.current()[0] == shared + 1  # rolled back: nothing changed
    Agency.objects.filter(pk=agency.pk).update(name_en="Four")  # autocommit
    assert versions.current()[0] == shared + 2
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            Agency.objects.filter(pk=agency.pk).update(name_en="Five")
            raise RuntimeError
        Agency.objects.filter(pk=agency.pk).update(name_en="Six")  # registered again after the savepoint
    assert versions.current()[0] == shared + 3


@pytest.mark.django_db(transaction=True)
def test_the_shared_version_comes_back_when_its_row_is_gone(agency):
    with connection.cursor() as cursor:
        cursor.execute('DELETE FROM "ops_dataversion"')
    assert versions.current()[0] == 0
    Agency.objects.filter(pk=agency.pk).update(name_en="Again")
    assert versions.current()[0] == 1


# --- kept pages ------------------------------------------------------------------------------------------


def test_each_page_is_kept_until_something_changes(report, alice, rita):
    clients = {"reviewer": signed_in(rita), "reporter": signed_in(alice)}
    for who, url, data in kept_pages(report):
        client = clients[who]
        first, rendered = queries_of(client, url, data)
        again, kept = queries_of(client, url, data)
        assert kept == KEPT_PAGE_QUERIES < rendered, url
        assert without_tokens(again.content) == without_tokens(first.content), url
        assert again["Content-Type"] == first["Content-Type"]
        versions.raise_local()  # any write
        _response, after_a_change = queries_of(client, url, data)
        assert after_a_change == rendered, url


def test_a_change_by_someone_else_shows_on_the_next_visit(report, alice, rita):
    client = signed_in(rita)
    url, query = reverse("reports:dashboard"), {"year": 2565, "quarter": 1}
    assert client.get(url, query).context["counts"]["submitted"] == 0
    assert client.get(url, query).context is None  # kept: no template rendered
    complete(report)
    workflow.submit(report, alice)
    assert client.get(url, query).context["counts"]["submitted"] == 1


def test_a_change_committed_by_another_process_shows_on_the_next_visit(report, rita):
    """Another process raises only the shared version (after its commit); this one's local part stays."""
    client = signed_in(rita)
    url = reverse("reports:review", args=[report.pk])
    _first, rendered = queries_of(client, url)
    local = versions.current_local()
    QuarterlyReport.objects.filter(pk=report.pk).update(status=QuarterlyReport.Status.SUBMITTED)
    versions._state["local"] = local  # as if the write had been made elsewhere…
    with connection.cursor() as cursor:  # …and published there after its commit
        cursor.execute(versions._RAISE)
    response, queries = queries_of(client, url)
    assert queries == rendered
    assert "อนุมัติ" in response.content.decode()  # the decision a submitted report offers


def test_every_response_carries_its_own_requests_csrf_token(report, rita):
    url = reverse("reports:review", args=[report.pk])
    QuarterlyReport.objects.filter(pk=report.pk).update(status=QuarterlyReport.Status.SUBMITTED)
    first = Client(enforce_csrf_checks=True)
    first.force_login(rita)
    second = Client(enforce_csrf_checks=True)
    second.force_login(rita)  # the same reviewer on another device: the same key, another cookie
    first.get(url)
    response, queries = queries_of(second, url)
    assert queries == KEPT_PAGE_QUERIES
    tokens = set(TOKEN.findall(response.content.decode()))
    assert len(tokens) == 1 and "\x00" not in tokens.pop()
    token = TOKEN.search(response.content.decode()).group(1)
    returned = second.post(
        reverse(workflow.RETURN.url_name, args=[report.pk]),
        {"csrfmiddlewaretoken": token, "reason": "ขอเอกสารเพิ่ม"},
    )
    assert returned.status_code in (200, 302)  # not 403: the kept page's token is valid for this cookie


def test_another_user_never_gets_a_kept_page(report, other_report, alice, bob, rita):
    url = reverse("reports:report", args=[report.pk])
    alices = signed_in(alice)
    alices.get(url)
    assert queries_of(alices, url)[1] == KEPT_PAGE_QUERIES
    assert signed_in(bob).get(url).status_code == 404  # another agency's report, kept or not
    assert Client().get(url).status_code == 302  # signed out: to the sign-in page
    reviewer = signed_in(rita)
    response, queries = queries_of(reviewer, url)
    assert queries > KEPT_PAGE_QUERIES  # rendered for the reviewer, not alice's page
    assert 'name="action" value="submit"' not in response.content.decode()


def test_a_page_with_messages_is_shown_fresh_and_the_message_once(report, alice):
    client = signed_in(alice)
    url = reverse("reports:report", args=[report.pk])
    client.get(url)
    client.get(url)  # kept now
    typed = {p.pk: {"status": "in_progress", "result": "กำลังทำ"} for p in report.progress.all()}
    saved = client.post(url, progress_data(report, typed))
    assert saved.status_code == 302
    shown = client.get(url).content.decode()
    assert SAVED in shown
    assert SAVED not in client.get(url).content.decode()  # shown once, not kept with the page


def test_a_view_that_writes_is_not_kept(report, alice, year):
    """A report page joins measures added to the plan since (a write): that visit is not kept."""
    client = signed_in(alice)
    url = reverse("reports:report", args=[report.pk])
    client.get(url)
    MeasureFactory(indicator=IndicatorFactory(fiscal_year=year, number=3))
    response, joining = queries_of(client, url)
    assert report.progress.count() == 3
    _response, rendered = queries_of(client, url)  # rendered again: the joining visit was not kept
    assert rendered > KEPT_PAGE_QUERIES
    assert queries_of(client, url)[1] == KEPT_PAGE_QUERIES
    assert joining > rendered


def test_languages_and_minutes_are_kept_apart(report, rita):
    client = signed_in(rita)
    url = reverse("reports:dashboard")
    thai = client.get(url, {"year": 2565, "quarter": 1}).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url, {"year": 2565, "quarter": 1}).content.decode()
    assert "Dashboard" in english and "Dashboard" not in thai
    _response, kept = queries_of(client, url, {"year": 2565, "quarter": 1})
    assert kept == KEPT_PAGE_QUERIES
    with time_machine.travel(datetime.datetime(2022, 1, 20, 9, 1, tzinfo=BANGKOK), tick=False):
        _response, next_minute = queries_of(client, url, {"year": 2565, "quarter": 1})
    assert next_minute > KEPT_PAGE_QUERIES


def test_an_edited_template_is_shown_at_once_under_runserver(report, rita):
    """runserver reloads templates without restarting; its reloader's file_changed must end the kept pages."""
    from django.utils.autoreload import file_changed

    client = signed_in(rita)
    url = reverse("reports:dashboard")
    queries_of(client, url)
    assert queries_of(client, url)[1] == KEPT_PAGE_QUERIES
    file_changed.send(sender=None, file_path=Path("templates/reports/dashboard/dashboard.html"))
    assert queries_of(client, url)[1] > KEPT_PAGE_QUERIES


def test_pages_are_not_kept_when_turned_off(report, rita, settings):
    settings.KEEP_PAGES = False
    client = signed_in(rita)
    url = reverse("reports:dashboard")
    _first, rendered = queries_of(client, url)
    _again, again = queries_of(client, url)
    assert again == rendered > KEPT_PAGE_QUERIES  # rendered again (and no data version read)


def test_no_kept_page_reads_a_table_whose_writes_are_not_tracked(report, alice, rita):
    """A table in versions.UNTRACKED may change without raising the version: no kept page may show one. (The
    session tables are read by the middleware of every request, and no page shows them.)"""
    clients = {"reviewer": signed_in(rita), "reporter": signed_in(alice)}
    read_by_every_request = {"django_session", "accounts_usersession", versions.TABLE}
    for who, url, data in kept_pages(report):
        versions.raise_local()
        with CaptureQueriesContext(connection) as queries:
            assert clients[who].get(url, data).status_code == 200
        tables = {name for query in queries for name in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"])}
        assert not (tables - read_by_every_request) & versions.UNTRACKED, (url, tables & versions.UNTRACKED)
