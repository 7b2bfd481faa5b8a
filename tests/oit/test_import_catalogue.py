"""The ITA catalogue as data per year: import_oit_items, import_ita_indicators, import_ita_weights, import_ita_grades."""

import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from measures.models import FiscalYear
from oit.models import GradeBand, ITAIndicator, MeasureItem, OITItem, ScoreWeight
from tests.factories import FiscalYearFactory, IndicatorFactory, MeasureFactory

DATA = settings.BASE_DIR / "data"


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def indicators_2565(db):
    run("import_ita_indicators", str(DATA / "ita-2565-indicators.csv"), "--year", "2565")


def write(tmp_path, text, name="file.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_indicator_table_loads_numbers_groups_and_official_names(indicators_2565):
    table = list(
        ITAIndicator.objects.filter(fiscal_year__year=2565).values_list("number", "group", "name_th")
    )
    assert len(table) == 10
    assert table[0] == (1, "IIT", "การปฏิบัติหน้าที่")
    assert table[7] == (8, "EIT", "การปรับปรุงระบบการทำงาน")
    assert [group for _n, group, _name in table] == ["IIT"] * 5 + ["EIT"] * 3 + ["OIT"] * 2


def test_shipped_fy2565_items_load_as_43_items_in_the_itas_order(indicators_2565):
    out = run("import_oit_items", str(DATA / "ita-2565-oit-items.csv"), "--year", "2565")
    items = OITItem.objects.filter(fiscal_year__year=2565)
    assert items.count() == 43
    assert list(items.values_list("code", flat=True)[:3]) == ["O1", "O2", "O3"]
    o42 = items.get(code="O42")
    assert (o42.order, o42.indicator.number, o42.subindicator) == (42, 10, "10.2 มาตรการภายในเพื่อป้องกันการทุจริต")
    assert "43 change(s)" in out


def test_oit_import_is_idempotent(indicators_2565):
    path = str(DATA / "ita-2565-oit-items.csv")
    run("import_oit_items", path, "--year", "2565")
    before = list(OITItem.objects.values_list("pk", "code", "order", "name_th", "indicator_id"))
    out = run("import_oit_items", path, "--year", "2565")
    assert "no changes" in out
    assert list(OITItem.objects.values_list("pk", "code", "order", "name_th", "indicator_id")) == before


def test_items_are_per_fiscal_year(indicators_2565, tmp_path):
    run("import_oit_items", str(DATA / "ita-2565-oit-items.csv"), "--year", "2565")
    run("import_ita_indicators", str(DATA / "ita-2565-indicators.csv"), "--year", "2569")
    path = write(
        tmp_path, "code,indicator,subindicator,name_th\nO25,10,10.2,มาตรการภายใน\nO26,10,10.2,การดำเนินการ\n"
    )
    run("import_oit_items", path, "--year", "2569")
    assert list(OITItem.objects.filter(fiscal_year__year=2569).values_list("code", flat=True)) == [
        "O25",
        "O26",
    ]
    assert OITItem.objects.filter(fiscal_year__year=2565).count() == 43


def test_reimport_updates_in_place_and_deletes_items_no_longer_listed(indicators_2565, tmp_path):
    path = write(tmp_path, "code,indicator,subindicator,name_th\nO1,9,9.1,โครงสร้าง\nO2,9,9.1,ผู้บริหาร\n")
    run("import_oit_items", path, "--year", "2565")
    o1 = OITItem.objects.get(code="O1")
    path = write(tmp_path, "code,indicator,subindicator,name_th\nO1,9,9.1,โครงสร้างองค์กร\n")
    out = run("import_oit_items", path, "--year", "2565")
    assert "updated OIT item O1: name_th" in out
    assert "deleted OIT item O2" in out
    assert list(OITItem.objects.values_list("pk", "name_th")) == [(o1.pk, "โครงสร้างองค์กร")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,indicator,name_th\nO1,9,x\n", "line 1: missing column(s): subindicator"),
        ("code,indicator,subindicator,name_th\nO1,9,9.1,a\nO1,9,9.1,b\n", "line 3: item O1 is repeated"),
        (
            "code,indicator,subindicator,name_th\nO1,9,9.1,a\n42,9,9.1,b\n",
            "line 3: code '42' is not an item code",
        ),
        (
            "code,indicator,subindicator,name_th\nO1,11,9.1,a\n",
            "line 2: indicator 11 is not in fiscal year 2565",
        ),
        ("code,indicator,subindicator,name_th\nO1,9,9.1,\n", "line 2: name_th is empty"),
        ("code,indicator,subindicator,name_th\nO1,9,9.1,a,extra\n", "line 2: the row has more cells"),
    ],
)
def test_malformed_items_file_is_refused_naming_the_line_and_writes_nothing(
    indicators_2565, tmp_path, text, message
):
    run("import_oit_items", str(DATA / "ita-2565-oit-items.csv"), "--year", "2565")
    before = list(OITItem.objects.values_list("pk", "code", "name_th"))
    with pytest.raises(CommandError, match=re.escape(message)):
        run("import_oit_items", write(tmp_path, text + "O99,9,9.1,ok\n"), "--year", "2565")
    assert list(OITItem.objects.values_list("pk", "code", "name_th")) == before


