"""Load a fiscal year's ITA catalogue from CSV: OIT items, the indicator table, scoring weights, grade bands.

Each loader reads one UTF-8 CSV (a BOM is accepted), checks every row before writing, and writes the year in one
transaction: rows are matched by their key (item code, indicator number, group, grade), updated in place,
created or deleted, so loading the same file twice changes nothing. A malformed file stops with the line and
writes nothing. The formats are described in data/README.md.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from measures.models import FiscalYear, Measure
from measures.thaidate import to_arabic_digits
from oit.models import GradeBand, Group, ITAIndicator, MeasureItem, OITItem, ScoreWeight

_ITEM_CODE_RE = re.compile(r"[A-Za-z]{1,3}[0-9]{1,3}")
_TRUE = {"1", "true", "yes", "y", "ใช่"}
_FALSE = {"0", "false", "no", "n", "ไม่ใช่", ""}


class CatalogueFormatError(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


class CatalogueImportError(Exception):
    """The file is well formed but cannot be loaded into the year as it stands."""


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


def read_rows(data: bytes, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[Row]:
    """The CSV's data rows with their line numbers; the header must name every required column."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogueFormatError(line, "the file is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise CatalogueFormatError(
            1, f"missing column(s): {', '.join(missing)} (expected {', '.join(required)})"
        )
    reader.fieldnames = header
    rows = []
    for record in reader:
        if None in record:
            raise CatalogueFormatError(reader.line_num, "the row has more cells than the header")
        values = {name: (record.get(name) or "").strip() for name in (*required, *optional)}
        if not any(values.values()):
            continue
        rows.append(Row(reader.line_num, values))
    if not rows:
        raise CatalogueFormatError(1, "the file has no rows")
    return rows


def _number(row: Row, column: str, *, low: int, high: int) -> int:
    text = to_arabic_digits(row.values[column])
    if not text.isdigit() or not low <= int(text) <= high:
        raise CatalogueFormatError(row.line, f"{column} {row.values[column]!r} is not a number {low}–{high}")
    return int(text)


def _decimal(row: Row, column: str) -> Decimal:
    try:
        value = Decimal(to_arabic_digits(row.values[column]).removesuffix("%").strip())
    except InvalidOperation:
        raise CatalogueFormatError(row.line, f"{column} {row.values[column]!r} is not a number") from None
    if not Decimal(0) <= value <= Decimal(100) or value != value.quantize(Decimal("0.01")):
        raise CatalogueFormatError(row.line, f"{column} {value} must be 0 to 100 with at most 2 decimals")
    return value


def _group(row: Row) -> str:
    value = row.values["group"].upper()
    if value not in Group.values:
        raise CatalogueFormatError(
            row.line, f"group {row.values['group']!r} is not one of {', '.join(Group.values)}"
        )
    return value


def _flag(row: Row, column: str) -> bool:
    value = row.values[column].lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CatalogueFormatError(row.line, f"{column} must be 1 or 0, not {row.values[column]!r}")


def _unique(rows_keys: list[tuple[Row, object]], label: str) -> None:
    seen: dict[object, int] = {}
    for row, key in rows_keys:
        if key in seen:
            raise CatalogueFormatError(row.line, f"{label} {key} is repeated (first on line {seen[key]})")
        seen[key] = row.line


def _sync(model, fiscal_year: FiscalYear, key: str, wanted: dict, label: str) -> list[str]:
    """Make the year's rows of `model` exactly `wanted` ({key value: field values}); return what changed."""
    changes = []
    existing = {getattr(obj, key): obj for obj in model.objects.filter(fiscal_year=fiscal_year)}
    for key_value, values in wanted.items():
        obj = existing.pop(key_value, None)
        if obj is None:
            model.objects.create(fiscal_year=fiscal_year, **{key: key_value}, **values)
            changes.append(f"created {label} {key_value}")
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            changes.append(f"updated {label} {key_value}: {', '.join(changed)}")
    for key_value, obj in existing.items():
        obj.delete()
        changes.append(f"deleted {label} {key_value}")
    return changes


