"""An agency's OIT checklist: who sees and edits it, the portal's prefills, saving, bad input."""

import pytest
import time_machine
from django.urls import reverse

from oit.models import OITItem
from oit.readiness.models import ChecklistAnswer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(code="PROV", year=2565):
    return reverse("oit:checklist", args=[year, code])


def post_data(client, changes):
    """The page's formset as the browser would send it, with `changes` {item code: {field: value}} applied."""
    response = client.get(url())
    forms = response.context["formset"].forms
    data = {"form-TOTAL_FORMS": str(len(forms)), "form-INITIAL_FORMS": str(len(forms))}
    rows = response.context["rows"]
    for i, (row, _form) in enumerate(rows):
        values = {"answer": row.answer, "url": row.url, "explanation": row.explanation}
        values.update(changes.get(row.item.code, {}))
        for field, value in values.items():
            data[f"form-{i}-{field}"] = value
    return data


def test_anonymous_visitors_are_sent_to_log_in(client, year_2565, agency):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_agencys_reporter_gets_404(client, year_2565, agency, other_reporter):
    client.force_login(other_reporter)
    assert client.get(url()).status_code == 404


def test_a_user_without_a_role_gets_404(client, year_2565, agency):
    client.force_login(UserFactory())
    assert client.get(url()).status_code == 404


def test_the_checklist_lists_every_item_of_the_year_in_itas_order(client, year_2565, reporter):
    client.force_login(reporter)
    rows = client.get(url()).context["rows"]
    assert [row.item.code for row, _form in rows] == [f"O{n}" for n in range(1, 44)]


def test_the_plan_item_is_prefilled_with_the_portals_public_plan_page(client, year_2565, reporter, settings):
    settings.SITE_URL = "https://ita.satun.go.th"
    client.force_login(reporter)
    rows = {row.item.code: row for row, _form in client.get(url()).context["rows"]}
    assert (rows["O42"].answer, rows["O42"].url, rows["O42"].prefilled) == (
        "yes",
        "https://ita.satun.go.th/plan/2565/",
        True,
    )
    assert (rows["O1"].answer, rows["O1"].url, rows["O1"].prefilled) == ("", "", False)


def test_a_reporter_saves_an_answer_with_who_and_when(client, year_2565, agency, reporter):
    client.force_login(reporter)
    data = post_data(
        client,
        {"O1": {"answer": "yes", "url": "https://prov.go.th/structure", "explanation": "แผนผังโครงสร้าง"}},
    )
    response = client.post(url(), data)
    assert response.status_code == 302
    answer = ChecklistAnswer.objects.get()
    assert (
        answer.agency,
        answer.item.code,
        answer.answer,
        answer.url,
        answer.explanation,
        answer.updated_by,
    ) == (
        agency,
        "O1",
        "yes",
        "https://prov.go.th/structure",
        "แผนผังโครงสร้าง",
        reporter,
    )
    page = client.get(url()).content.decode()
    assert "บันทึกโดย" in page


def test_saving_without_changes_writes_nothing(client, year_2565, reporter):
    client.force_login(reporter)
    client.post(url(), post_data(client, {}))
    assert not ChecklistAnswer.objects.exists()


def test_an_item_answered_yes_without_a_url_is_refused_in_thai(client, year_2565, reporter):
    client.force_login(reporter)
    response = client.post(url(), post_data(client, {"O2": {"answer": "yes", "url": ""}}))
    assert response.status_code == 200
    assert "ต้องมี URL" in response.content.decode()
    assert not ChecklistAnswer.objects.exists()


def test_a_malformed_url_is_refused_and_nothing_is_written(client, year_2565, reporter):
    client.force_login(reporter)
    data = post_data(client, {"O2": {"answer": "yes", "url": "http://"}, "O3": {"answer": "no"}})
    response = client.post(url(), data)
    assert response.status_code == 200
    assert not ChecklistAnswer.objects.exists()


def test_a_reviewer_reads_the_checklist_without_a_form(client, year_2565, agency, reviewer):
    client.force_login(reviewer)
    response = client.get(url())
    assert response.status_code == 200
    assert response.context["editable"] is False
    assert 'name="form-0-answer"' not in response.content.decode()


def test_a_reviewer_cannot_save_an_agencys_checklist(client, year_2565, agency, reviewer):
    client.force_login(reviewer)
    response = client.post(url(), {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})
    assert response.status_code == 403
    assert not ChecklistAnswer.objects.exists()


def test_the_countdown_says_when_the_window_opens(client, year_2565, reporter):
    client.force_login(reporter)
    with time_machine.travel("2022-02-20 10:00 +0700", tick=False):
        page = client.get(url()).content.decode()
    assert "อีก 9 วัน" in page


def test_the_checklist_page_runs_a_bounded_number_of_queries(
    client, year_2565, reporter, django_assert_max_num_queries
):
    client.force_login(reporter)
    for item in OITItem.objects.filter(code__in=["O1", "O2", "O3"]):
        ChecklistAnswer.objects.create(
            agency=reporter.membership.agency, item=item, answer="no", updated_by=reporter
        )
    with django_assert_max_num_queries(13):
        assert client.get(url()).status_code == 200


def test_the_results_and_round_items_are_prefilled_with_the_agencys_public_pages(
    client, year_2565, reporter, settings
):
    settings.SITE_URL = "https://ita.satun.go.th"
    client.force_login(reporter)
    rows = {row.item.code: row for row, _form in client.get(url()).context["rows"]}
    assert rows["O43"].url == "https://ita.satun.go.th/public/2565/agency/PROV/"
    assert rows["O40"].url == "https://ita.satun.go.th/public/2565/agency/PROV/r6/"
    assert rows["O41"].url == "https://ita.satun.go.th/public/2565/agency/PROV/r12/"
