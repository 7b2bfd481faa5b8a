"""The Thai catalogue: complete, not fuzzy, and the committed .mo compiled from the committed .po."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PO_FILES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def parse_po(path: Path) -> list[dict]:
    """A tiny .po reader: entries with msgid, msgid_plural, msgstr (or msgstr[n]) and flags; obsolete (#~) skipped."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if match:
                key = match.group(1)
                value = _unquote(match.group(3))
            else:
                value = _unquote(line)  # a continuation line
            if key.startswith("msgstr"):
                index = int(key[7:-1]) if "[" in key else 0
                entry["msgstr"][index] = entry["msgstr"].get(index, "") + value if not match else value
            else:
                entry[key] = entry.get(key, "") + value if not match else value
    return [e for e in entries if "msgid" in e]


def _unquote(quoted: str) -> str:
    body = quoted[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), body)


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)[sdif]|\{\w*\}", text))


def test_there_is_a_thai_catalogue():
    assert LOCALE / "th/LC_MESSAGES/django.po" in PO_FILES


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_message_is_translated_and_none_is_fuzzy(po_path):
    entries = parse_po(po_path)
    assert len(entries) > 1
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        if entry["msgid"] == "":
            continue  # the header
        assert entry["msgstr"] and all(entry["msgstr"].values()), f"untranslated: {entry['msgid']!r}"


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_translations_keep_the_placeholders(po_path):
    for entry in parse_po(po_path):
        # Thai has one plural form, so its msgstr[0] may use the plural's placeholders too.
        allowed = placeholders(entry["msgid"]) | placeholders(entry.get("msgid_plural", ""))
        required = placeholders(entry["msgid"]) & placeholders(entry.get("msgid_plural", entry["msgid"]))
        for msgstr in entry["msgstr"].values():
            assert required <= placeholders(msgstr) <= allowed, entry["msgid"]


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_committed_mo_is_compiled_from_the_po(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    with mo_path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in parse_po(po_path):
        if entry["msgid"] == "":
            continue
        msgid = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            for index, msgstr in entry["msgstr"].items():
                expected[(msgid, index)] = msgstr
        else:
            expected[msgid] = entry["msgstr"][0]
    compiled = {key: value for key, value in catalog.items() if key != ""}
    assert compiled == expected, "the .mo is stale: run `make messages` and commit both files"
