"""The per-agency pages agencies give ITAS: stable across a rename, redirected after a code change."""

import pytest

from measures.models import AgencyFormerCode
from tests.factories import AgencyFactory
from tests.transparency.surfaces import fetch

pytestmark = pytest.mark.django_db


def test_the_year_page_shows_the_agency_and_every_quarter(flow):
    flow.published("ผลไตรมาสหนึ่ง")
    page = fetch("/public/2565/agency/AGA/")
    assert "สำนักงานเอ จังหวัดสตูล" in page
    assert page.count("ยังไม่มีผลที่อนุมัติ") == 3  # quarters 2-4


def test_the_6_month_page_shows_quarters_1_and_2_only(flow):
    flow.published("ผลไตรมาสหนึ่ง", quarter=1)
    flow.published("ผลไตรมาสสาม", quarter=3)
    page = fetch("/public/2565/agency/AGA/r6/")
    assert "ผลไตรมาสหนึ่ง" in page
    assert "ผลไตรมาสสาม" not in page
    assert "ผลไตรมาสสาม" in fetch("/public/2565/agency/AGA/r12/")


def test_the_address_survives_a_rename(flow, agency):
    flow.published("ผล")
    agency.name_th = "สำนักงานชื่อใหม่ จังหวัดสตูล"
    agency.save()
    assert "สำนักงานชื่อใหม่ จังหวัดสตูล" in fetch("/public/2565/agency/AGA/")


@pytest.mark.parametrize("suffix", ["", "r6/", "r12/"])
def test_a_changed_code_redirects_from_the_old_address(client, flow, agency, suffix):
    flow.published("ผล")
    agency.code = "AGA-NEW"
    agency.save()
    response = client.get(f"/public/2565/agency/AGA/{suffix}")
    assert response.status_code == 301
    assert response["Location"] == f"/public/2565/agency/AGA-NEW/{suffix}"


def test_a_code_change_is_recorded_once(agency):
    agency.code = "AGA2"
    agency.save()
    agency.save()
    assert list(AgencyFormerCode.objects.values_list("code", "agency__code")) == [("AGA", "AGA2")]


def test_changing_back_to_an_old_code_forgets_it_as_former(agency):
    agency.code = "AGA2"
    agency.save()
    agency.code = "AGA"
    agency.save()
    assert list(AgencyFormerCode.objects.values_list("code", flat=True)) == ["AGA2"]


def test_a_new_agency_taking_an_old_code_gets_its_own_page(client, agency, fiscal_year, measures):
    agency.code = "AGA2"
    agency.save()
    AgencyFactory(code="AGA", name_th="หน่วยงานใหม่ที่ใช้รหัสเดิม")
    response = client.get("/public/2565/agency/AGA/")
    assert response.status_code == 200
    assert "หน่วยงานใหม่ที่ใช้รหัสเดิม" in response.content.decode()


def test_an_unknown_agency_is_404(client, fiscal_year, measures):
    assert client.get("/public/2565/agency/NOPE/").status_code == 404


def test_a_year_without_a_plan_is_404(client, agency, fiscal_year, measures):
    assert client.get("/public/2570/agency/AGA/").status_code == 404


def test_the_year_page_answers_without_login(client, fiscal_year, measures, agency):
    response = client.get("/public/")
    assert response.status_code == 200
    assert "สำนักงานเอ จังหวัดสตูล" in response.content.decode()


def test_the_front_page_links_to_the_public_results(client, fiscal_year, measures):
    assert 'href="/public/"' in client.get("/").content.decode()


def test_search_finds_a_thai_word_inside_a_sentence(flow):
    flow.published("ได้จัดการประชุมชี้แจงแนวทางแก่บุคลากรทุกระดับ")
    page = fetch("/public/2565/search/?q=ชี้แจงแนวทาง")
    assert "ได้จัดการประชุมชี้แจงแนวทางแก่บุคลากรทุกระดับ" in page
    assert "พบผลการดำเนินการที่อนุมัติแล้ว 2 รายการ" in page  # both measures carry the text


def test_search_for_a_missing_word_finds_nothing(flow):
    flow.published("ได้จัดการประชุม")
    assert "พบผลการดำเนินการที่อนุมัติแล้ว 0 รายการ" in fetch("/public/2565/search/?q=งบประมาณรายจ่าย")


def test_a_bad_quarter_falls_back_to_the_default(client, flow):
    flow.published("ผล")
    assert client.get("/public/2565/?quarter=9").status_code == 200


def test_post_is_refused(client, fiscal_year, measures, agency):
    assert client.post("/public/2565/agency/AGA/").status_code == 405
