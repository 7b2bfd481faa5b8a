"""reports/review/diffing.py: Thai-aware inline diffs, escaped, and per-measure rendering of snapshot diffs."""

import re

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from reports.review.diffing import MAX_TOKENS, inline_diff, render_changes, tokenize


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _plain(html: str) -> str:
    """The diff without its tags (the screen-reader labels "removed: " / "added: " stay in)."""
    return re.sub(r"<[^>]+>", "", html)


def _removed(html):
    return [_plain(m) for m in re.findall(r"<del>(.*?)</del>", html)]


def _added(html):
    return [_plain(m) for m in re.findall(r"<ins>(.*?)</ins>", html)]


def _strip_labels(text):
    return text.replace("removed: ", "").replace("added: ", "")


@pytest.mark.parametrize(
    "text",
    ["", "ดำเนินการแล้ว", "เผยแพร่ข้อมูลบนเว็บไซต์ ITA 2565\nครั้งที่ ๒", "ไม่มี  ปัญหา", "กำหนด ๑๐ วัน"],
)
def test_tokens_join_back_to_the_text(text):
    assert "".join(tokenize(text)) == text


def test_thai_marks_stay_with_their_consonant_and_a_leading_vowel_with_the_next():
    tokens = tokenize("เผยแพร่ข้อมูล")
    assert tokens == ["เผ", "ย", "แพ", "ร่", "ข้", "อ", "มู", "ล"]
    assert tokenize("ดำเนิน") == ["ดำ", "เนิ", "น"]


def test_latin_words_and_numbers_are_whole_tokens():
    assert tokenize("ITA 2565 ok") == ["ITA", " ", "2565", " ", "ok"]


def test_appended_text_is_one_insertion():
    html = inline_diff("ดำเนินการแล้ว", "ดำเนินการแล้ว และเผยแพร่บนเว็บไซต์")
    assert _strip_labels(_plain(html)) == "ดำเนินการแล้ว และเผยแพร่บนเว็บไซต์"
    assert [_strip_labels(a) for a in _added(html)] == [" และเผยแพร่บนเว็บไซต์"]
    assert _removed(html) == []


def test_changed_words_inside_thai_text_are_marked_and_the_rest_kept():
    html = inline_diff("จัดประชุมชี้แจงบุคลากร จำนวน 2 ครั้ง", "จัดอบรมบุคลากร จำนวน 3 ครั้ง")
    assert [_strip_labels(r) for r in _removed(html)] == ["ประชุมชี้แจง", "2"]
    assert [_strip_labels(a) for a in _added(html)] == ["อบรม", "3"]
    assert html.startswith("จัด")
    assert "บุคลากร จำนวน " in html


def test_short_unchanged_islands_are_folded_into_one_replacement():
    # "ก" is shared by chance between two rewritten words: no one-letter island between them.
    html = inline_diff("สวัสดีกทม", "ลาก่อนกรุงเทพ")
    assert len(_removed(html)) == 1
    assert len(_added(html)) == 1


def test_rewritten_text_is_shown_whole():
    html = inline_diff("จัดประชุมชี้แจงบุคลากร จำนวน 2 ครั้ง", "ผลใหม่หลังเปิดแก้ไขครั้งที่สอง")
    assert [_strip_labels(r) for r in _removed(html)] == ["จัดประชุมชี้แจงบุคลากร จำนวน 2 ครั้ง"]
    assert [_strip_labels(a) for a in _added(html)] == ["ผลใหม่หลังเปิดแก้ไขครั้งที่สอง"]


def test_empty_old_or_new_is_a_whole_insertion_or_deletion():
    assert _added(inline_diff("", "ใหม่")) == ["added: ใหม่"]
    assert _removed(inline_diff("เก่า", None)) == ["removed: เก่า"]
    assert inline_diff("", "") == ""


def test_identical_text_has_no_marks():
    assert inline_diff("เหมือนเดิม", "เหมือนเดิม") == "เหมือนเดิม"


def test_markup_in_texts_is_escaped():
    html = inline_diff("<b>เดิม</b>", '<script>alert("x")</script>')
    assert isinstance(html, SafeString)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html


def test_diff_marks_are_announced_to_screen_readers():
    html = inline_diff("ก ข", "ก ค")
    assert '<span class="visually-hidden">removed: </span>' in html
    assert '<span class="visually-hidden">added: </span>' in html


def test_very_long_texts_are_shown_whole_without_diffing():
    old, new = "ก" * (MAX_TOKENS + 1), "ข" + "ก" * MAX_TOKENS
    html = inline_diff(old, new)
    assert len(_removed(html)) == len(_added(html)) == 1


