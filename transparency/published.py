"""What the public may read: the approved results, as they were approved.

The only door from the public side into `reports`. Everything here reads `QuarterlyReport.approved_snapshot`
(frozen by `reports.workflow.approve`), never the live progress rows, so a draft, a submission, a returned
report, a reviewer's comment or an edit made after a reopen cannot reach a public page or file. A report that
was approved once and then reopened stays published as it was approved, marked as being revised, until the
next approval replaces its snapshot.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from measures.models import Agency, AgencyFormerCode, FiscalYear, Measure
from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent

Status = QuarterlyReport.Status
ROUND_LAST_QUARTER = {6: 2, 12: 4}  # the 6-month round closes with Q2, the 12-month round with Q4


@dataclass(frozen=True)
class PublicLink:
    url: str
    description: str
    date: str = ""


@dataclass(frozen=True)
class PublicFile:
    evidence_id: int
    report_id: int
    name: str
    description: str
    size: int | None = None
    date: str = ""
    stored: str = ""  # the file's name in storage, as approved ("" in snapshots older than that record)
    content_type: str = ""


@dataclass
class PublishedEntry:
    """One measure's approved result in one report."""

    measure: Measure
    status: str
    result: str
    obstacles: str
    percent: int | None
    links: list[PublicLink] = field(default_factory=list)
    files: list[PublicFile] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return MeasureProgress.Status(self.status).label if self.status else ""


@dataclass
class PublishedReport:
    report_id: int
    agency: Agency
    quarter: int
    approved_at: datetime.datetime | None
    being_revised: bool
    entries: list[PublishedEntry]


