"""Showing a reviewer what an agency changed: inline diffs of Thai text, rendered as escaped HTML.

Thai is written without spaces between words, so a word-level diff does not apply and a plain
character diff splits vowels and tone marks from their consonants (which renders as broken glyphs)
and scatters one-letter islands through a rewritten phrase. Here text is cut into tokens that keep a
Thai character cluster together (a leading vowel, the consonant, and the marks above and below it),
Latin words and numbers whole, and whitespace runs apart; `difflib.SequenceMatcher` compares the
tokens, and short unchanged islands between two changes are folded into one replacement so the
reviewer reads "old phrase → new phrase" rather than confetti.

Everything user-written is escaped: the output is built with `format_html` only.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reports.history import display_value, field_label
from reports.models import MeasureProgress

# A Thai leading vowel (เ แ โ ใ ไ) goes with the consonant after it; sara am and the marks above and
# below (ั ำ ิ ี ึ ื ุ ู ฺ ็ ่ ้ ๊ ๋ ์ ํ ๎) go with the character before them.
_TOKEN = re.compile(
    r"\s+"
    r"|[A-Za-z0-9\u0E50-\u0E59]+"
    r"|[\u0E40-\u0E44]?\S[\u0E31\u0E33-\u0E3A\u0E47-\u0E4E]*",
)
# An unchanged run of at most this many tokens between two changes is shown as part of the change.
MERGE_ISLANDS_UP_TO = 2
# When less than this share of the shorter text survives, the text was rewritten rather than edited: it is
# shown whole (old struck through, then new) instead of as a patchwork of coincidentally shared letters.
MIN_SHARED = 0.5
# Beyond this many tokens on either side the texts are shown whole (old struck through, new inserted):
# such a diff would not be readable anyway.
MAX_TOKENS = 5000
# The work one review page may spend on diffs, counted as the token pairs SequenceMatcher looks at (its
# find_longest_match scans every position in the new text of every token of the old one). Without a bound, one
# field of repetitive text ("กข " × 400) took 13.5 s: the work grows with the cube of the length. Past the
# budget, the rest of the page's fields are shown old-then-new (around their unchanged beginning and end).
# 1,500,000 pairs take about a quarter of a second (benchmarks/review_diff.py); an ordinary page of 20 rewritten
# measures needs about a quarter of that.
DIFF_BUDGET = 1_500_000


class DiffBudget:
    """What is left of a page's diff work; shared by every field of one review page."""

    def __init__(self, pairs: int = DIFF_BUDGET):
        self.left = pairs

    def spend(self, pairs: int) -> None:
        self.left -= pairs
        if self.left < 0:
            raise OverBudget


class OverBudget(Exception):
    pass


class _BudgetedMatcher(difflib.SequenceMatcher):
    """SequenceMatcher that charges each longest-match search to a DiffBudget before doing it."""

    def __init__(self, a, b, budget: DiffBudget):
        self.budget = budget
        super().__init__(None, a, b, autojunk=False)
        self._positions = {token: len(positions) for token, positions in self.b2j.items()}

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        positions = self._positions
        self.budget.spend(ahi - alo + sum(positions.get(token, 0) for token in self.a[alo:ahi]))
        return super().find_longest_match(alo, ahi, blo, bhi)


def tokenize(text: str) -> list[str]:
    """Cut text into diffable tokens; joining the tokens gives the text back exactly."""
    return _TOKEN.findall(text or "")


