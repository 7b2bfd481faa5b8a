"""A report's history: writing its events, the snapshots of what was sent back or approved, and the lines
people read about each event — rendered here once, for the agency's report page and the reviewer's page alike.

An event's `changes` take one of these forms, by the action that wrote it:
- a save, a start from last quarter, evidence added or removed: {measure code: {field: {"old", "new"}}},
  evidence as {"evidence": {"added": [label], "removed": [label]}};
- a resubmission after a return: {"since_return": {measure id: {field: …}}} (`diff_snapshots`);
- a return or a reopen: {"measure_comments": {measure code: comment}};
- measures added to the plan joining the report: {"measures_added": [measure code]}.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent

REPORTED_FIELDS = MeasureProgress.REPORTED_FIELDS
# How many events the report page lists (newest first); older ones are counted as left out.
HISTORY_SHOWN = 50


# --- writing ---------------------------------------------------------------------------------------------


def record_event(
    report, actor, action, *, from_status="", to_status="", comment="", changes=None
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        changes=changes or {},
    )


def evidence_label(evidence: Evidence) -> str:
    """How a piece of evidence is named in history and snapshots: its description and its link or file name."""
    target = evidence.url if evidence.kind == Evidence.Kind.LINK else evidence.original_name
    return f"{evidence.description} – {target}" if evidence.description else target


# History keeps a text's change compactly: the first HISTORY_EXCERPT characters of each side (and, when cut,
# both lengths). The texts themselves live in the progress rows and the snapshots; the history says who changed
# what, when. Whole old and new values of long texts made one 4.4 MB save grow the database by 13 MB.
HISTORY_EXCERPT = 300
HISTORY_TEXT_FIELDS = ("result", "obstacles")


def history_change(name: str, old, new) -> dict:
    """One field's change as the history records it: {"old", "new"}, long texts cut to an excerpt."""
    if name not in HISTORY_TEXT_FIELDS:
        return {"old": old, "new": new}
    old, new = old or "", new or ""
    change = {"old": old[:HISTORY_EXCERPT], "new": new[:HISTORY_EXCERPT]}
    if max(len(old), len(new)) > HISTORY_EXCERPT:
        change.update(old_length=len(old), new_length=len(new))
    return change


def compact_changes(changes: dict) -> dict:
    """`diff_snapshots` output with its text changes cut as `history_change` does (for a SUBMITTED event)."""
    return {
        measure_id: {
            name: history_change(name, change.get("old"), change.get("new"))
            if name in HISTORY_TEXT_FIELDS
            else change
            for name, change in fields.items()
        }
        for measure_id, fields in changes.items()
    }


# --- snapshots and diffs ---------------------------------------------------------------------------------


def _evidence_item(evidence: Evidence) -> dict:
    """One piece of evidence as the public side shows it (transparency/ reads only approved snapshots)."""
    item = {"id": evidence.pk, "kind": evidence.kind, "description": evidence.description}
    if evidence.kind == Evidence.Kind.LINK:
        item["url"] = evidence.url
    else:
        item.update(name=evidence.original_name, size=evidence.size, public=evidence.is_public)
        # The stored file and its type: the approved version can still serve the file after the agency removes
        # the evidence during a reopen (remove_evidence keeps a file an approval refers to).
        item.update(file=evidence.file.name or "", content_type=evidence.content_type)
    if evidence.date:
        item["date"] = evidence.date.isoformat()
    return item


def snapshot(report: QuarterlyReport) -> dict:
    """What the agency has written, measure by measure: a JSON-able dict keyed by measure id.

    "evidence" holds the labels the diffs compare; "evidence_items" the same evidence with what the public
    results page needs (a link's URL; a file's id, name, stored name and type, and whether the agency made it
    public).
    """
    progress = report.progress.select_related("measure__indicator").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk"))
    )
    return {
        str(p.measure_id): {
            "code": p.measure.code,
            **{name: getattr(p, name) for name in REPORTED_FIELDS},
            "evidence": [evidence_label(e) for e in p.evidence.all()],
            "evidence_items": [_evidence_item(e) for e in p.evidence.all()],
            # The stored files, so that a file an approval refers to is never deleted (refers_to_file).
            "files": [e.file.name for e in p.evidence.all() if e.kind == Evidence.Kind.FILE and e.file],
        }
        for p in progress
    }


def refers_to_file(snap: dict | None, evidence: Evidence) -> bool:
    """Whether a snapshot (an approval's) refers to the stored file of `evidence`.

    Snapshots name their stored files; one taken before they did is matched by the evidence's label."""
    if not snap or evidence.kind != Evidence.Kind.FILE or not evidence.file:
        return False
    entry = snap.get(str(evidence.progress.measure_id)) or {}
    if "files" in entry:
        return evidence.file.name in entry["files"]
    return evidence_label(evidence) in entry.get("evidence", [])


def published_in(snap: dict | None, evidence_id: int) -> bool:
    """Whether a snapshot (an approval's) lists the file item `evidence_id` as public."""
    return any(
        item.get("id") == evidence_id
        and item.get("kind") == Evidence.Kind.FILE
        and item.get("public") is True
        for entry in (snap or {}).values()
        for item in (entry or {}).get("evidence_items") or []
    )


