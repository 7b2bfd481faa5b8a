"""The public plan page /plan/ and /plan/<year>/: the official table, its cards, its year picker, its 404."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oit.models import ITAIndicator, MeasureItem, OITItem
from tests.factories import FiscalYearFactory
from tests.plan.data import INDICATOR_NAMES, OFFICIAL_TITLE, make_plan

pytestmark = pytest.mark.django_db


def cards(html: str) -> str:
    """The phone layout's part of the page."""
    return html[html.index('class="plan-cards') :]


def table(html: str) -> str:
    return html[html.index("<table") : html.index("</table>")]


def test_plan_page_lists_the_ten_indicators_in_thai(client):
    make_plan()
    response = client.get(reverse("plan"))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [table(html).index(name) for name in INDICATOR_NAMES]
    assert positions == sorted(positions), "indicators appear in their plan order"
    for name in INDICATOR_NAMES:
        assert name in cards(html)


def test_plan_page_shows_each_indicators_ita_group(client):
    make_plan()
    html = table(client.get(reverse("plan")).content.decode())
    groups = re.findall(r'class="badge plan-group plan-group-\w+"[^>]*>(\w+)<', html)
    assert groups == ["IIT"] * 5 + ["EIT"] * 3 + ["OIT"] * 2


def test_plan_title_is_the_fiscal_years_title_without_its_section_number(client):
    make_plan(title=OFFICIAL_TITLE)
    html = client.get(reverse("plan")).content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert h1.strip() == OFFICIAL_TITLE.removeprefix("๓. ")


def test_plan_title_without_a_stored_title_names_the_buddhist_era_year(client):
    make_plan(year=2566, title="")
    html = client.get(reverse("plan_year", args=[2566])).content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert "ประจำปีงบประมาณ พ.ศ. 2566" in h1
    assert "พ.ศ. 2566" in re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_measure_parts_are_an_ordered_list_instead_of_the_raw_text(client):
    make_plan()
    html = table(client.get(reverse("plan")).content.decode())
    assert '<ol class="plan-parts"><li>ส่วนแรก 3.1</li><li>ส่วนที่สอง 3.1</li></ol>' in html
    assert "๑. ส่วนแรก 3.1" not in html


def test_a_measure_without_parts_shows_its_text(client):
    fiscal_year = make_plan()
    measure = fiscal_year.indicators.get(number=1).measures.get()
    measure.parts = []
    measure.text = "จัดประชุมชี้แจงฯ"
    measure.save()
    html = table(client.get(reverse("plan")).content.decode())
    assert "<p>จัดประชุมชี้แจงฯ</p>" in html


def test_steps_are_ordered_with_their_sub_points_nested_and_unnumbered_text(client):
    make_plan()
    html = table(client.get(reverse("plan")).content.decode())
    step = re.search(r'<ol class="plan-steps">(.*?)</ol>\s*</td>', html, re.S).group(1)
    assert step.index("ขั้นตอน 1.1.1") < step.index("ขั้นตอน 1.1.2")
    assert '<ol class="plan-subpoints"><li>ข้อย่อยแรก 1.1.1</li><li>ข้อย่อยที่สอง 1.1.1</li></ol>' in step, (
        "sub-points nest inside their step, the document's '(๑)' left to the list numbering"
    )


def test_a_single_step_is_not_numbered(client):
    make_plan(steps_per_measure=1)
    html = table(client.get(reverse("plan")).content.decode())
    assert "plan-steps" not in html
    assert '<div class="plan-step">' in html


def test_repeated_responsible_text_shows_merged_with_the_row_above(client):
    fiscal_year = make_plan()
    fiscal_year.indicators.get(number=4).measures.update(monitoring="รายงานผลเป็นการเฉพาะ")
    html = table(client.get(reverse("plan")).content.decode())
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)[1:]  # skip the header row
    # Every row keeps its text (for print and screen readers); all but the first are marked continued.
    assert all("ส่วนราชการประจำจังหวัดสตูล ทั้ง ๓๓ ส่วน" in row for row in rows)
    monitoring_cells = [re.findall(r"<td[^>]*>", row)[-1] for row in rows]
    continued = ["plan-continued" in cell for cell in monitoring_cells]
    assert continued == [False, True, True, False, False, True, True, True, True, True]


def test_phone_layout_labels_every_field_of_a_measure(client):
    make_plan()
    html = cards(client.get(reverse("plan")).content.decode())
    first_card = html[: html.index("</section>")]
    assert re.findall(r"<dt>(.*?)</dt>", first_card) == [
        "มาตรการ",
        "ขั้นตอน/วิธีการปฏิบัติ",
        "ผู้รับผิดชอบ",
        "แนวทางกำกับติดตามและการรายงานผลการดำเนินการ",
    ]


def test_table_shows_on_wide_screens_and_paper_cards_on_phones(client):
    make_plan()
    html = client.get(reverse("plan")).content.decode()
    assert re.search(r'<table class="[^"]*\bd-none d-lg-table d-print-table\b', html)
    assert re.search(r'<div class="plan-cards d-lg-none d-print-none"', html)


def test_several_measures_under_one_indicator_show_their_codes(client):
    make_plan(measures_per_indicator=2)
    html = table(client.get(reverse("plan")).content.decode())
    assert '<span class="plan-code">7.2</span>' in html


def test_results_section_is_shown_below_the_table_as_a_list(client):
    make_plan(results_text="- ประกาศเจตจำนงสุจริต\n - ไม่รับของขวัญ\n- จัดอบรม ITA")
    html = client.get(reverse("plan")).content.decode()
    results = html[html.index('id="plan-results-heading"') :]
    assert results.index("ผลการดำเนินการ") < results.index("ประกาศเจตจำนงสุจริต")
    assert "<ul><li>ประกาศเจตจำนงสุจริต<ul><li>ไม่รับของขวัญ</li></ul></li><li>จัดอบรม ITA</li></ul>" in results
    assert html.index("</table>") < html.index('id="plan-results-heading"')


