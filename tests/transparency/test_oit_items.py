"""Each public agency page, and the agency home's links for ITAS, name the OIT item they answer that year,
from the one mapping the OIT checklist prefills from (oit.readiness PortalPage, data per year)."""

import pytest
from django.conf import settings

from oit.catalogue_import import load_year
from oit.readiness.data_import import load_portal_pages
from oit.readiness.models import PortalPage
from tests.factories import FiscalYearFactory, IndicatorFactory, MeasureFactory
from tests.transparency.surfaces import fetch
from transparency import oit_items

pytestmark = pytest.mark.django_db

DATA = settings.BASE_DIR / "data"
O40 = "O40 (รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริตประจำปี รอบ 6 เดือน)"
O41 = "O41 (รายงานผลการดำเนินการป้องกันการทุจริตประจำปี)"
O42 = "O42 (มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน)"
O43 = "O43 (การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน)"


def load_catalogue(year, files_of=2565, pages=True):
    load_year(DATA, year=year, files_of=files_of)
    if pages:
        load_portal_pages((DATA / "ita-2565-portal-pages.csv").read_bytes(), year=year)


@pytest.fixture
def mapped(fiscal_year, measures):
    load_catalogue(2565)
    return fiscal_year


@pytest.mark.parametrize(
    ("suffix", "item", "others"), [("", O43, (O40, O41)), ("r6/", O40, (O41, O43)), ("r12/", O41, (O40, O43))]
)
def test_each_agency_page_names_the_item_it_answers(client, mapped, agency, suffix, item, others):
    page = fetch(f"/public/2565/agency/AGA/{suffix}")
    assert f"ปีงบประมาณ พ.ศ. 2565 หน้านี้ตอบข้อ OIT {item}" in page
    assert not any(other in page for other in others)


def test_the_pdf_names_the_item_too(mapped, agency, monkeypatch):
    from satun_ita import pdf

    seen = {}

    def render(template, context, request=None):
        seen.update(context)
        return b"%PDF-1.4"

    monkeypatch.setattr(pdf, "render_pdf", render)
    fetch("/public/2565/agency/AGA/pdf/")
    assert [item.code for item in seen["oit_items"]] == ["O43"]


def test_a_year_without_a_mapping_names_no_item(client, fiscal_year, measures, agency):
    load_catalogue(2565, pages=False)
    for suffix in ("", "r6/", "r12/"):
        page = fetch(f"/public/2565/agency/AGA/{suffix}")
        assert "หน้านี้ตอบข้อ OIT" not in page
        assert "O4" not in page


def test_the_agency_home_names_each_links_item(client, reporter, mapped):
    client.force_login(reporter)
    page = client.get("/my/").content.decode()
    box = page[page.index('class="card mb-4 itas-link"') :]
    box = box[: box.index("</section>")]
    for kind, item in (("year", O43), ("r6", O40), ("r12", O41), ("plan", O42)):
        assert f'id="itas-{kind}-item"' in box
        assert item in box
    assert "ตอบข้อ OIT O43" in box
    # The plan answers O42: its public address is offered with the agency's own pages.
    assert 'value="http://testserver/plan/2565/"' in box


def test_the_agency_home_names_no_item_without_a_mapping(client, reporter, fiscal_year, measures):
    client.force_login(reporter)
    page = client.get("/my/").content.decode()
    assert 'value="http://testserver/public/2565/agency/AGA/"' in page
    assert "ตอบข้อ OIT" not in page
    assert 'id="itas-plan"' not in page


def test_a_year_that_borrows_the_catalogue_answers_with_the_items_lent_to_it(mapped, agency):
    """The demo's current year is lent FY 2565's catalogue: its items are its own rows, and so is its mapping."""
    borrower = FiscalYearFactory(year=2570)
    MeasureFactory(indicator=IndicatorFactory(fiscal_year=borrower, number=1))
    load_catalogue(2570, pages=False)
    assert oit_items.items_for(borrower) == {}  # 2565's mapping is not 2570's
    load_portal_pages((DATA / "ita-2565-portal-pages.csv").read_bytes(), year=2570)
    found = oit_items.items_for(borrower)
    assert {kind: [i.code for i in items] for kind, items in found.items()} == {
        "r6": ["O40"],
        "r12": ["O41"],
        "plan": ["O42"],
        "year": ["O43"],
    }
    assert {item.fiscal_year_id for items in found.values() for item in items} == {borrower.pk}
    assert "พ.ศ. 2570 หน้านี้ตอบข้อ OIT " + O43 in fetch("/public/2570/agency/AGA/")


def test_two_items_answered_by_one_page_are_both_named(mapped, agency):
    PortalPage.objects.filter(item__code="O41", item__fiscal_year=mapped).update(page="year")
    page = fetch("/public/2565/agency/AGA/")
    assert O41 in page and O43 in page
    assert [i.code for i in oit_items.items_for_page(mapped, "year")] == ["O41", "O43"]


def test_the_checklist_prefills_from_the_same_mapping(mapped, agency):
    from oit.readiness import checklist

    rows = {row.item.code: row for row in checklist.checklist(agency, mapped, site_url="https://ita.example")}
    for kind, items in oit_items.items_for(mapped).items():
        for item in items:
            assert rows[item.code].prefilled, (kind, item.code)
    assert rows["O43"].url == "https://ita.example/public/2565/agency/AGA/"