def _opcodes(
    old_tokens: list[str], new_tokens: list[str], budget: DiffBudget
) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher opcodes with short unchanged islands folded into the changes around them.

    Raises OverBudget when the comparison would cost more than what is left of `budget`."""
    opcodes = _BudgetedMatcher(old_tokens, new_tokens, budget).get_opcodes()
    result: list[tuple[str, int, int, int, int]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        # get_opcodes never puts two "equal" runs side by side, so an inner one sits between two changes.
        if tag == "equal" and 0 < index < len(opcodes) - 1 and i2 - i1 <= MERGE_ISLANDS_UP_TO:
            tag = "replace"
        if tag != "equal" and result and result[-1][0] != "equal":
            _tag, p1, _p2, q1, _q2 = result[-1]
            result[-1] = ("replace", p1, i2, q1, j2)
        else:
            result.append((tag, i1, i2, j1, j2))
    return result


def _deleted(text: str) -> SafeString:
    return format_html('<del><span class="visually-hidden">{} </span>{}</del>', _("removed:"), text)


def _inserted(text: str) -> SafeString:
    return format_html('<ins><span class="visually-hidden">{} </span>{}</ins>', _("added:"), text)


def _join(pieces) -> SafeString:
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _common_ends(old_tokens: list[str], new_tokens: list[str]) -> tuple[int, int]:
    """How many tokens the two texts share at their beginning and (not overlapping it) at their end."""
    limit = min(len(old_tokens), len(new_tokens))
    head = 0
    while head < limit and old_tokens[head] == new_tokens[head]:
        head += 1
    tail = 0
    while tail < limit - head and old_tokens[-1 - tail] == new_tokens[-1 - tail]:
        tail += 1
    return head, tail


def inline_diff(old: str | None, new: str | None, budget: DiffBudget | None = None) -> SafeString:
    """HTML showing `old` turned into `new`: removed text in <del>, added text in <ins>, all escaped.

    The unchanged beginning and end are set aside first (most edits touch one place), and only the middle is
    compared, within `budget` (a page's, or one of its own); past it the middle is shown old-then-new."""
    old, new = old or "", new or ""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    whole = _join([_deleted(old) if old else "", _inserted(new) if new else ""])
    if not old_tokens or not new_tokens or max(len(old_tokens), len(new_tokens)) > MAX_TOKENS:
        return whole
    head, tail = _common_ends(old_tokens, new_tokens)
    old_middle = old_tokens[head : len(old_tokens) - tail]
    new_middle = new_tokens[head : len(new_tokens) - tail]
    try:
        middle = _opcodes(old_middle, new_middle, budget or DiffBudget()) if old_middle and new_middle else []
    except OverBudget:
        middle = [("replace", 0, len(old_middle), 0, len(new_middle))]
    if not middle and (old_middle or new_middle):
        middle = [("replace", 0, len(old_middle), 0, len(new_middle))]
    opcodes = [("equal", 0, head, 0, head)] if head else []
    opcodes += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle]
    if tail:
        opcodes.append(
            ("equal", len(old_tokens) - tail, len(old_tokens), len(new_tokens) - tail, len(new_tokens))
        )
    shared = sum(i2 - i1 for tag, i1, i2, _j1, _j2 in opcodes if tag == "equal")
    if shared < MIN_SHARED * min(len(old_tokens), len(new_tokens)):
        return whole
    pieces = []
    for tag, i1, i2, j1, j2 in opcodes:
        before, after = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if tag == "equal":
            pieces.append(format_html("{}", before))
            continue
        if before:
            pieces.append(_deleted(before))
        if after:
            pieces.append(_inserted(after))
    return _join(pieces)


def _whole_value_change(old: str, new: str) -> SafeString:
    """A short value replaced as a whole (status, percent): old struck through, an arrow, new."""
    pieces = []
    if old:
        pieces.append(_deleted(old))
    if old and new:
        pieces.append(format_html(' <span aria-hidden="true">{}</span> ', "→"))
    if new:
        pieces.append(_inserted(new))
    return _join(pieces)


# The short values (status, percent) before the texts, so a reviewer sees the verdict before the narrative.
DIFF_ORDER = sorted(MeasureProgress.REPORTED_FIELDS, key=lambda name: name not in ("status", "percent"))


@dataclass
class FieldChange:
    field: str
    label: str
    html: SafeString


@dataclass
class MeasureChanges:
    """What changed in one measure: rendered field diffs and evidence added or removed."""

    fields: list[FieldChange] = field(default_factory=list)
    evidence_added: list[str] = field(default_factory=list)
    evidence_removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.evidence_added or self.evidence_removed)


def render_field_change(name: str, old, new, budget: DiffBudget | None = None) -> SafeString:
    if name in ("status", "percent"):
        return _whole_value_change(display_value(name, old, empty=""), display_value(name, new, empty=""))
    return inline_diff(old, new, budget)


def render_changes(changes: dict) -> dict[int, MeasureChanges]:
    """Turn `history.diff_snapshots(...)` output into per-measure rendered changes, keyed by measure id.

    All the fields share one DiffBudget, so a page's diffs cost a bounded amount of work however many
    fields and however long (or repetitive) their texts."""
    budget = DiffBudget()
    rendered: dict[int, MeasureChanges] = {}
    for measure_id, fields in changes.items():
        measure = MeasureChanges()
        for name in DIFF_ORDER:
            if name in fields:
                change = fields[name]
                measure.fields.append(
                    FieldChange(
                        name,
                        field_label(name),
                        render_field_change(name, change.get("old"), change.get("new"), budget),
                    )
                )
        evidence = fields.get("evidence") or {}
        measure.evidence_added = list(evidence.get("added", []))
        measure.evidence_removed = list(evidence.get("removed", []))
        if measure:
            rendered[int(measure_id)] = measure
    return rendered
