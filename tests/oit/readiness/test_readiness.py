"""The province's OIT readiness: missing items per agency, the matrix, agencies ready, the predicted completeness."""

from decimal import Decimal

import pytest
from django.urls import reverse

from oit.models import OITItem
from oit.readiness import checklist
from oit.readiness.models import ChecklistAnswer
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

URL = reverse("oit:readiness", args=[2565])


def answer_all(agency, *, but=()):
    """Answer every item มี with a URL on the agency's site, except the codes in `but`."""
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(
            agency=agency, item=item, answer="yes", url=f"https://{agency.code.lower()}.go.th/{item.code}"
        )
        for item in OITItem.objects.filter(fiscal_year__year=2565).exclude(code__in=but)
    )


def test_only_reviewers_see_the_readiness(client, year_2565, reporter):
    client.force_login(reporter)
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, year_2565):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_an_agency_with_every_item_answered_is_ready(year_2565, agency):
    answer_all(agency)
    result = checklist.readiness(year_2565, site_url="https://ita.example")
    (row,) = result.agencies
    assert (row.is_ready, row.predicted, row.band.grade, result.ready_count) == (
        True,
        Decimal("100.0"),
        "AA",
        1,
    )


def test_missing_items_are_listed_per_agency(year_2565, agency):
    answer_all(agency, but=["O5", "O9"])
    ChecklistAnswer.objects.create(agency=agency, item=OITItem.objects.get(code="O9"), answer="no")
    (row,) = checklist.readiness(year_2565, site_url="https://ita.example").agencies
    assert [(cell.item.code, cell.state) for cell in row.missing] == [("O5", "missing"), ("O9", "no")]
    assert not row.is_ready


def test_the_prediction_is_the_share_of_items_ready_in_the_years_grade_bands(year_2565, agency):
    answer_all(agency, but=[f"O{n}" for n in range(1, 8)])  # 36 of 43 answered
    (row,) = checklist.readiness(year_2565, site_url="https://ita.example").agencies
    assert row.predicted == Decimal("83.7")  # 36/43
    assert row.band.grade == "B"  # 75 ≤ 83.7 < 85 in FY2565's bands


def test_prefilled_portal_items_count_as_answered(year_2565, agency):
    answer_all(agency, but=["O42"])
    (row,) = checklist.readiness(year_2565, site_url="https://ita.example").agencies
    assert row.is_ready


def test_each_item_is_counted_across_agencies(year_2565, agency):
    answer_all(agency)
    AgencyFactory(code="EMPTY")
    per_item = dict(checklist.readiness(year_2565, site_url="https://ita.example").per_item())
    o1 = OITItem.objects.get(code="O1")
    assert (per_item[o1]["ready"], per_item[o1]["missing"]) == (1, 1)


def test_the_page_says_it_is_a_prediction_with_colour_and_text(client, year_2565, agency, reviewer):
    answer_all(agency, but=["O5"])
    client.force_login(reviewer)
    page = client.get(URL).content.decode()
    assert "การคาดการณ์" in page
    assert 'class="oit-cell oit-missing">– ยังไม่ตอบ' in page
    assert 'class="oit-cell oit-ready">✓ พร้อม' in page


@pytest.mark.parametrize("agencies", [3, 12])
def test_the_readiness_page_runs_the_same_queries_at_any_size(
    client, year_2565, reviewer, agencies, django_assert_num_queries
):
    for n in range(agencies):
        answer_all(AgencyFactory(code=f"AG{n}"), but=["O1"])
    client.force_login(reviewer)
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200


QUERIES = (
    13  # session, user, year, items, answers, bands, broken links, window, years, the header's notices, …
)
