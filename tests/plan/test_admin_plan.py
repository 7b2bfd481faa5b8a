"""The plan in the admin: import a file (upload → preview → confirm), copy a year forward, applicability, dates."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.admin_plan import SESSION_KEY
from measures.models import FiscalYear, Indicator, Measure, ReportingPeriod
from tests.factories import AgencyFactory, FiscalYearFactory, make_admin, make_reporter, make_reviewer
from tests.oit_data import load_indicator_table
from tests.plan.data import make_plan
from tests.plan.test_import_plan_xlsx import plan_workbook

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:measures_fiscalyear_import_plan")


@pytest.fixture
def admin_client(client):
    load_indicator_table(2565)
    client.force_login(make_admin())
    return client


def upload(client, data=None, name="plan-2566.xlsx", **fields):
    data = plan_workbook() if data is None else data
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data), **fields})


def test_the_upload_page_is_linked_from_the_fiscal_years(admin_client):
    page = admin_client.get(reverse("admin:measures_fiscalyear_changelist")).content.decode()
    assert IMPORT_URL in page
    assert admin_client.get(IMPORT_URL).status_code == 200


def test_preview_lists_the_changes_in_thai_and_writes_nothing(admin_client):
    response = upload(admin_client, year="2566")
    page = response.content.decode()
    assert response.status_code == 200
    assert "ยังไม่มีการบันทึกจนกว่าจะยืนยัน" in page
    assert "สร้างมาตรการ: 10" in page
    assert "created measure 10.1" in page
    assert not Indicator.objects.exists()
    assert not FiscalYear.objects.filter(year=2566).exists()


def test_confirm_imports_the_previewed_file_and_discards_it(admin_client):
    upload(admin_client, year="2566")
    stored = admin_client.session[SESSION_KEY]["path"]
    response = admin_client.post(IMPORT_URL, {"confirm": "1"})
    year = FiscalYear.objects.get(year=2566)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:measures_fiscalyear_change", args=[year.pk])
    assert Measure.objects.filter(indicator__fiscal_year=year).count() == 10
    assert year.source_name == "plan-2566.xlsx"
    assert not default_storage.exists(stored)
    assert SESSION_KEY not in admin_client.session


def test_a_malformed_workbook_is_refused_in_thai_naming_the_cell(admin_client):
    def empty_measure(workbook):
        workbook["หน้า ๑-๒"]["C9"] = None

    response = upload(admin_client, plan_workbook(empty_measure))
    page = response.content.decode()
    assert "นำเข้าไม่ได้" in page
    assert "sheet &#x27;หน้า ๑-๒&#x27;, row 9, column C" in page
    assert SESSION_KEY not in admin_client.session
    assert not Indicator.objects.exists()


def test_confirm_without_a_preview_changes_nothing(admin_client):
    response = admin_client.post(IMPORT_URL, {"confirm": "1"})
    assert response.status_code == 302
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("make_user", [make_reviewer, make_reporter])
def test_the_import_page_is_for_administrators_only(client, make_user):
    client.force_login(make_user())
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_import_page_sends_anonymous_visitors_to_the_login(client):
    assert client.get(IMPORT_URL)["Location"].startswith(reverse("admin:login"))


def copy_action(client, year):
    return client.post(
        reverse("admin:measures_fiscalyear_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [year.pk]},
        follow=True,
    )


def test_copy_action_copies_the_plan_to_the_next_year(admin_client):
    year = make_plan(2565)
    page = copy_action(admin_client, year).content.decode()
    assert "คัดลอกแผนของปี 2565 ไปยังปีงบประมาณ 2566 แล้ว" in page
    assert Measure.objects.filter(indicator__fiscal_year__year=2566, copied_from__isnull=False).count() == 10


def test_copy_action_refuses_a_next_year_that_has_a_plan(admin_client):
    year = make_plan(2565)
    make_plan(2566)
    page = copy_action(admin_client, year).content.decode()
    assert "ไม่ได้คัดลอกแผนของปี 2565" in page
    assert Measure.objects.filter(copied_from__isnull=False).count() == 0


def period_form(period, **dates):
    values = {
        "fiscal_year": period.fiscal_year_id,
        "quarter": period.quarter,
        "start_date": "01/10/2564",
        "end_date": "31/12/2564",
        "due_date": "15/01/2565",
    }
    values.update(dates)
    return values


def test_a_period_outside_its_fiscal_year_is_refused(admin_client):
    period = FiscalYearFactory(year=2565).periods.get(quarter=1)
    url = reverse("admin:measures_reportingperiod_change", args=[period.pk])
    response = admin_client.post(url, period_form(period, end_date="31/12/2565"))
    assert response.status_code == 200
    assert "อยู่นอกปีงบประมาณ 2565" in response.content.decode()
    period.refresh_from_db()
    assert period.end_date == datetime.date(2021, 12, 31)


def test_a_due_date_long_after_the_year_is_refused(admin_client):
    period = FiscalYearFactory(year=2565).periods.get(quarter=1)
    url = reverse("admin:measures_reportingperiod_change", args=[period.pk])
    response = admin_client.post(url, period_form(period, due_date="15/01/2566"))
    assert "เกินสามเดือนหลังสิ้นปีงบประมาณ 2565" in response.content.decode()
    assert ReportingPeriod.objects.get(pk=period.pk).due_date == datetime.date(2022, 1, 15)


def test_a_period_inside_its_year_is_saved(admin_client):
    period = FiscalYearFactory(year=2565).periods.get(quarter=1)
    url = reverse("admin:measures_reportingperiod_change", args=[period.pk])
    response = admin_client.post(url, period_form(period, due_date="20/01/2565"))
    assert response.status_code == 302
    assert ReportingPeriod.objects.get(pk=period.pk).due_date == datetime.date(2022, 1, 20)


def measure_form(measure, **values):
    data = {
        "indicator": measure.indicator_id,
        "order": measure.order,
        "text": measure.text,
        "parts": "",
        "responsible": "",
        "monitoring": "",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "item_links-TOTAL_FORMS": "0",
        "item_links-INITIAL_FORMS": "0",
    }
    data.update(values)
    return data


def test_a_measure_can_apply_to_chosen_agencies(admin_client):
    measure = make_plan(2565).indicators.get(number=1).measures.get()
    agency = AgencyFactory()
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    response = admin_client.post(url, measure_form(measure, agencies=[agency.pk]))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.applies_to_all, list(measure.agencies.all())) == (False, [agency])


def test_a_measure_for_chosen_agencies_needs_at_least_one(admin_client):
    measure = make_plan(2565).indicators.get(number=1).measures.get()
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    response = admin_client.post(url, measure_form(measure))
    assert "เลือกส่วนราชการที่มาตรการนี้ใช้" in response.content.decode()
    measure.refresh_from_db()
    assert measure.applies_to_all