def published_reports(fiscal_year: FiscalYear):
    """The fiscal year's reports that have an approved version, with `approved_at` (the latest approval).

    Only the columns the public side reads: never the reviewer's comment or the snapshot at return.
    """
    latest_approval = (
        ReportEvent.objects.filter(report=OuterRef("pk"), action=ReportEvent.Action.APPROVED)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return (
        QuarterlyReport.objects.filter(period__fiscal_year=fiscal_year, approved_snapshot__isnull=False)
        .select_related("agency", "period")
        .only(
            "pk",
            "status",
            "approved_snapshot",
            "agency__code",
            "agency__name_th",
            "agency__name_en",
            "agency__order",
            "agency__is_active",
            "period__quarter",
        )
        .annotate(approved_at=Subquery(latest_approval))
        .order_by("period__quarter", "agency__order", "agency__code")
    )


def plan_measures(fiscal_year: FiscalYear) -> dict[int, Measure]:
    """The fiscal year's measures by id, with their indicators, in plan order (one query)."""
    measures = (
        Measure.objects.filter(indicator__fiscal_year=fiscal_year)
        .select_related("indicator")
        .order_by("indicator__number", "order")
    )
    return {m.pk: m for m in measures}


def _stored_names(frozen: dict) -> list[str]:
    """The stored file of each file item of a frozen measure, in order. Snapshots record it per item; older ones
    list the stored files apart ("files"), in the same order, which is used when it pairs up exactly."""
    items = [item for item in frozen.get("evidence_items") or [] if item.get("kind") == Evidence.Kind.FILE]
    if all("file" in item for item in items):
        return [item["file"] or "" for item in items]
    files = frozen.get("files") or []
    return list(files) if len(files) == len(items) else [""] * len(items)


def _evidence(report_id: int, frozen: dict) -> tuple[list[PublicLink], list[PublicFile]]:
    links, files = [], []
    stored = iter(_stored_names(frozen))
    for item in frozen.get("evidence_items") or []:
        if item.get("kind") == Evidence.Kind.LINK and item.get("url"):
            links.append(PublicLink(item["url"], item.get("description", ""), item.get("date", "")))
        elif item.get("kind") == Evidence.Kind.FILE:
            name = next(stored)
            if item.get("public") is True:
                files.append(
                    PublicFile(
                        evidence_id=item["id"],
                        report_id=report_id,
                        name=item.get("name", ""),
                        description=item.get("description", ""),
                        size=item.get("size"),
                        date=item.get("date", ""),
                        stored=name,
                        content_type=item.get("content_type", ""),
                    )
                )
    return links, files


def entries(report: QuarterlyReport, measures: dict[int, Measure]) -> list[PublishedEntry]:
    """The approved snapshot of `report` as entries, in plan order (measures since removed are left out).

    Snapshots frozen before evidence items were recorded carry only labels; they publish no evidence.
    """
    found = []
    for key, frozen in (report.approved_snapshot or {}).items():
        measure = measures.get(int(key))
        if measure is None:
            continue
        links, files = _evidence(report.pk, frozen)
        found.append(
            PublishedEntry(
                measure=measure,
                status=frozen.get("status") or "",
                result=frozen.get("result") or "",
                obstacles=frozen.get("obstacles") or "",
                percent=frozen.get("percent"),
                links=links,
                files=files,
            )
        )
    order = {pk: index for index, pk in enumerate(measures)}
    found.sort(key=lambda e: order[e.measure.pk])
    return found


def publish(report: QuarterlyReport, measures: dict[int, Measure]) -> PublishedReport:
    return PublishedReport(
        report_id=report.pk,
        agency=report.agency,
        quarter=report.period.quarter,
        approved_at=report.approved_at,
        being_revised=report.status != Status.APPROVED,
        entries=entries(report, measures),
    )


def agency_by_code(code: str) -> tuple[Agency | None, bool]:
    """(agency, moved): the agency with this code now, or the one that had it before (moved=True)."""
    agency = Agency.objects.filter(code=code).first()
    if agency is not None:
        return agency, False
    former = AgencyFormerCode.objects.select_related("agency").filter(code=code).first()
    return (former.agency, True) if former else (None, False)


@dataclass(frozen=True)
class ServedFile:
    """A published evidence file to send: its name in storage, the name to save it as, and its type."""

    stored: str
    filename: str
    content_type: str


def evidence_storage():
    return Evidence._meta.get_field("file").storage


def _approved_file(report_id: int, evidence_id: int) -> PublicFile | None:
    report = (
        QuarterlyReport.objects.filter(pk=report_id, approved_snapshot__isnull=False)
        .only("pk", "approved_snapshot")
        .first()
    )
    if report is None:
        return None
    for frozen in report.approved_snapshot.values():
        for file in _evidence(report.pk, frozen or {})[1]:
            if file.evidence_id == evidence_id:
                return file
    return None


def public_file(report_id: int, evidence_id: int) -> ServedFile | None:
    """The evidence file, if and only if it is published: in the report's approved snapshot as public, and
    still marked public by the agency now (withdrawing the mark takes it off the public site at once).

    The approved version stays published until the next approval: when the agency has removed the evidence
    since (a reopen), the file the approval refers to was kept (reports.reporting.services.remove_evidence),
    and is served by the name the snapshot recorded."""
    approved = _approved_file(report_id, evidence_id)
    if approved is None:
        return None
    live = (
        Evidence.objects.filter(pk=evidence_id)
        .values("progress__report_id", "kind", "is_public", "file", "original_name", "content_type")
        .first()
    )
    if live is None:  # removed after the approval
        if not approved.stored:
            return None
        return ServedFile(approved.stored, approved.name, approved.content_type)
    if (
        live["progress__report_id"] != report_id
        or live["kind"] != Evidence.Kind.FILE
        or not live["is_public"]
        or not live["file"]
    ):
        return None
    return ServedFile(live["file"], live["original_name"], live["content_type"])


def keep_available_files(found) -> None:
    """Leave out of the entries `found` the approved public files that cannot be downloaded now, so a public page
    offers no dead link: the agency withdrew the public mark, or removed the evidence and its file is no longer
    in storage. One query for all the files (none without files); storage is asked only about removed evidence,
    whose file the approval kept (a live row's file is deleted only with its row)."""
    found = list(found)
    ids = {file.evidence_id for entry in found for file in entry.files}
    if not ids:
        return
    live = {
        pk: (report_id, is_public and kind == Evidence.Kind.FILE and bool(name))
        for pk, report_id, is_public, kind, name in Evidence.objects.filter(pk__in=ids).values_list(
            "pk", "progress__report_id", "is_public", "kind", "file"
        )
    }
    removed = {pk for pk in ids if pk not in live}
    storage = evidence_storage() if removed else None
    for entry in found:
        entry.files = [
            file
            for file in entry.files
            if (
                live[file.evidence_id] == (file.report_id, True)
                if file.evidence_id in live
                else bool(file.stored) and storage.exists(file.stored)
            )
        ]


def last_change(fiscal_year_id: int | None = None) -> tuple[int, datetime.datetime | None]:
    """(id, time) of the latest approval or reopen (in a fiscal year, or anywhere): what changes published
    results. One query."""
    events = ReportEvent.objects.filter(action__in=[ReportEvent.Action.APPROVED, ReportEvent.Action.REOPENED])
    if fiscal_year_id is not None:
        events = events.filter(report__period__fiscal_year_id=fiscal_year_id)
    latest = events.order_by("-created_at", "-pk").values_list("pk", "created_at").first()
    return latest or (0, None)


def matches(text: str, query: str) -> bool:
    return query in text.casefold()


def search(fiscal_year: FiscalYear, query: str, *, quarter: int | None = None):
    """Approved entries whose measure, result or obstacles contain `query`, in report order.

    A substring match, not a word index: Thai is written without spaces between words, so a full-text
    index (PostgreSQL's parsers have no Thai dictionary) sees a whole sentence as one word and never finds a
    word inside it, and trigram similarity (pg_trgm, PostgreSQL only) ranks a two- or three-letter Thai word
    poorly against long sentences. "Contains" finds exactly the word a citizen typed, anywhere in a sentence,
    on PostgreSQL and SQLite alike. The results live in the approval snapshots (JSON, which SQLite stores with
    Thai escaped), so the match runs here over one year's published reports, read in chunks.
    """
    query = query.strip().casefold()
    if not query:
        return []
    measures = plan_measures(fiscal_year)
    reports = published_reports(fiscal_year)
    if quarter:
        reports = reports.filter(period__quarter=quarter)
    found = []
    for report in reports.iterator(chunk_size=200):
        for entry in entries(report, measures):
            texts = (entry.measure.text, entry.result, entry.obstacles)
            if any(matches(text, query) for text in texts):
                found.append((publish_header(report), entry))
    return found


def publish_header(report: QuarterlyReport) -> PublishedReport:
    """The report's public facts without its entries (for lists)."""
    return PublishedReport(
        report_id=report.pk,
        agency=report.agency,
        quarter=report.period.quarter,
        approved_at=report.approved_at,
        being_revised=report.status != Status.APPROVED,
        entries=[],
    )


def published_reports_count(fiscal_year_id) -> int:
    return QuarterlyReport.objects.filter(
        period__fiscal_year_id=fiscal_year_id, approved_snapshot__isnull=False
    ).count()
