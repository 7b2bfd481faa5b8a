"""Time the review page's diffs at their worst: repetitive text that a reporter controls, in every field.

    DEBUG=1 .venv/bin/python benchmarks/review_diff.py [--runs 5]

No database: it calls `reports.review.diffing.render_changes` (what the review page calls) on snapshot changes
of 20 measures with both texts changed (results and obstacles: 40 fields), in three shapes, and prints
median / max wall time in milliseconds per page and the token pairs compared:

- "กข " × 400 per field (2.7 kB, the attack's example: 13.5 s for one field before the budget),
- "กข " × 1,666 per field (about 5,000 tokens, the cap beyond which texts are shown whole anyway),
- an ordinary resubmission: 1,200 characters of Thai prose per field with one sentence changed.

The old and new texts differ at both ends and in the middle, so no shortcut skips the comparison.
Results: benchmarks/README.md.
"""

import argparse
import difflib
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satun_ita.settings")
os.environ.setdefault("DEBUG", "1")

PROSE = (
    "หน่วยงานได้ดำเนินการตามมาตรการอย่างต่อเนื่อง โดยจัดประชุมชี้แจงบุคลากรในสังกัดจำนวน ๒ ครั้ง "
    "เผยแพร่ข้อมูลผ่านเว็บไซต์ของหน่วยงานและเว็บไซต์จังหวัดสตูล และรายงานผลให้จังหวัดทราบตามกำหนด "
) * 4


def repetitive(repeats: int, variant: int) -> tuple[str, str]:
    old = "กข " * repeats
    new = f"ขก{variant} " + "กข " * (repeats // 2) + "คง " + "กข " * (repeats // 2 - 1) + "จฉ"
    return old, new


def prose(_repeats: int, variant: int) -> tuple[str, str]:
    return PROSE, PROSE.replace("จำนวน ๒ ครั้ง", f"จำนวน {variant + 3} ครั้ง และอบรมออนไลน์ ๑ ครั้ง")


def page(shape, repeats: int) -> dict:
    changes = {}
    for measure in range(20):
        old, new = shape(repeats, measure)
        changes[str(measure)] = {"result": {"old": old, "new": new}, "obstacles": {"old": new, "new": old}}
    return changes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from reports.review.diffing import DIFF_BUDGET, render_changes

    pairs = {"n": 0}
    original = difflib.SequenceMatcher.find_longest_match

    def counting(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        pairs["n"] += sum(len(self.b2j.get(token, ())) for token in self.a[alo:ahi])
        return original(self, alo, ahi, blo, bhi)

    difflib.SequenceMatcher.find_longest_match = counting
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"budget {DIFF_BUDGET:,} pairs per page; 20 measures × 2 fields")
    for label, shape, repeats in (
        ('"กข " × 400', repetitive, 400),
        ('"กข " × 1,666 (≈5,000 tokens)', repetitive, 1666),
        ("prose, one sentence changed", prose, 0),
    ):
        changes = page(shape, repeats)
        times = []
        for _ in range(args.runs):
            pairs["n"] = 0
            start = time.perf_counter()
            render_changes(changes)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{label:34} median {statistics.median(times):8.1f} ms   max {max(times):8.1f} ms   "
            f"pairs {pairs['n']:>10,}"
        )


if __name__ == "__main__":
    main()
