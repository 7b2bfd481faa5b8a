"""Open data: CSV (BOM by default) and JSON, filters, conditional requests, and a valid Frictionless package."""

import json

import pytest
from frictionless import Package, validate

from tests.factories import AgencyFactory
from tests.transparency.surfaces import fetch

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_results_csv_starts_with_a_bom_so_excel_reads_thai(client, flow):
    flow.published("ผลที่อนุมัติ")
    response = client.get("/open-data/2565/results.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    body = _body(response)
    assert body.startswith(b"\xef\xbb\xbffiscal_year,quarter,")
    assert "ผลที่อนุมัติ".encode() in body


def test_bom_0_leaves_the_bom_out(client, flow):
    flow.published("ผล")
    assert _body(client.get("/open-data/2565/results.csv?bom=0")).startswith(b"fiscal_year,")


def test_results_json_holds_one_object_per_measure(client, flow):
    flow.published("ผลที่อนุมัติ")
    rows = json.loads(_body(client.get("/open-data/2565/results.json")))
    assert [(r["measure_number"], r["agency_code"], r["result"]) for r in rows] == [
        ("1.1", "AGA", "ผลที่อนุมัติ"),
        ("9.1", "AGA", "ผลที่อนุมัติ"),
    ]
    assert rows[0]["being_revised"] is False
    assert rows[0]["percent"] == 50


def test_results_filter_by_quarter(client, flow):
    flow.published("ผลไตรมาสหนึ่ง", quarter=1)
    flow.published("ผลไตรมาสสอง", quarter=2)
    rows = json.loads(_body(client.get("/open-data/2565/results.json?quarter=2")))
    assert {r["quarter"] for r in rows} == {2}


def test_results_filter_by_agency(client, flow, agency):
    flow.published("ผล")
    AgencyFactory(code="AGB")
    assert len(json.loads(_body(client.get("/open-data/2565/results.json?agency=AGA")))) == 2
    assert json.loads(_body(client.get("/open-data/2565/results.json?agency=AGB"))) == []


def test_a_bad_quarter_is_refused_in_thai(client, flow):
    response = client.get("/open-data/2565/results.csv?quarter=5")
    assert response.status_code == 400
    assert "ไตรมาส" in response.content.decode()


def test_an_unknown_agency_filter_is_404(client, flow):
    assert client.get("/open-data/2565/results.csv?agency=NOPE").status_code == 404


def test_plan_csv_has_one_row_per_step_and_a_row_for_a_measure_without_steps(client, flow):
    text = _body(client.get("/open-data/2565/plan.csv?bom=0")).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("fiscal_year,indicator_number,indicator_group,")
    assert len(lines) == 3
    assert "ขั้นตอนแรก" in lines[1]


def test_agencies_json(client, agency):
    rows = json.loads(_body(client.get("/open-data/agencies.json")))
    assert rows == [
        {
            "agency_code": "AGA",
            "agency_name": "สำนักงานเอ จังหวัดสตูล",
            "agency_name_en": "Office A",
            "website": "",
            "is_active": True,
            "is_lead": False,
        }
    ]


def test_results_answer_a_matching_etag_with_304(client, flow):
    flow.published("ผล")
    first = client.get("/open-data/2565/results.csv")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/open-data/2565/results.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_new_approval_changes_the_etag(client, flow):
    flow.published("ผล", quarter=1)
    before = client.get("/open-data/2565/results.csv")["ETag"]
    flow.published("ผล", quarter=2)
    assert client.get("/open-data/2565/results.csv")["ETag"] != before


def test_an_agency_rename_changes_the_etag(client, flow, agency):
    flow.published("ผล")
    before = client.get("/open-data/2565/results.csv")["ETag"]
    agency.name_th = "ชื่อใหม่"
    agency.save()
    assert client.get("/open-data/2565/results.csv")["ETag"] != before


def test_filters_have_their_own_etag(client, flow):
    flow.published("ผล")
    assert (
        client.get("/open-data/2565/results.csv")["ETag"]
        != client.get("/open-data/2565/results.csv?bom=0")["ETag"]
    )


def test_open_data_is_publicly_cacheable(client, flow):
    response = client.get("/open-data/2565/results.csv")
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]


def test_the_index_explains_each_file_in_thai_and_english(client, flow):
    page = fetch("/open-data/")
    assert "ผลการดำเนินการรายไตรมาสที่อนุมัติแล้ว" in page
    assert "approved quarterly results" in page
    assert "/open-data/2565/results.csv" in page
    assert "/open-data/agencies.json" in page


def test_the_datapackage_carries_the_licence_the_administrator_chose(client, flow):
    from transparency.models import OpenDataSettings

    OpenDataSettings.objects.create(licence="CC-BY-4.0")
    package = json.loads(client.get("/open-data/datapackage.json").content)
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]


def test_the_default_licence_is_open_data_common(client, flow):
    package = json.loads(client.get("/open-data/datapackage.json").content)
    assert package["licenses"][0]["title"] == "Open Data Common"


def test_every_field_is_described_in_thai_and_english(client, flow):
    package = json.loads(client.get("/open-data/datapackage.json").content)
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["description"] and field["description_th"], (resource["name"], field["name"])


def test_the_package_and_every_csv_validate_with_frictionless(client, flow, tmp_path):
    report = flow.write(flow.report(), 'ผล, ที่มี "เครื่องหมาย"\nหลายบรรทัด')
    flow.add_link(report, "https://www.example.go.th/a")
    flow.approve(flow.submit(report))
    flow.reopen(flow.published("ผลไตรมาสสอง", quarter=2), "แก้ไข")
    descriptor = json.loads(client.get("/open-data/datapackage.json").content)
    for resource in descriptor["resources"]:
        path = resource["path"].split("://", 1)[1].split("/", 1)[1]
        name = f"{resource['name']}.csv"
        (tmp_path / name).write_bytes(_body(client.get("/" + path)))
        resource["path"] = name
    assert {r["name"] for r in descriptor["resources"]} == {"results-2565", "plan-2565", "agencies"}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = Package(str(tmp_path / "datapackage.json")).get_resource("results-2565").read_rows()
    assert len(rows) == 4
    assert any(row["being_revised"] for row in rows)