def test_render_changes_orders_fields_and_labels_them():
    changes = {
        "7": {
            "result": {"old": "เดิม", "new": "ใหม่"},
            "status": {"old": "in_progress", "new": "done"},
            "percent": {"old": 40, "new": 100},
            "evidence": {"added": ["ลิงก์ใหม่ – https://a"], "removed": ["ลิงก์เดิม – https://b"]},
        }
    }
    measure = render_changes(changes)[7]
    assert [f.field for f in measure.fields] == ["status", "percent", "result"]
    assert [f.label for f in measure.fields] == ["Implementation status", "Percent complete", "Results"]
    status, percent, _result = (f.html for f in measure.fields)
    assert _removed(status) == ["removed: In progress"] and _added(status) == ["added: Done"]
    assert _removed(percent) == ["removed: 40%"] and _added(percent) == ["added: 100%"]
    assert measure.evidence_added == ["ลิงก์ใหม่ – https://a"]
    assert measure.evidence_removed == ["ลิงก์เดิม – https://b"]


def test_render_changes_handles_a_status_set_for_the_first_time_and_a_cleared_percent():
    measure = render_changes(
        {"3": {"status": {"old": "", "new": "done"}, "percent": {"old": 50, "new": None}}}
    )[3]
    status, percent = (f.html for f in measure.fields)
    assert _removed(status) == [] and _added(status) == ["added: Done"]
    assert _removed(percent) == ["removed: 50%"] and _added(percent) == []


def test_render_changes_skips_measures_without_changes():
    assert render_changes({}) == {}
    assert render_changes({"5": {"evidence": {"added": [], "removed": []}}}) == {}


# --- bounded work (a reporter must not be able to freeze the review of their own report) ------------------------


def _pathological(repeats: int, variant: int) -> tuple[str, str]:
    """Repetitive text edited at both ends and in the middle, so no shortcut avoids comparing it all."""
    old = "กข " * repeats
    new = f"ขก{variant} " + "กข " * (repeats // 2) + "คง " + "กข " * (repeats // 2 - 1) + "จฉ"
    return old, new


@pytest.fixture
def work(monkeypatch):
    """The token pairs SequenceMatcher scans, whatever code calls it: each find_longest_match call looks at
    every position in the new text of every token in its range of the old one."""
    import difflib

    counted = {"pairs": 0}
    original = difflib.SequenceMatcher.find_longest_match

    def counting(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        counted["pairs"] += sum(len(self.b2j.get(token, ())) for token in self.a[alo:ahi])
        return original(self, alo, ahi, blo, bhi)

    monkeypatch.setattr(difflib.SequenceMatcher, "find_longest_match", counting)
    return counted


def test_a_page_of_repetitive_resubmitted_fields_costs_a_bounded_amount_of_work(work):
    from reports.review.diffing import DIFF_BUDGET

    changes = {}
    for measure in range(20):
        old, new = _pathological(120, measure)
        changes[str(measure)] = {"result": {"old": old, "new": new}, "obstacles": {"old": new, "new": old}}
    rendered = render_changes(changes)
    assert work["pairs"] <= DIFF_BUDGET
    assert len(rendered) == 20
    for measure, change in rendered.items():
        old, new = _pathological(120, measure)
        # Every field still shows the whole old and the whole new text, diffed or one after the other.
        html = str(change.fields[0].html)
        assert _strip_labels(_plain(re.sub(r"<ins>.*?</ins>", "", html))) == old
        assert _strip_labels(_plain(re.sub(r"<del>.*?</del>", "", html))) == new


def test_past_the_budget_a_field_is_shown_old_then_new_around_its_unchanged_ends():
    from reports.review.diffing import DiffBudget

    intro, outro = "บทนำ " * 100, " สรุป" * 100
    old = intro + "กข " * 50 + "ค"
    new = intro + "ขก " * 50 + "ง"
    old, new = old + outro, new + outro
    html = inline_diff(old, new, DiffBudget(pairs=10))
    assert _plain(html).startswith(intro)
    assert _plain(html).endswith(outro)
    assert _strip_labels("".join(_removed(html))) == "กข " * 50 + "ค"
    assert _strip_labels("".join(_added(html))) == "ขก " * 50 + "ง"


def test_an_edit_in_the_middle_of_a_long_text_is_found_without_comparing_the_unchanged_ends(work):
    old = "ก" * 3000 + "ผลเดิม" + "ข" * 1500
    new = "ก" * 3000 + "ผลใหม่" + "ข" * 1500
    html = inline_diff(old, new)
    assert "ใหม่" in "".join(_added(html))
    assert work["pairs"] < 100
