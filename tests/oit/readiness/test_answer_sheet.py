"""The answer sheet: each agency's items as XLSX and CSV in ITAS's order (code, มี/ไม่มี, URL, explanation)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from oit.models import OITItem
from oit.readiness.models import ChecklistAnswer

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(year_2565, agency):
    ChecklistAnswer.objects.create(
        agency=agency,
        item=OITItem.objects.get(code="O1"),
        answer="yes",
        url="https://prov.go.th/o1",
        explanation="โครงสร้าง",
    )
    ChecklistAnswer.objects.create(
        agency=agency, item=OITItem.objects.get(code="O2"), answer="no", explanation="ยังไม่มี"
    )


def test_the_csv_lists_every_item_in_itas_order(client, answered, reporter, settings):
    settings.SITE_URL = "https://ita.satun.go.th"
    client.force_login(reporter)
    response = client.get(reverse("oit:answers_csv", args=[2565, "PROV"]))
    assert response["Content-Disposition"] == 'attachment; filename="oit-2565-PROV.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["ข้อ", "มี/ไม่มี", "URL", "คำอธิบาย"]
    assert [r[0] for r in rows[1:]] == [f"O{n}" for n in range(1, 44)]
    assert rows[1] == ["O1", "มี", "https://prov.go.th/o1", "โครงสร้าง"]
    assert rows[2] == ["O2", "ไม่มี", "", "ยังไม่มี"]
    assert rows[42] == ["O42", "มี", "https://ita.satun.go.th/plan/2565/", ""]


def test_the_xlsx_holds_the_same_rows(client, answered, reporter):
    client.force_login(reporter)
    response = client.get(reverse("oit:answers_xlsx", args=[2565, "PROV"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["ข้อ", "มี/ไม่มี", "URL", "คำอธิบาย"]
    assert rows[1] == ["O1", "มี", "https://prov.go.th/o1", "โครงสร้าง"]
    assert len(rows) == 44


def test_another_agency_cannot_download_the_sheet(client, answered, other_reporter):
    client.force_login(other_reporter)
    assert client.get(reverse("oit:answers_csv", args=[2565, "PROV"])).status_code == 404
    assert client.get(reverse("oit:answers_xlsx", args=[2565, "PROV"])).status_code == 404