def test_items_file_not_in_utf8_is_refused(indicators_2565, tmp_path):
    path = tmp_path / "items.csv"
    path.write_bytes("code,indicator,subindicator,name_th\nO1,9,9.1,โครงสร้าง\n".encode("cp874"))
    with pytest.raises(CommandError, match="line 2: the file is not UTF-8"):
        run("import_oit_items", str(path), "--year", "2565")
    assert not OITItem.objects.exists()


def test_items_for_a_new_year_need_its_indicator_table_first(db, tmp_path):
    path = write(tmp_path, "code,indicator,subindicator,name_th\nO1,9,9.1,a\n")
    with pytest.raises(CommandError, match="import_ita_indicators FILE --year 2566"):
        run("import_oit_items", path, "--year", "2566")
    assert not FiscalYear.objects.filter(year=2566).exists()


def test_weights_and_grade_bands_load_as_data_per_year(db):
    run("import_ita_weights", str(DATA / "ita-2565-weights.csv"), "--year", "2565")
    run("import_ita_grades", str(DATA / "ita-2565-grades.csv"), "--year", "2565")
    year = FiscalYear.objects.get(year=2565)
    weights = dict(ScoreWeight.objects.filter(fiscal_year=year).values_list("group", "weight"))
    assert weights == {"IIT": Decimal(30), "EIT": Decimal(30), "OIT": Decimal(40)}
    assert GradeBand.objects.pass_mark(year) == Decimal(85)
    assert GradeBand.objects.for_score(year, Decimal("94.99")).grade == "A"
    assert GradeBand.objects.for_score(year, Decimal(95)).grade == "AA"
    assert GradeBand.objects.for_score(year, Decimal("49.99")).grade == "F"


def test_weights_that_do_not_add_up_to_100_are_refused(db, tmp_path):
    with pytest.raises(CommandError, match="add up to 90"):
        run("import_ita_weights", write(tmp_path, "group,weight\nIIT,30\nEIT,30\nOIT,30\n"), "--year", "2565")
    assert not ScoreWeight.objects.exists()


def test_grade_bands_must_cover_every_score(db, tmp_path):
    with pytest.raises(CommandError, match="must start at 0"):
        run(
            "import_ita_grades",
            write(tmp_path, "grade,min_score,passing\nA,85,1\nB,50,0\n"),
            "--year",
            "2565",
        )
    assert not GradeBand.objects.exists()


def test_an_indicator_with_items_is_not_removed_from_the_table(indicators_2565, tmp_path):
    run("import_oit_items", str(DATA / "ita-2565-oit-items.csv"), "--year", "2565")
    path = write(tmp_path, "number,group,name_th\n9,OIT,การเปิดเผยข้อมูล\n")
    with pytest.raises(CommandError, match=r"indicator\(s\) 10 of fiscal year 2565 still have OIT items"):
        run("import_ita_indicators", path, "--year", "2565")
    assert ITAIndicator.objects.count() == 10


def test_measure_item_links_load_exactly_as_the_file_says(indicators_2565, tmp_path):
    run("import_oit_items", str(DATA / "ita-2565-oit-items.csv"), "--year", "2565")
    year = FiscalYear.objects.get(year=2565)
    measure = MeasureFactory(indicator=IndicatorFactory(fiscal_year=year, number=10), order=1)
    run("import_measure_items", write(tmp_path, "measure,items\n๑๐.๑,O42 O43\n"), "--year", "2565")
    assert sorted(measure.oit_items.values_list("code", flat=True)) == ["O42", "O43"]
    out = run("import_measure_items", write(tmp_path, "measure,items\n10.1,O43\n"), "--year", "2565")
    assert "unlinked measure 10.1 from O42" in out
    assert list(MeasureItem.objects.values_list("item__code", flat=True)) == ["O43"]


def test_measure_item_links_name_only_the_years_items(indicators_2565, tmp_path):
    year = FiscalYearFactory(year=2566)
    MeasureFactory(indicator=IndicatorFactory(fiscal_year=year, number=10), order=1)
    run("import_oit_items", str(DATA / "ita-2565-oit-items.csv"), "--year", "2565")
    with pytest.raises(CommandError, match="line 2: item O42 is not among fiscal year 2566's OIT items"):
        run("import_measure_items", write(tmp_path, "measure,items\n10.1,O42\n"), "--year", "2566")
    assert not MeasureItem.objects.exists()
