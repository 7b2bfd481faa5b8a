"""Read the agencies CSV (code,name_th,name_en,is_lead[,website,email,phone,is_active]) and upsert it by code.

`parse_agencies` is pure (no database) and rejects a malformed file with the line it found the problem on;
`load_agencies` writes in one transaction. Agencies missing from the file are kept (reports may refer to them)
and listed, never deleted. Optional columns are only written when the file has them, so an administrator's
edits to those fields survive a re-import of a file without them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction

from measures.models import Agency

REQUIRED_COLUMNS = ("code", "name_th", "name_en", "is_lead")
OPTIONAL_COLUMNS = ("website", "email", "phone", "is_active")
_CODE_RE = re.compile(r"[-a-zA-Z0-9_]{1,20}")
_TRUE = {"1", "true", "yes", "y", "ใช่"}
_FALSE = {"0", "false", "no", "n", "ไม่ใช่", ""}


class AgencyFormatError(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


@dataclass(frozen=True)
class ParsedAgency:
    line: int
    code: str
    values: dict = field(default_factory=dict)  # the model fields this file sets, besides `code`


@dataclass(frozen=True)
class AgencyImportResult:
    changes: list[str]
    missing: list[Agency]  # in the database, not in the file: kept


def _flag(value: str, line: int, column: str) -> bool:
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise AgencyFormatError(line, f"{column} must be 1 or 0, not {value!r}")


def _validate(values: dict, line: int) -> None:
    """Field checks the database would otherwise make at save time, reported with the line."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        max_length = Agency._meta.get_field(name).max_length
        if max_length and len(value) > max_length:
            raise AgencyFormatError(line, f"{name} is longer than {max_length} characters")
    try:
        if values.get("website"):
            URLValidator()(values["website"])
        if values.get("email"):
            validate_email(values["email"])
    except ValidationError as error:
        raise AgencyFormatError(line, " ".join(str(message) for message in error.messages)) from None


def decode_agencies(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise AgencyFormatError(line, "the file is not UTF-8 text") from None
    return text.removeprefix("\ufeff")


def parse_agencies(text: str) -> list[ParsedAgency]:
    """Parse the CSV; every rule broken is an AgencyFormatError naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise AgencyFormatError(1, "the file is empty; the first line must be the header") from None
    header = [column.strip() for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        problems = []
        if missing:
            problems.append("missing column(s) " + ", ".join(missing))
        if unknown:
            problems.append("unknown column(s) " + ", ".join(repr(c) for c in unknown))
        if len(set(header)) != len(header):
            problems.append("a column is repeated")
        raise AgencyFormatError(
            reader.line_num,
            "bad header: " + "; ".join(problems) + f" (expected {','.join(REQUIRED_COLUMNS)})",
        )

    agencies: list[ParsedAgency] = []
    seen: dict[str, int] = {}
    lead_line = None
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise AgencyFormatError(line, f"the row has {len(cells)} column(s); expected {len(header)}")
        row = dict(zip(header, (cell.strip() for cell in cells), strict=True))
        code = row["code"]
        if not _CODE_RE.fullmatch(code):
            raise AgencyFormatError(line, f"code {code!r} must be 1–20 letters, digits, - or _")
        if code in seen:
            raise AgencyFormatError(line, f"code {code} is repeated (first on line {seen[code]})")
        seen[code] = line
        if not row["name_th"]:
            raise AgencyFormatError(line, "name_th is empty")
        values = {
            "name_th": row["name_th"],
            "name_en": row["name_en"],
            "is_lead": _flag(row["is_lead"], line, "is_lead"),
        }
        for column in ("website", "email", "phone"):
            if column in row:
                values[column] = row[column]
        if "is_active" in row:
            values["is_active"] = _flag(row["is_active"], line, "is_active")
        _validate(values, line)
        if values["is_lead"]:
            if lead_line is not None:
                raise AgencyFormatError(line, f"a second lead agency (the first is on line {lead_line})")
            lead_line = line
        values["order"] = len(agencies) + 1
        agencies.append(ParsedAgency(line=line, code=code, values=values))
    if not agencies:
        raise AgencyFormatError(reader.line_num or 1, "the file has no agencies")
    if lead_line is None:
        raise AgencyFormatError(reader.line_num, "no lead agency: exactly one row must have is_lead 1")
    return agencies


def read_agencies_file(path) -> list[ParsedAgency]:
    return parse_agencies(decode_agencies(Path(path).read_bytes()))


@transaction.atomic
def load_agencies(agencies: list[ParsedAgency]) -> AgencyImportResult:
    """Upsert by code in one transaction; one line per created or updated agency."""
    existing = {agency.code: agency for agency in Agency.objects.select_for_update()}
    changed_fields: dict[str, list[str]] = {}
    lead_code = next(parsed.code for parsed in agencies if parsed.values["is_lead"])
    # Drop the old lead first: the database allows only one at a time.
    for agency in existing.values():
        if agency.is_lead and agency.code != lead_code:
            agency.is_lead = False
            agency.save(update_fields=["is_lead"])
            changed_fields.setdefault(agency.code, []).append("is_lead")

    changes = []
    for parsed in agencies:
        agency = existing.pop(parsed.code, None)
        if agency is None:
            Agency.objects.create(code=parsed.code, **parsed.values)
            changes.append(f"created agency {parsed.code} {parsed.values['name_th']}")
            continue
        fields = changed_fields.pop(parsed.code, [])
        diff = [name for name, value in parsed.values.items() if getattr(agency, name) != value]
        for name in diff:
            setattr(agency, name, parsed.values[name])
        if diff:
            agency.save(update_fields=diff)
        if fields + diff:
            changes.append(f"updated agency {parsed.code}: {', '.join(dict.fromkeys(fields + diff))}")
    missing = sorted(existing.values(), key=lambda agency: (agency.order, agency.code))
    for agency in missing:
        if agency.code in changed_fields:
            changes.append(f"updated agency {agency.code}: is_lead (not in the file)")
    return AgencyImportResult(changes=changes, missing=missing)


def import_agencies_file(path) -> AgencyImportResult:
    return load_agencies(read_agencies_file(path))