def _fiscal_year(year: int) -> tuple[FiscalYear, list[str]]:
    if not 2500 <= year <= 2700:
        raise CatalogueImportError(f"the fiscal year {year} is not a B.E. year such as 2565")
    fiscal_year, created = FiscalYear.objects.get_or_create(year=year)
    return fiscal_year, [f"created fiscal year {year}"] if created else []


# --------------------------------------------------------------------------------------------------------------


@transaction.atomic
def load_indicators(data: bytes, *, year: int) -> list[str]:
    """number,group,name_th[,name_en]: the NACC's indicator table of the year."""
    rows = read_rows(data, ("number", "group", "name_th"), ("name_en",))
    parsed = [(row, _number(row, "number", low=1, high=99)) for row in rows]
    _unique(parsed, "indicator")
    wanted = {}
    for row, number in parsed:
        if not row.values["name_th"]:
            raise CatalogueFormatError(row.line, "name_th is empty")
        wanted[number] = {
            "group": _group(row),
            "name_th": row.values["name_th"],
            "name_en": row.values["name_en"],
        }
    fiscal_year, changes = _fiscal_year(year)
    used = set(
        OITItem.objects.filter(fiscal_year=fiscal_year)
        .exclude(indicator__number__in=wanted)
        .values_list("indicator__number", flat=True)
    )
    if used:
        raise CatalogueImportError(
            f"indicator(s) {', '.join(map(str, sorted(used)))} of fiscal year {year} still have OIT items; "
            "load the year's new items first"
        )
    return changes + _sync(ITAIndicator, fiscal_year, "number", wanted, "ITA indicator")


@transaction.atomic
def load_items(data: bytes, *, year: int) -> list[str]:
    """code,indicator,subindicator,name_th[,name_en]: the year's OIT items, in the ITA's order."""
    rows = read_rows(data, ("code", "indicator", "subindicator", "name_th"), ("name_en",))
    fiscal_year, changes = _fiscal_year(year)
    indicators = {ind.number: ind for ind in ITAIndicator.objects.filter(fiscal_year=fiscal_year)}
    parsed = []
    for row in rows:
        code = row.values["code"].upper()
        if not _ITEM_CODE_RE.fullmatch(code):
            raise CatalogueFormatError(
                row.line, f"code {row.values['code']!r} is not an item code such as O42"
            )
        parsed.append((row, code))
    _unique(parsed, "item")
    wanted = {}
    for order, (row, code) in enumerate(parsed, start=1):
        number = _number(row, "indicator", low=1, high=99)
        if number not in indicators:
            raise CatalogueFormatError(
                row.line,
                f"indicator {number} is not in fiscal year {year}'s ITA indicator table "
                f"(load it first: import_ita_indicators FILE --year {year})",
            )
        if not row.values["name_th"]:
            raise CatalogueFormatError(row.line, "name_th is empty")
        wanted[code] = {
            "order": order,
            "indicator": indicators[number],
            "subindicator": row.values["subindicator"],
            "name_th": row.values["name_th"],
            "name_en": row.values["name_en"],
        }
    return changes + _sync(OITItem, fiscal_year, "code", wanted, "OIT item")


@transaction.atomic
def load_weights(data: bytes, *, year: int) -> list[str]:
    """group,weight: each ITA group's share of the score in percent; the shares add up to 100."""
    rows = read_rows(data, ("group", "weight"))
    parsed = [(row, _group(row)) for row in rows]
    _unique(parsed, "group")
    wanted = {group: {"weight": _decimal(row, "weight")} for row, group in parsed}
    total = sum(values["weight"] for values in wanted.values())
    if total != 100:
        raise CatalogueFormatError(rows[-1].line, f"the weights add up to {total}, not 100")
    fiscal_year, changes = _fiscal_year(year)
    return changes + _sync(ScoreWeight, fiscal_year, "group", wanted, "weight")