def withdraw_public_mark(snap: dict | None, evidence_id: int) -> bool:
    """Mark the file item `evidence_id` of a snapshot (in place) as not public; whether it was public.

    For an approval whose file is removed after its public mark was withdrawn: the approved version stays
    published, the file does not come back with it."""
    changed = False
    for entry in (snap or {}).values():
        for item in (entry or {}).get("evidence_items") or []:
            if (
                item.get("id") == evidence_id
                and item.get("kind") == Evidence.Kind.FILE
                and item.get("public")
            ):
                item["public"] = False
                changed = True
    return changed


def snapshot_file_names(snap: dict | None) -> set[str]:
    """Every stored file a snapshot names."""
    return {name for entry in (snap or {}).values() for name in (entry or {}).get("files", [])}


def diff_snapshots(old: dict | None, new: dict) -> dict:
    """Per measure id, the fields that differ: {measure_id: {field: {"old": …, "new": …}}}.

    Evidence is compared as lists of labels: {"evidence": {"added": [...], "removed": [...]}}.
    """
    old = old or {}
    changes = {}
    for measure_id, now in new.items():
        before = old.get(measure_id, {})
        fields = {}
        for name in REPORTED_FIELDS:
            if before.get(name) != now.get(name) and (before.get(name) or now.get(name)):
                fields[name] = {"old": before.get(name), "new": now.get(name)}
        added = [e for e in now.get("evidence", []) if e not in before.get("evidence", [])]
        removed = [e for e in before.get("evidence", []) if e not in now.get("evidence", [])]
        if added or removed:
            fields["evidence"] = {"added": added, "removed": removed}
        if fields:
            changes[measure_id] = fields
    return changes


# --- reading ---------------------------------------------------------------------------------------------


def field_label(name: str) -> str:
    """A reported field's name as people read it (and evidence's)."""
    if name == "evidence":
        return _("Evidence")
    return str(REPORTED_FIELDS.get(name, name))


def display_value(name: str, value, empty: str = "–") -> str:
    """A reported field's value as people read it: the status label, "40%", the text; `empty` for none."""
    if name == "status":
        try:
            return str(MeasureProgress.Status(value).label) if value else empty
        except ValueError:
            return str(value)
    if name == "percent":
        return empty if value in (None, "") else f"{value}%"
    return str(value or "") or empty


def _field_changes(fields: dict) -> list[str]:
    parts = []
    for name, change in fields.items():
        if name == "evidence":
            for label in change.get("added", []):
                parts.append(_("evidence added: %(label)s") % {"label": label})
            for label in change.get("removed", []):
                parts.append(_("evidence removed: %(label)s") % {"label": label})
        elif name in ("status", "percent") and isinstance(change, dict):
            parts.append(
                f"{field_label(name)} {display_value(name, change.get('old'))} → "
                f"{display_value(name, change.get('new'))}"
            )
        else:
            parts.append(field_label(name))
    return parts


def lines(event: ReportEvent, codes: dict[str, str]) -> list[str]:
    """What an event changed, in lines people read; `codes` gives the measure code of a measure id."""
    changes = event.changes or {}
    if "since_return" in changes:
        return [
            _("Changed since the return – %(code)s: %(fields)s")
            % {
                "code": codes.get(str(measure_id), measure_id),
                "fields": ", ".join(field_label(name) for name in fields),
            }
            for measure_id, fields in changes["since_return"].items()
        ]
    if "measures_added" in changes:
        return [_("New measures to report on: %(codes)s") % {"codes": ", ".join(changes["measures_added"])}]
    if "measure_comments" in changes:
        return [
            _("Measure %(code)s") % {"code": code} + f": {text}"
            for code, text in changes["measure_comments"].items()
        ]
    result = []
    for code, fields in changes.items():
        parts = _field_changes(fields) if isinstance(fields, dict) else []
        if parts:
            result.append(f"{code}: {', '.join(parts)}")
    return result


@dataclass
class HistoryRow:
    event: ReportEvent
    lines: list[str]


def rows(events, codes: dict[str, str]) -> list[HistoryRow]:
    return [HistoryRow(event, lines(event, codes)) for event in events]


def latest(report: QuarterlyReport, codes: dict[str, str]) -> tuple[list[HistoryRow], bool]:
    """The newest HISTORY_SHOWN events (one query, however long the history), and whether older ones were
    left out."""
    events = list(report.events.order_by("-created_at", "-pk")[: HISTORY_SHOWN + 1])
    return rows(events[:HISTORY_SHOWN], codes), len(events) > HISTORY_SHOWN


def rows_key(history_rows: list[HistoryRow], truncated: bool = False) -> str:
    """The digest of everything the history list shows ({% fragment %}): each event as displayed."""
    from reports.templatetags.fragments import fragment_key

    return fragment_key(
        "history",
        truncated,
        HISTORY_SHOWN,
        [
            (
                row.event.pk,
                row.event.action,
                row.event.from_status,
                row.event.to_status,
                row.event.created_at,
                row.event.actor_display,
                row.event.comment,
                row.lines,
            )
            for row in history_rows
        ],
    )
