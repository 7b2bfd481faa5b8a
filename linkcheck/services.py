"""One run of the link monitor: collect the URLs, check the ones due, store changes, tell owners once.

    run()  =  sync_links()          the registered sources' (url, owner) pairs -> Link and LinkOwner rows
              check_due(...)        HEAD/GET the links due; results applied in batches under row locks
              notify_breakages()    each new breakage announced once to each of its owners

Every step is safe to repeat and to run twice at once: links are applied under `select_for_update`, so two
runs never both flip the same link; announcements claim their flips under the same kind of lock.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from linkcheck import checker, conf, registry
from linkcheck.models import Flip, Link, LinkOwner, Status

logger = logging.getLogger(__name__)

BATCH = 200


def batched(iterable, size):
    """itertools.batched (Python 3.12) for 3.11: lists of `size` items, the last one shorter."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class SyncResult:
    links: int = 0
    added: int = 0
    removed: int = 0


@dataclass
class RunResult:
    sync: SyncResult = field(default_factory=SyncResult)
    checked: int = 0
    failed: int = 0
    broken: list = field(default_factory=list)  # Link, newly broken in this run
    recovered: list = field(default_factory=list)  # Link, working again in this run
    notified: list = field(default_factory=list)  # owners told of a breakage
    notify_failed: list = field(default_factory=list)  # (owner, exception)
    seconds: float = 0.0


def collect() -> dict[str, set[str]]:
    """Every registered source's pairs: url -> owners (blank URLs dropped, surrounding spaces stripped)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for source in registry.sources():
        for url, owner in source():
            url = (url or "").strip()
            if url and len(url) <= Link._meta.get_field("url").max_length:
                wanted[url].add(str(owner)[:100])
    return wanted


@transaction.atomic
def sync_links(wanted: dict[str, set[str]] | None = None) -> SyncResult:
    """Make Link and LinkOwner match `wanted` (default: what the sources yield now)."""
    wanted = collect() if wanted is None else wanted
    existing = dict(Link.objects.values_list("url", "pk"))
    new = [Link(url=url) for url in wanted if url not in existing]
    Link.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    if new:
        existing = dict(Link.objects.values_list("url", "pk"))
    gone = [pk for url, pk in existing.items() if url not in wanted]
    for chunk in batched(gone, 500):
        Link.objects.filter(pk__in=chunk).delete()

    want_pairs = {(existing[url], owner) for url, owners in wanted.items() for owner in owners}
    have = {
        (link_id, owner): pk for pk, link_id, owner in LinkOwner.objects.values_list("pk", "link", "owner")
    }
    stale = [pk for pair, pk in have.items() if pair not in want_pairs and pair[0] not in gone]
    for chunk in batched(stale, 500):
        LinkOwner.objects.filter(pk__in=chunk).delete()
    LinkOwner.objects.bulk_create(
        [LinkOwner(link_id=link_id, owner=owner) for link_id, owner in want_pairs - have.keys()],
        batch_size=500,
        ignore_conflicts=True,
    )
    return SyncResult(links=len(wanted), added=len(new), removed=len(gone))


def due_links(now: datetime.datetime, *, everything: bool = False):
    links = Link.objects.all()
    if not everything:
        links = links.filter(
            Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=now - conf.get("LINKCHECK_INTERVAL"))
        )
    return links


UPDATED_FIELDS = [
    "status",
    "fail_count",
    "failing_since",
    "last_checked_at",
    "last_status_code",
    "last_error",
    "last_detail",
]


@transaction.atomic
def apply_results(results: list, when: datetime.datetime, run: RunResult) -> None:
    """Record a batch of results: one locked read, one bulk update, one insert of the flips."""
    urls = [r.url for r in results]
    links = {link.url: link for link in Link.objects.select_for_update().filter(url__in=urls)}
    flips = []
    failures = conf.get("LINKCHECK_FAILURES_TO_BREAK")
    for result in results:
        link = links.get(result.url)
        if link is None:  # removed by a sync running at the same time
            continue
        run.checked += 1
        run.failed += not result.ok
        flip = link.record(result, when, failures_to_break=failures)
        if flip is not None:
            flips.append(flip)
            (run.broken if flip.new_status == Status.DOWN else run.recovered).append(link)
    Link.objects.bulk_update(list(links.values()), UPDATED_FIELDS)
    Flip.objects.bulk_create(flips)


def check_due(now: datetime.datetime, run: RunResult, *, everything: bool = False) -> None:
    urls = list(due_links(now, everything=everything).values_list("url", flat=True).iterator(chunk_size=2000))
    results = checker.check_urls(
        urls,
        concurrency=conf.get("LINKCHECK_CONCURRENCY"),
        per_host=conf.get("LINKCHECK_PER_HOST"),
        timeout=conf.get("LINKCHECK_TIMEOUT"),
        max_redirects=conf.get("LINKCHECK_MAX_REDIRECTS"),
        user_agent=conf.get("LINKCHECK_USER_AGENT"),
    )
    for batch in batched(results, BATCH):
        apply_results(batch, now, run)


def notify_breakages(run: RunResult | None = None) -> RunResult:
    """Tell each owner, once, of its links that broke and were not announced yet.

    The unannounced flips are locked for the whole step, so a second run at the same moment waits and then
    finds them announced. A flip whose owner's notifier failed stays unannounced for the next run.
    """
    run = run or RunResult()
    now = timezone.now()
    with transaction.atomic():
        pending = list(
            Flip.objects.select_for_update()
            .filter(new_status=Status.DOWN, notified_at__isnull=True)
            .select_related("link")
            .order_by("created", "pk")
        )
        if not pending:
            return run
        flips_by_link = defaultdict(list)
        for flip in pending:
            flips_by_link[flip.link_id].append(flip)
        owners = defaultdict(list)
        for link_id, owner in LinkOwner.objects.filter(link__in=flips_by_link).values_list("link", "owner"):
            owners[owner].append(flips_by_link[link_id][0].link)
        kept: set[int] = set()
        for owner, links in sorted(owners.items()):
            for notifier in registry.notifiers_for(owner):
                try:
                    notifier(owner, sorted(links, key=lambda link: link.url))
                except Exception as error:  # noqa: BLE001 - one owner's failure must not stop the others
                    logger.exception("Telling %s of broken links failed", owner)
                    run.notify_failed.append((owner, error))
                    kept.update(link.pk for link in links)
                    break
            else:
                run.notified.append(owner)
        done = [flip.pk for flip in pending if flip.link_id not in kept]
        Flip.objects.filter(pk__in=done).update(notified_at=now)
    return run


def run(*, now: datetime.datetime | None = None, everything: bool = False) -> RunResult:
    """A whole run (see the module docstring)."""
    started = timezone.now()
    now = now or started
    result = RunResult(sync=sync_links())
    check_due(now, result, everything=everything)
    notify_breakages(result)
    result.seconds = (timezone.now() - started).total_seconds()
    return result
