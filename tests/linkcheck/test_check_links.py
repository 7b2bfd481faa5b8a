"""A run of the link monitor end to end: sources -> checks against 127.0.0.1 -> state, flips, announcements."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from linkcheck import registry, services
from linkcheck.models import Flip, Link, LinkOwner, Status
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2027, 2, 1, 1, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def portal(monkeypatch):
    """What the portal's apps would register: a list of (url, owner) pairs and a notifier that records."""

    class Portal:
        pairs: list = []
        told: list = []
        failing_owners: set = set()

        def source(self):
            return list(self.pairs)

        def notify(self, owner, links):
            if owner in self.failing_owners:
                raise ConnectionError("SMTP down")
            self.told.append((owner, [link.url for link in links]))

    p = Portal()
    p.pairs, p.told, p.failing_owners = [], [], set()
    monkeypatch.setattr(registry, "_sources", [p.source])
    monkeypatch.setattr(registry, "_notifiers", [("agency:", p.notify)])
    return p


def run_on(day: int):
    return services.run(now=T0 + day * DAY)


def test_one_failed_check_does_not_break_a_link(web, portal):
    portal.pairs = [(web.url("/missing"), "agency:1")]
    run_on(0)
    link = Link.objects.get()
    assert (link.status, link.fail_count, link.broken_since) == (Status.UNKNOWN, 1, None)
    assert not Flip.objects.exists()


def test_two_failed_checks_in_a_row_break_a_link_since_the_first(web, portal):
    portal.pairs = [(web.url("/missing"), "agency:1")]
    run_on(0)
    run_on(1)
    link = Link.objects.get()
    assert (link.status, link.broken_since, link.reason) == (Status.DOWN, T0, "HTTP 404")
    flip = Flip.objects.get()
    assert (flip.old_status, flip.new_status, flip.created, flip.status_code) == (
        "unknown",
        "down",
        T0 + DAY,
        404,
    )


def test_a_link_that_stays_broken_stores_no_further_change(web, portal):
    portal.pairs = [(web.url("/error"), "agency:1")]
    for day in range(4):
        run_on(day)
    assert Flip.objects.count() == 1
    assert Link.objects.get().fail_count == 4


def test_a_working_link_stores_no_change(web, portal):
    portal.pairs = [(web.url("/ok"), "agency:1")]
    run_on(0)
    run_on(1)
    assert Link.objects.get().status == Status.UP
    assert not Flip.objects.exists()


def test_a_success_between_failures_starts_the_count_again(web, portal):
    page = "/set/flaky"
    portal.pairs = [(web.url(page), "agency:1")]
    web.statuses[page] = 500
    run_on(0)
    web.statuses[page] = 200
    run_on(1)
    web.statuses[page] = 500
    run_on(2)
    link = Link.objects.get()
    assert (link.status, link.fail_count, link.failing_since) == (Status.UP, 1, T0 + 2 * DAY)


def test_a_mended_link_flips_back_and_is_no_longer_broken(web, portal):
    page = "/set/mended"
    portal.pairs = [(web.url(page), "agency:1")]
    web.statuses[page] = 404
    run_on(0)
    run_on(1)
    web.statuses[page] = 200
    run_on(2)
    link = Link.objects.get()
    assert (link.status, link.broken_since, link.fail_count) == (Status.UP, None, 0)
    assert list(Flip.objects.order_by("created").values_list("new_status", flat=True)) == ["down", "up"]


def test_the_owner_is_told_once_of_a_breakage(web, portal):
    portal.pairs = [(web.url("/missing"), "agency:1"), (web.url("/ok"), "agency:1")]
    for day in range(4):
        run_on(day)
    assert portal.told == [("agency:1", [web.url("/missing")])]


