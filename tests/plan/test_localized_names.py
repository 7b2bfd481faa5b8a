"""Agency and indicator names follow the page's language: English when asked for and present, else Thai."""

import pytest
from django.utils import translation

from tests.factories import AgencyFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def test_agency_name_is_thai_by_default_and_english_on_english_pages():
    agency = AgencyFactory(name_th="สำนักงานจังหวัดสตูล", name_en="Satun Provincial Office")
    assert str(agency) == "สำนักงานจังหวัดสตูล"
    with translation.override("en"):
        assert str(agency) == "Satun Provincial Office"


def test_agency_without_an_english_name_stays_thai_on_english_pages():
    agency = AgencyFactory(name_th="สำนักงานจังหวัดสตูล", name_en="")
    with translation.override("en"):
        assert agency.name == "สำนักงานจังหวัดสตูล"


def test_indicator_name_follows_the_language():
    indicator = IndicatorFactory(number=1, name_th="การปฏิบัติหน้าที่", name_en="Performance of duty")
    assert str(indicator) == "1. การปฏิบัติหน้าที่"
    with translation.override("en"):
        assert str(indicator) == "1. Performance of duty"


def test_english_dashboard_shows_english_agency_names(client):
    from tests.factories import FiscalYearFactory, MeasureFactory, make_reviewer

    fiscal_year = FiscalYearFactory(year=2565)
    fiscal_year.is_active = True
    fiscal_year.save()
    MeasureFactory(indicator__fiscal_year=fiscal_year, indicator__number=1)
    AgencyFactory(code="PROV", name_th="สำนักงานจังหวัดสตูล", name_en="Satun Provincial Office")
    client.force_login(make_reviewer(username="reviewer"))
    client.post("/i18n/setlang/", {"language": "en"})
    html = client.get("/dashboard/").content.decode()
    assert "Satun Provincial Office" in html


def test_portal_name_is_english_on_english_pages(client, settings):
    settings.PORTAL_NAME = "ระบบทดสอบ"
    settings.PORTAL_NAME_EN = "Test portal"
    assert "<title>ระบบทดสอบ" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en"})
    assert "<title>Test portal" in client.get("/").content.decode()