def test_no_results_section_when_the_year_has_none(client):
    make_plan(results_text="")
    assert "plan-results-heading" not in client.get(reverse("plan")).content.decode()


def test_plan_defaults_to_the_active_fiscal_year(client):
    make_plan(year=2565, is_active=True)
    make_plan(year=2566)
    response = client.get(reverse("plan"))
    assert response.context["fiscal_year"].year == 2565


def test_plan_falls_back_to_the_newest_year_when_the_active_one_has_no_plan(client):
    make_plan(year=2565)
    make_plan(year=2566)
    FiscalYearFactory(year=2567, is_active=True)
    response = client.get(reverse("plan"))
    assert response.context["fiscal_year"].year == 2566


def test_year_picker_links_every_year_with_a_plan(client):
    make_plan(year=2565)
    make_plan(year=2566)
    FiscalYearFactory(year=2567)  # no plan: not offered
    html = client.get(reverse("plan_year", args=[2565])).content.decode()
    picker = html[html.index('aria-labelledby="plan-years-label"') :]
    picker = picker[: picker.index("</nav>")]
    assert re.findall(r'href="/plan/(\d+)/"', picker) == ["2565", "2566"]
    assert re.search(r'href="/plan/2565/" aria-current="page"', picker)


def test_no_year_picker_with_a_single_plan(client):
    make_plan()
    assert "plan-years-label" not in client.get(reverse("plan")).content.decode()


def test_plan_page_offers_a_print_button(client):
    make_plan()
    html = client.get(reverse("plan")).content.decode()
    assert re.search(r"<button[^>]*data-print[^>]*>พิมพ์</button>", html)


def test_plan_without_any_plan_is_a_thai_404(client):
    response = client.get(reverse("plan"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "ไม่พบหน้าที่ต้องการ" in html
    assert 'href="/"' in html


def test_plan_of_an_unknown_year_is_404(client):
    make_plan(year=2565)
    assert client.get(reverse("plan_year", args=[2570])).status_code == 404


def test_plan_of_a_year_without_indicators_is_404(client):
    make_plan(year=2565)
    FiscalYearFactory(year=2566)
    assert client.get(reverse("plan_year", args=[2566])).status_code == 404


def test_plan_page_refuses_post(client):
    make_plan()
    assert client.post(reverse("plan")).status_code == 405


@pytest.mark.parametrize("measures_per_indicator", [1, 3])
def test_plan_page_runs_a_pinned_number_of_queries(client, django_assert_num_queries, measures_per_indicator):
    make_plan(measures_per_indicator=measures_per_indicator, steps_per_measure=3)
    # Years, the year, indicators, measures, steps, the OIT items of the measures (one query), the active year.
    with django_assert_num_queries(7):
        assert client.get(reverse("plan")).status_code == 200


def test_plan_page_query_count_does_not_grow_with_the_plan(client):
    make_plan(year=2565, measures_per_indicator=1)
    make_plan(year=2566, measures_per_indicator=3, steps_per_measure=4)
    counts = []
    for year in (2565, 2566):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("plan_year", args=[year]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_home_page_links_to_the_plan(client):
    make_plan()
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("plan")}"' in html
    assert "ปีงบประมาณ พ.ศ. 2565" in html


def test_language_switcher_makes_the_plan_page_english(client):
    make_plan()
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("plan")})
    assert response.status_code == 302
    html = client.get(reverse("plan")).content.decode()
    assert '<html lang="en">' in html
    assert '<th scope="col">Indicator</th>' in html
    assert "Steps / method of implementation" in html
    assert "Indicator 1" in html, "indicators show their English name"


def test_plan_page_is_thai_whatever_the_browser_asks_for(client):
    make_plan()
    html = client.get(reverse("plan"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in html
    assert '<th scope="col">ตัวชี้วัด</th>' in html


def test_language_switcher_posts_back_to_the_same_page(client):
    make_plan()
    html = client.get(reverse("plan_year", args=[2565])).content.decode()
    form = html[html.index('class="language-switcher"') :]
    form = form[: form.index("</form>")]
    assert 'action="/i18n/setlang/"' in form
    assert 'name="next" type="hidden" value="/plan/2565/"' in form
    assert re.findall(r'name="language" value="(\w+)"', form) == ["th", "en"]


def test_the_oit_items_a_measure_answers_are_shown_beside_it(client):
    fiscal_year = make_plan()
    ita = ITAIndicator.objects.create(
        fiscal_year=fiscal_year, number=10, group="OIT", name_th="การป้องกันการทุจริต"
    )
    o42 = OITItem.objects.create(
        fiscal_year=fiscal_year, code="O42", order=42, indicator=ita, name_th="มาตรการส่งเสริมคุณธรรม"
    )
    o43 = OITItem.objects.create(
        fiscal_year=fiscal_year, code="O43", order=43, indicator=ita, name_th="การดำเนินการ"
    )
    measure = fiscal_year.indicators.get(number=3).measures.get()
    MeasureItem.objects.create(measure=measure, item=o43)
    MeasureItem.objects.create(measure=measure, item=o42)
    html = client.get(reverse("plan")).content.decode()
    assert (
        html.count('<abbr title="มาตรการส่งเสริมคุณธรรม" class="plan-oit-item">O42</abbr>, <abbr') == 2
    )  # table and card
    assert "ตอบข้อ ITA" in html


def test_a_measure_without_oit_items_shows_none(client):
    make_plan()
    assert "plan-oit" not in client.get(reverse("plan")).content.decode()
