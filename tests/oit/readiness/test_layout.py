"""What the checklist, the readiness page and the answer sheet look like where it matters: the matrix's cells are
compact (symbol and colour, the word for screen readers), each agency's missing items are grouped by state, the
checklist's save button stays in view, and the printed answer sheet is one page wide with its agency on it."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from oit.models import OITItem
from oit.readiness import checklist
from oit.readiness.models import ChecklistAnswer

pytestmark = pytest.mark.django_db


def test_matrix_cells_show_a_symbol_and_give_the_word_to_screen_readers(client, year_2565, agency, reviewer):
    ChecklistAnswer.objects.create(agency=agency, item=OITItem.objects.get(code="O2"), answer="no")
    client.force_login(reviewer)
    page = client.get(reverse("oit:readiness", args=[2565])).content.decode()
    matrix = page[page.index('class="table table-sm oit-matrix') : page.index("</table>")]
    cells = re.findall(r'<span class="oit-cell oit-(\w+)">(.*?)</span></td>', matrix)
    assert len(cells) == 43
    assert cells[1] == ("no", '<span aria-hidden="true">✗</span><span class="visually-hidden">ไม่มี</span>')
    assert cells[0][0] == "missing" and "ยังไม่ตอบ" in cells[0][1]
    assert cells[42][0] == "ready"  # O43, prefilled with the agency's public page
    # the legend above the matrix still gives every word
    legend = page[page.index('id="matrix-legend"') :][:600]
    assert all(word in legend for word in ("พร้อม", "ลิงก์เสีย", "ไม่มี", "ยังไม่ตอบ"))


def test_missing_items_are_grouped_by_state_each_named_once(client, year_2565, agency, reviewer):
    ChecklistAnswer.objects.create(agency=agency, item=OITItem.objects.get(code="O2"), answer="no")
    (row,) = checklist.readiness(year_2565, site_url="https://ita.example").agencies
    groups = [(state, [cell.item.code for cell in cells]) for state, cells in row.missing_by_state]
    assert [state for state, _codes in groups] == ["no", "missing"]
    assert groups[0][1] == ["O2"]
    assert len(groups[1][1]) == 38  # 43 items, 4 prefilled, O2 answered ไม่มี
    client.force_login(reviewer)
    page = client.get(reverse("oit:readiness", args=[2565])).content.decode()
    section = page[page.index('id="missing-heading"') : page.index('id="items-heading"')]
    assert section.count("ยังไม่ตอบ") == 1
    assert f'href="/oit/2565/agency/{agency.code}/#item-O1">O1</a>' in section


def test_the_checklists_save_button_stays_in_view(client, year_2565, reporter):
    client.force_login(reporter)
    page = client.get(reverse("oit:checklist", args=[2565, "PROV"])).content.decode()
    assert '<div class="oit-save"><button type="submit"' in page


def test_the_printed_answer_sheet_is_one_page_wide_with_its_agency_and_year(
    client, year_2565, reporter, agency
):
    client.force_login(reporter)
    response = client.get(reverse("oit:answers_xlsx", args=[2565, "PROV"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1, the default, is left out of the file
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1"
    assert f"แบบคำตอบ OIT ปีงบประมาณ 2565: {agency.name}" in sheet.oddHeader.center.text
