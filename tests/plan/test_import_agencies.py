"""The agencies import: data/agencies.csv loaded and upserted by code, malformed files refused whole."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.models import Agency
from tests.factories import AgencyFactory, QuarterlyReportFactory

AGENCIES_FILE = settings.BASE_DIR / "data" / "agencies.csv"


def agencies_text():
    return AGENCIES_FILE.read_text(encoding="utf-8")


def run_import(path):
    out = io.StringIO()
    call_command("import_agencies", str(path), stdout=out)
    return out.getvalue()


def write_variant(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "agencies.csv"
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def replace_once(text, old, new):
    assert text.count(old) == 1, old
    return text.replace(old, new)


def snapshot():
    return list(
        Agency.objects.order_by("pk").values_list(
            "pk", "code", "name_th", "name_en", "is_lead", "is_active", "order", "website", "email"
        )
    )


@pytest.fixture
def imported(db):
    return run_import(AGENCIES_FILE)


def test_import_loads_the_33_agencies_with_one_lead(imported):
    assert Agency.objects.count() == 33
    lead = Agency.objects.get(is_lead=True)
    assert (lead.code, lead.name_th, lead.name_en) == ("PROV", "สำนักงานจังหวัดสตูล", "Satun Provincial Office")
    assert Agency.objects.active().count() == 33


def test_import_orders_agencies_as_in_the_file(imported):
    codes = [line.split(",")[0] for line in agencies_text().splitlines()[1:]]
    assert list(Agency.objects.values_list("code", flat=True)) == codes
    assert list(Agency.objects.values_list("order", flat=True)) == list(range(1, 34))
    assert Agency.objects.get(code="CDD").name_th == "สำนักงานพัฒนาชุมชนจังหวัดสตูล"


def test_import_reports_each_created_agency(imported):
    lines = imported.splitlines()
    assert len(lines) == 33
    assert lines[0] == "created agency PROV สำนักงานจังหวัดสตูล"


def test_second_import_changes_nothing_and_says_so(imported):
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        output = run_import(AGENCIES_FILE)
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert output.strip() == "agencies: no changes"
    assert snapshot() == before


def test_edited_file_updates_in_place(imported, tmp_path):
    agency = Agency.objects.get(code="NSO")
    report = QuarterlyReportFactory(agency=agency)
    text = replace_once(
        agencies_text(), "สำนักงานสถิติจังหวัดสตูล,Satun Provincial", "สำนักงานสถิติจังหวัดสตูล (ใหม่),Satun Provincial"
    )

    output = run_import(write_variant(tmp_path, text))

    assert output.splitlines() == ["updated agency NSO: name_th"]
    agency.refresh_from_db()
    assert agency.name_th == "สำนักงานสถิติจังหวัดสตูล (ใหม่)"
    report.refresh_from_db()
    assert report.agency_id == agency.pk


def test_agencies_missing_from_the_file_are_kept_and_listed(imported, tmp_path):
    AgencyFactory(code="OLD", name_th="สำนักงานเดิม", order=99)
    text = "\n".join(line for line in agencies_text().splitlines() if not line.startswith("DOP,")) + "\n"

    output = run_import(write_variant(tmp_path, text))

    assert "not in the file, kept: DOP สำนักงานคุมประพฤติจังหวัดสตูล" in output
    assert "not in the file, kept: OLD สำนักงานเดิม" in output
    assert Agency.objects.filter(code__in=["DOP", "OLD"]).count() == 2


def test_a_new_lead_replaces_the_old_one(imported, tmp_path):
    text = replace_once(agencies_text(), "Satun Provincial Office,1", "Satun Provincial Office,0")
    text = replace_once(
        text, "Satun Provincial Administration Office,0", "Satun Provincial Administration Office,1"
    )

    output = run_import(write_variant(tmp_path, text))

    assert Agency.objects.get(is_lead=True).code == "DOPA"
    assert output.splitlines() == ["updated agency PROV: is_lead", "updated agency DOPA: is_lead"]


def test_optional_columns_are_written_when_present(db, tmp_path):
    text = "code,name_th,name_en,is_lead,website,is_active\nPROV,สำนักงานจังหวัดสตูล,Satun,1,https://www.satun.go.th,1\nX,ส่วนราชการ X,,0,,0\n"
    run_import(write_variant(tmp_path, text))
    assert Agency.objects.get(code="PROV").website == "https://www.satun.go.th"
    assert Agency.objects.get(code="X").is_active is False


MALFORMED = {
    "bad header": (lambda t: t.replace("code,name_th", "kode,name_th", 1), 1, "missing column(s) code"),
    "header missing a column": (lambda t: t.replace(",is_lead\n", "\n", 1), 1, "missing column(s) is_lead"),
    "unknown column": (lambda t: t.replace(",is_lead\n", ",is_lead,colour\n", 1), 1, "unknown column"),
    "row missing a column": (
        lambda t: replace_once(t, "Satun Provincial Land Office,0", "0"),
        5,
        "3 column(s); expected 4",
    ),
    "duplicate code": (
        lambda t: replace_once(t, "DOF,", "DLD,"),
        13,
        "code DLD is repeated (first on line 12)",
    ),
    "two leads": (
        lambda t: replace_once(t, "Satun Provincial Culture Office,0", "Satun Provincial Culture Office,1"),
        26,
        "second lead agency (the first is on line 2)",
    ),
    "no lead": (
        lambda t: replace_once(t, "Satun Provincial Office,1", "Satun Provincial Office,0"),
        34,
        "no lead agency",
    ),
    "bad lead flag": (
        lambda t: replace_once(
            t, "Satun Provincial Fisheries Office,0", "Satun Provincial Fisheries Office,maybe"
        ),
        12,
        "is_lead must be 1 or 0",
    ),
    "bad code": (lambda t: replace_once(t, "\nMOJ,", "\nMO J,"), 25, "code 'MO J'"),
    "empty Thai name": (lambda t: replace_once(t, "สำนักงานยุติธรรมจังหวัดสตูล", ""), 25, "name_th is empty"),
    "empty file": (lambda t: "", 1, "empty"),
    "header only": (lambda t: t.splitlines()[0] + "\n", 1, "no agencies"),
}


@pytest.mark.parametrize("case", MALFORMED.keys())
def test_malformed_file_is_refused_naming_the_line_and_writes_nothing(imported, tmp_path, case):
    edit, line, message = MALFORMED[case]
    # Also rename the first agency, so a partial write would show.
    text = edit(replace_once(agencies_text(), "สำนักงานจังหวัดสตูล,", "สำนักงานจังหวัดสตูล (แก้ไข),"))
    before = snapshot()

    with pytest.raises(CommandError) as error:
        run_import(write_variant(tmp_path, text))

    assert f"line {line}:" in str(error.value)
    assert message in str(error.value)
    assert snapshot() == before


def test_file_not_in_utf8_is_refused_naming_the_line(db, tmp_path):
    path = write_variant(tmp_path, agencies_text(), encoding="cp874")
    with pytest.raises(CommandError, match="line 2: the file is not UTF-8"):
        run_import(path)
    assert Agency.objects.count() == 0


def test_a_failure_while_writing_rolls_back_the_whole_file(imported, tmp_path, monkeypatch):
    text = replace_once(agencies_text(), "สำนักงานจังหวัดสตูล,", "สำนักงานจังหวัดสตูล (แก้ไข),")
    text += "NEW,ส่วนราชการใหม่,New Office,0\n"
    before = snapshot()

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Agency.objects, "create", fail)
    with pytest.raises(RuntimeError):
        run_import(write_variant(tmp_path, text))
    assert snapshot() == before
