"""After a refused save (someone else saved the report since the page was opened): a three-way merge of what
the user typed with what is saved now, based on fingerprints of what the page showed.

Every measure's form carries `base`, short fingerprints of its reported fields as the page showed them
(`digest`); comparing them with the saved values and the typed ones tells who changed which field.
"""

import datetime
import hashlib
from dataclasses import dataclass

from reports import history
from reports.models import MeasureProgress, QuarterlyReport

REPORTED_FIELDS = MeasureProgress.REPORTED_FIELDS


def normalise_text(value: str) -> str:
    """Browsers send textarea line breaks as CRLF; store LF so an untouched field never counts as changed."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def comparable(field: str, value):
    """A field's value in the form used to compare the database with what was typed."""
    if field == "percent":
        return None if value in (None, "") else int(value)
    return normalise_text(value) if field in ("result", "obstacles") else (value or "")


def field_digest(field: str, value) -> str:
    return hashlib.sha256(repr(comparable(field, value)).encode()).hexdigest()[:12]


def digest(values: dict) -> str:
    """Short fingerprints of the reported fields as the form showed them (the base of a three-way merge)."""
    return ".".join(field_digest(field, values.get(field)) for field in REPORTED_FIELDS)


def split_digest(base: str) -> dict[str, str] | None:
    parts = (base or "").split(".")
    if len(parts) != len(REPORTED_FIELDS):
        return None
    return dict(zip(REPORTED_FIELDS, parts, strict=True))


@dataclass
class FieldConflict:
    field: str
    label: str
    theirs: object
    mine: object

    @property
    def theirs_display(self) -> str:
        return history.display_value(self.field, self.theirs)

    @property
    def mine_display(self) -> str:
        return history.display_value(self.field, self.mine)


@dataclass
class MergeResult:
    """The form data to show again after a refused save, and what the other person changed."""

    data: dict
    version: int
    conflicts: dict[int, list[FieldConflict]]  # progress id -> fields both people changed differently
    taken: dict[int, list[str]]  # progress id -> labels of fields only the other person changed
    saved_by: object = None
    saved_at: datetime.datetime | None = None


def merge_after_conflict(report: QuarterlyReport, forms, report_form_prefix="") -> MergeResult:
    """Three-way merge of the user's typed values with the latest saved ones, based on what the form showed.

    For each field: if only the other person changed it, their value goes into the form (so saving again
    cannot silently undo it); if only this user changed it, their typed value stays; if both changed it
    differently, the typed value stays and the field is listed as a conflict, to be shown as "their version /
    your version". The returned data carries the new version and new base fingerprints, so saving again
    deliberately keeps this user's version of the conflicting fields.
    """
    report.refresh_from_db(fields=["version", "updated_at", "updated_by", "status"])
    current = {p.pk: p for p in report.progress.all()}
    data: dict[str, object] = {}
    conflicts: dict[int, list[FieldConflict]] = {}
    taken: dict[int, list[str]] = {}
    for form in forms:
        progress = current[form.instance.pk]
        base = split_digest(form.cleaned_data.get("base", "")) or {}
        mine = form.values()
        for name in REPORTED_FIELDS:
            theirs = getattr(progress, name)
            value = mine[name]
            they_changed = base.get(name) != field_digest(name, theirs)
            i_changed = base.get(name) != field_digest(name, value)
            label = history.field_label(name)
            if comparable(name, theirs) == comparable(name, value):
                pass
            elif they_changed and not i_changed:
                value = theirs
                taken.setdefault(progress.pk, []).append(label)
            elif they_changed:
                conflicts.setdefault(progress.pk, []).append(FieldConflict(name, label, theirs, value))
            data[form.add_prefix(name)] = "" if value is None else value
        data[form.add_prefix("base")] = digest({name: getattr(progress, name) for name in REPORTED_FIELDS})
    data[f"{report_form_prefix}version"] = report.version
    return MergeResult(
        data=data,
        version=report.version,
        conflicts=conflicts,
        taken=taken,
        saved_by=report.updated_by,
        saved_at=report.updated_at,
    )
