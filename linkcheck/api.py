"""What pages ask the link monitor: which of these URLs are broken, and how many links each owner has broken.

Each function is one query. Results are Link rows: `link.broken_since`, `link.reason`, `link.url`.
"""

from collections.abc import Iterable

from django.db.models import Count

from linkcheck.models import Link, LinkOwner, Status


def broken_links(urls: Iterable[str]) -> dict[str, Link]:
    """The broken ones among `urls`, by URL (URLs compared as stored: stripped of surrounding spaces)."""
    wanted = {url.strip() for url in urls if url and url.strip()}
    if not wanted:
        return {}
    return {link.url: link for link in Link.objects.broken().filter(url__in=wanted)}


def broken_counts(owners: Iterable[str] | None = None) -> dict[str, int]:
    """owner -> number of its broken links (owners with none are absent); all owners when None."""
    rows = LinkOwner.objects.filter(link__status=Status.DOWN)
    if owners is not None:
        rows = rows.filter(owner__in=list(owners))
    return dict(rows.values("owner").annotate(n=Count("link")).values_list("owner", "n"))


def broken_for_owner(owner: str) -> list[Link]:
    """An owner's broken links, longest broken first."""
    return list(Link.objects.broken().filter(owners__owner=owner).order_by("failing_since", "url"))


def all_broken() -> dict[str, Link]:
    """Every broken link by URL, in one query (broken links are few: a page reads them once and looks up)."""
    return {link.url: link for link in Link.objects.broken()}