@transaction.atomic
def load_grades(data: bytes, *, year: int) -> list[str]:
    """grade,min_score,passing: the grade bands, each from its lowest score up to the next band's."""
    rows = read_rows(data, ("grade", "min_score", "passing"))
    parsed = [(row, row.values["grade"]) for row in rows]
    for row, grade in parsed:
        if not grade or len(grade) > 5:
            raise CatalogueFormatError(row.line, f"grade {grade!r} must be 1–5 characters")
    _unique(parsed, "grade")
    scores = [(row, _decimal(row, "min_score")) for row in rows]
    _unique(scores, "min_score")
    wanted = {
        grade: {"min_score": score, "passing": _flag(row, "passing")}
        for (row, grade), (_row, score) in zip(parsed, scores, strict=True)
    }
    by_score = sorted(wanted.values(), key=lambda values: values["min_score"])
    if by_score[0]["min_score"] != 0:
        raise CatalogueFormatError(
            rows[-1].line, "the lowest grade must start at 0, so every score has a grade"
        )
    flags = [values["passing"] for values in by_score]
    if flags != sorted(flags):
        raise CatalogueFormatError(rows[-1].line, "a passing grade is below a failing one")
    fiscal_year, changes = _fiscal_year(year)
    return changes + _sync(GradeBand, fiscal_year, "grade", wanted, "grade")


def load_file(loader, path, *, year: int) -> list[str]:
    return loader(Path(path).read_bytes(), year=year)


@transaction.atomic
def load_measure_items(data: bytes, *, year: int) -> list[str]:
    """measure,items: which OIT items each measure of the year's plan answers (items separated by spaces).

    The year's links become exactly the file's: links not in it are removed.
    """
    rows = read_rows(data, ("measure", "items"))
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise CatalogueImportError(f"fiscal year {year} has no plan yet")
    measures = {
        m.code: m
        for m in Measure.objects.filter(indicator__fiscal_year=fiscal_year).select_related("indicator")
    }
    items = {item.code: item for item in OITItem.objects.filter(fiscal_year=fiscal_year)}
    parsed = [(row, to_arabic_digits(row.values["measure"])) for row in rows]
    _unique(parsed, "measure")
    wanted: set[tuple[str, str]] = set()
    for row, code in parsed:
        if code not in measures:
            raise CatalogueFormatError(row.line, f"measure {code} is not in fiscal year {year}'s plan")
        for item_code in row.values["items"].replace(",", " ").upper().split():
            if item_code not in items:
                raise CatalogueFormatError(
                    row.line, f"item {item_code} is not among fiscal year {year}'s OIT items"
                )
            wanted.add((code, item_code))
    changes = []
    existing = {
        (link.measure.code, link.item.code): link
        for link in MeasureItem.objects.filter(item__fiscal_year=fiscal_year).select_related(
            "measure__indicator", "item"
        )
    }
    for pair in sorted(wanted - existing.keys()):
        MeasureItem.objects.create(measure=measures[pair[0]], item=items[pair[1]])
        changes.append(f"linked measure {pair[0]} to {pair[1]}")
    for pair in sorted(existing.keys() - wanted):
        existing[pair].delete()
        changes.append(f"unlinked measure {pair[0]} from {pair[1]}")
    return changes


# The year's catalogue files in a data directory, in the order they load (the items need the indicator table).
YEAR_FILES = (
    ("ita-{year}-indicators.csv", load_indicators),
    ("ita-{year}-oit-items.csv", load_items),
    ("ita-{year}-weights.csv", load_weights),
    ("ita-{year}-grades.csv", load_grades),
)


@transaction.atomic
def load_year(directory, *, year: int) -> dict[str, list[str]]:
    """Load every catalogue file of the year found in `directory` (data/ita-2565-….csv); {file name: changes}."""
    loaded = {}
    for pattern, loader in YEAR_FILES:
        path = Path(directory) / pattern.format(year=year)
        if path.exists():
            loaded[path.name] = loader(path.read_bytes(), year=year)
    return loaded