def test_a_second_breakage_after_mending_is_told_again(web, portal):
    page = "/set/again"
    portal.pairs = [(web.url(page), "agency:1")]
    web.statuses[page] = 500
    run_on(0)
    run_on(1)
    web.statuses[page] = 200
    run_on(2)
    web.statuses[page] = 500
    run_on(3)
    run_on(4)
    assert portal.told == [("agency:1", [web.url(page)])] * 2


def test_an_owner_is_told_of_all_its_new_breakages_in_one_message(web, portal):
    portal.pairs = [(web.url("/missing"), "agency:1"), (web.url("/error"), "agency:1")]
    run_on(0)
    run_on(1)
    assert portal.told == [("agency:1", sorted([web.url("/missing"), web.url("/error")]))]


def test_every_owner_of_a_broken_link_is_told(web, portal):
    portal.pairs = [(web.url("/missing"), "agency:1"), (web.url("/missing"), "agency:2")]
    run_on(0)
    run_on(1)
    assert sorted(owner for owner, _links in portal.told) == ["agency:1", "agency:2"]


def test_an_owner_without_a_notifier_is_not_told(web, portal):
    portal.pairs = [(web.url("/missing"), "someone-else:1")]
    run_on(0)
    run_on(1)
    assert portal.told == []
    assert Flip.objects.get().notified_at is not None


def test_a_failed_announcement_is_tried_again_on_the_next_run(web, portal):
    portal.pairs = [(web.url("/missing"), "agency:1")]
    portal.failing_owners = {"agency:1"}
    run_on(0)
    result = run_on(1)
    assert result.notify_failed and Flip.objects.get().notified_at is None
    portal.failing_owners = set()
    run_on(2)
    assert portal.told == [("agency:1", [web.url("/missing")])]
    assert Flip.objects.get().notified_at is not None


def test_a_link_checked_within_the_interval_is_not_checked_again(web, portal):
    portal.pairs = [(web.url("/missing"), "agency:1")]
    services.run(now=T0)
    services.run(now=T0 + datetime.timedelta(hours=2))
    assert Link.objects.get().fail_count == 1
    assert web.requests[("HEAD", "/missing")] == 1


def test_checking_everything_ignores_the_interval(web, portal):
    portal.pairs = [(web.url("/missing"), "agency:1")]
    services.run(now=T0)
    services.run(now=T0 + datetime.timedelta(hours=2), everything=True)
    assert Link.objects.get().fail_count == 2


def test_a_url_no_source_yields_any_more_is_no_longer_monitored(web, portal):
    portal.pairs = [(web.url("/ok"), "agency:1"), (web.url("/missing"), "agency:1")]
    run_on(0)
    portal.pairs = [(web.url("/ok"), "agency:1")]
    run_on(1)
    assert list(Link.objects.values_list("url", flat=True)) == [web.url("/ok")]


def test_owners_follow_the_sources(web, portal):
    portal.pairs = [(web.url("/ok"), "agency:1")]
    run_on(0)
    portal.pairs = [(web.url("/ok"), "agency:2"), (" " + web.url("/ok") + " ", "agency:3")]
    run_on(1)
    assert sorted(LinkOwner.objects.values_list("owner", flat=True)) == ["agency:2", "agency:3"]


def test_the_command_reports_what_broke(web, portal):
    portal.pairs = [(web.url("/missing"), "agency:1")]
    yesterday = timezone.now() - DAY
    Link.objects.create(
        url=web.url("/missing"), fail_count=1, failing_since=yesterday, last_checked_at=yesterday
    )
    out = io.StringIO()
    call_command("check_links", stdout=out)
    assert "HTTP 404" in out.getvalue()
    assert Link.objects.get().status == Status.DOWN


def test_the_command_can_hand_the_run_to_the_background_worker(web, portal):
    portal.pairs = [(web.url("/ok"), "agency:1")]
    call_command("check_links", "--enqueue", stdout=io.StringIO())
    assert not Link.objects.exists()  # nothing checked in the command itself
    run_jobs()
    assert Link.objects.get().status == Status.UP
