"""Display helpers of the plan page: merged-cell marking and the plan's free text."""

import pytest

from measures.plan_table import plan_groups, plan_indicators, plan_rows
from measures.templatetags.plan import cell_text, item_text, plan_text
from tests.factories import FiscalYearFactory, IndicatorFactory, MeasureFactory


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("(๑) ไม่ให้หรือไม่รับทรัพย์สิน", "ไม่ให้หรือไม่รับทรัพย์สิน"),
        ("(1) first", "first"),
        ("๒. การเปิดโอกาส", "การเปิดโอกาส"),
        ("- แจ้งเวียนแผน", "แจ้งเวียนแผน"),
        ("๓. แนวทาง / มาตรการ", "แนวทาง / มาตรการ"),
        ("ไม่มีเลขนำหน้า ๑. ในข้อความ", "ไม่มีเลขนำหน้า ๑. ในข้อความ"),
        ("๓,๐๐๐ บาท", "๓,๐๐๐ บาท"),
    ],
)
def test_item_text_drops_only_a_leading_list_number(given, shown):
    assert item_text(given) == shown


def test_plan_text_turns_dash_lines_into_a_nested_list_and_other_lines_into_paragraphs():
    text = "สรุปผล\n- ข้อแรก\n - ข้อย่อก\n - ข้อย่อข\n- ข้อสอง\n\nหมายเหตุ"
    assert plan_text(text) == (
        "<p>สรุปผล</p><ul><li>ข้อแรก<ul><li>ข้อย่อก</li><li>ข้อย่อข</li></ul></li><li>ข้อสอง</li></ul><p>หมายเหตุ</p>"
    )


def test_plan_text_escapes_html():
    assert (
        plan_text("- <script>alert(1)</script>") == "<ul><li>&lt;script&gt;alert(1)&lt;/script&gt;</li></ul>"
    )


def test_plan_text_of_nothing_is_empty():
    assert plan_text("") == ""
    assert plan_text(None) == ""


@pytest.mark.django_db
def test_plan_rows_mark_cells_that_repeat_the_row_above():
    fiscal_year = FiscalYearFactory()
    one = IndicatorFactory(fiscal_year=fiscal_year, number=1)
    two = IndicatorFactory(fiscal_year=fiscal_year, number=2)
    MeasureFactory(indicator=one, order=1, responsible="ก", monitoring="x")
    MeasureFactory(indicator=one, order=2, responsible="ก", monitoring="y")
    MeasureFactory(indicator=two, order=1, responsible="ข", monitoring="y")
    rows = plan_rows(plan_indicators(fiscal_year))
    assert [r.measure.code for r in rows] == ["1.1", "1.2", "2.1"]
    assert [r.indicator_continued for r in rows] == [False, True, False]
    assert [r.responsible_continued for r in rows] == [False, True, False]
    assert [r.monitoring_continued for r in rows] == [False, False, True]
    assert [r.numbered for r in rows] == [True, True, False]
    assert [(g.indicator.number, len(g.rows)) for g in plan_groups(rows)] == [(1, 2), (2, 1)]


@pytest.mark.django_db
def test_an_indicator_without_measures_still_has_a_row_that_merges_with_nothing():
    fiscal_year = FiscalYearFactory()
    MeasureFactory(indicator=IndicatorFactory(fiscal_year=fiscal_year, number=1), responsible="ก")
    IndicatorFactory(fiscal_year=fiscal_year, number=2)
    MeasureFactory(indicator=IndicatorFactory(fiscal_year=fiscal_year, number=3), responsible="ก")
    rows = plan_rows(plan_indicators(fiscal_year))
    assert [r.measure is None for r in rows] == [False, True, False]
    assert [r.responsible_continued for r in rows] == [False, False, False]


def test_cell_text_shows_a_numbered_run_as_a_list():
    text = "๑. รายงานให้จังหวัดทราบ ๒. รายงานคณะอนุกรรมการ ไตรมาสละ ๑ ครั้ง"
    assert cell_text(text) == (
        '<ol class="plan-parts"><li>รายงานให้จังหวัดทราบ</li><li>รายงานคณะอนุกรรมการ ไตรมาสละ ๑ ครั้ง</li></ol>'
    )


@pytest.mark.parametrize(
    "text",
    ["ส่วนราชการประจำจังหวัดสตูล ทั้ง ๓๓ ส่วน", "๑. รายงานให้จังหวัดทราบ", "๒. ข้อที่สอง ๓. ข้อที่สาม"],
)
def test_cell_text_leaves_other_text_as_it_is(text):
    assert cell_text(text) == text


def test_cell_text_escapes_html():
    assert (
        cell_text("๑. <b>ก</b> ๒. ข") == '<ol class="plan-parts"><li>&lt;b&gt;ก&lt;/b&gt;</li><li>ข</li></ol>'
    )
    assert cell_text("<b>ก</b>\nข") == "&lt;b&gt;ก&lt;/b&gt;<br>ข"
