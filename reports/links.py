"""The reports' side of the link monitor (`linkcheck`): evidence links to check, agencies told of breakages,
and the "broken since" of the evidence on a page.

Registered in ReportsConfig.ready(). Links are owned by agencies as "agency:<code>" (the OIT checklist uses
the same owners), so an agency gets one e-mail listing every link of its that broke in a run.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from linkcheck import api as linkcheck_api
from linkcheck import registry
from measures import thaidate
from measures.models import Agency
from reports.models import Evidence
from reports.roles import reporter_memberships

logger = logging.getLogger(__name__)

OWNER_PREFIX = "agency:"


def agency_owner(agency) -> str:
    return f"{OWNER_PREFIX}{agency.code}"


def evidence_links():
    """(url, owner) for every link evidence, of every report."""
    rows = Evidence.objects.filter(kind=Evidence.Kind.LINK).values_list(
        "url", "progress__report__agency__code"
    )
    for url, code in rows.iterator(chunk_size=2000):
        yield url, f"{OWNER_PREFIX}{code}"


def agency_recipients(agency) -> list[str]:
    """The agency's reporters with an e-mail address and its contact address (as the reminders use)."""
    addresses = [m.user.email for m in reporter_memberships().filter(agency=agency)]
    if agency.email:
        addresses.append(agency.email)
    return sorted({a.strip().lower() for a in addresses if a.strip()})


def _where_used(agency, urls) -> dict[str, list[str]]:
    """url -> where the agency uses it among its evidence ("ไตรมาส 2/2565 · 1.1")."""
    used: dict[str, list[str]] = {}
    evidence = (
        Evidence.objects.filter(url__in=urls, progress__report__agency=agency)
        .select_related("progress__measure", "progress__report__period__fiscal_year")
        .order_by("progress__report__period__fiscal_year__year", "progress__report__period__quarter")
    )
    for item in evidence:
        place = f"{item.progress.report.period} · {item.progress.measure.code}"
        used.setdefault(item.url, [])
        if place not in used[item.url]:
            used[item.url].append(place)
    return used


def tell_agency(owner: str, links: list) -> None:
    """E-mail an agency the links of its that just broke (linkcheck notifier for "agency:" owners)."""
    agency = Agency.objects.filter(code=owner.removeprefix(OWNER_PREFIX)).first()
    if agency is None or not agency.is_active:
        return
    recipients = agency_recipients(agency)
    if not recipients:
        logger.info("No address to tell %s of %s broken links", agency.code, len(links))
        return
    used = _where_used(agency, [link.url for link in links])
    with translation.override(settings.LANGUAGE_CODE):
        items = [
            {
                "url": link.url,
                "reason": link.reason,
                "since": thaidate.thai_datetime(link.broken_since),
                "used": used.get(link.url, []),
            }
            for link in links
        ]
        subject = ngettext(
            "%(count)s link of %(agency)s no longer works",
            "%(count)s links of %(agency)s no longer work",
            len(items),
        ) % {"count": len(items), "agency": agency.name_th}
        context = {
            "agency": agency,
            "items": items,
            "home": settings.SITE_URL.rstrip("/") + reverse("reports:agency_home"),
            "portal_name": settings.PORTAL_NAME,
        }
        text = render_to_string("reports/email/broken_links.txt", context)
        html = render_to_string("reports/email/broken_links.html", context)
    message = EmailMultiAlternatives(f"[ITA] {subject}", text, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach_alternative(html, "text/html")
    message.send()


def broken_evidence(evidence_items) -> dict[int, object]:
    """Evidence pk -> its broken Link, for the link evidence among `evidence_items` (one query)."""
    links = [e for e in evidence_items if e.kind == Evidence.Kind.LINK and e.url]
    broken = linkcheck_api.broken_links(e.url for e in links)
    return {e.pk: broken[e.url.strip()] for e in links if e.url.strip() in broken}


def broken_counts_by_agency(agencies) -> dict[int, int]:
    """Agency pk -> its number of broken links (evidence and checklist alike), one query."""
    by_owner = linkcheck_api.broken_counts([agency_owner(a) for a in agencies])
    return {a.pk: by_owner[agency_owner(a)] for a in agencies if agency_owner(a) in by_owner}


def register() -> None:
    registry.register_source(evidence_links)
    registry.register_notifier(OWNER_PREFIX, tell_agency)
