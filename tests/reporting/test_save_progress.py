"""save_progress: only changed fields, one event, the optimistic version check, and the conflict view."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from reports import workflow
from reports.models import QuarterlyReport, ReportEvent
from reports.reporting import services
from reports.reporting.forms import MeasureProgressForm
from tests.factories import LinkEvidenceFactory
from tests.reporting.helpers import login, progress_data

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status


def bound_forms(report, values, version=None):
    data = progress_data(report, values, version=version)
    forms = [MeasureProgressForm(data, instance=p) for p in report.progress.order_by("pk")]
    assert all(f.is_valid() for f in forms), [f.errors for f in forms]
    return forms


def test_only_changed_fields_are_written_and_listed(report, progress, alice):
    first, second = progress
    first.obstacles = "เดิม"
    first.save()
    forms = bound_forms(report, {first.pk: {"result": "ใหม่"}})
    result = services.save_progress(report, alice, report.version, forms)
    assert result.changes == {"1.1": {"result": {"old": "", "new": "ใหม่"}}}
    assert result.event.action == ReportEvent.Action.SAVED
    assert result.event.changes == result.changes
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.result, first.obstacles, second.result) == ("ใหม่", "เดิม", "")


def test_line_endings_from_the_browser_do_not_count_as_changes(report, progress, alice):
    progress[0].result = "บรรทัดหนึ่ง\nบรรทัดสอง"
    progress[0].save()
    forms = bound_forms(report, {progress[0].pk: {"result": "บรรทัดหนึ่ง\r\nบรรทัดสอง"}})
    assert not services.save_progress(report, alice, report.version, forms).changed


def test_nothing_changed_means_no_event_and_no_new_version(report, alice):
    result = services.save_progress(report, alice, report.version, bound_forms(report, {}))
    assert not result.changed and result.event is None
    report.refresh_from_db()
    assert report.version == 1
    assert not report.events.filter(action=ReportEvent.Action.SAVED).exists()


def test_a_save_raises_the_version(report, progress, alice):
    services.save_progress(report, alice, 1, bound_forms(report, {progress[0].pk: {"result": "ก"}}))
    report.refresh_from_db()
    assert report.version == 2 and report.updated_by == alice


def test_a_save_from_an_older_version_is_refused_and_writes_nothing(report, progress, alice, carol):
    stale = bound_forms(report, {progress[0].pk: {"result": "ของอลิส"}}, version=1)
    services.save_progress(report, carol, 1, bound_forms(report, {progress[1].pk: {"result": "ของแครอล"}}))
    with pytest.raises(workflow.ConcurrentEditError):
        services.save_progress(report, alice, 1, stale)
    progress[0].refresh_from_db()
    report.refresh_from_db()
    assert progress[0].result == ""
    assert report.version == 2
    assert report.events.filter(action=ReportEvent.Action.SAVED).count() == 1


def test_reviewers_cannot_save(report, progress, rita):
    with pytest.raises(PermissionDenied):
        services.save_progress(report, rita, 1, bound_forms(report, {progress[0].pk: {"result": "x"}}))


def test_a_submitted_report_cannot_be_saved(report, progress, alice):
    QuarterlyReport.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)
    with pytest.raises(workflow.WorkflowError) as caught:
        services.save_progress(report, alice, 1, bound_forms(report, {progress[0].pk: {"result": "x"}}))
    assert caught.value.code == "not_editable"


# --- concurrent edits through the page -----------------------------------------------------------------


def url(report):
    return reverse("reports:report", args=[report.pk])


@pytest.fixture
def both_opened(report, progress, carol):
    """alice and carol open the page at version 1; carol saves first."""
    alice_data = progress_data(report)  # what alice's page showed
    carol_client = login(Client(), carol)
    carol_data = progress_data(
        report,
        {progress[0].pk: {"result": "ฉบับของแครอล", "status": "done"}, progress[1].pk: {"obstacles": "ฝน"}},
    )
    assert carol_client.post(url(report), carol_data).status_code == 302
    return alice_data


def test_the_later_save_is_refused_with_a_clear_message_and_keeps_the_typed_text(
    client, report, progress, alice, both_opened
):
    data = dict(both_opened)
    data[f"p{progress[0].pk}-result"] = "ฉบับของอลิส"
    response = login(client, alice).post(url(report), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "มีผู้อื่นบันทึกรายงานนี้" in html and "แครอล" in html
    # Their version beside the user's own, which stays in the form.
    assert "ฉบับของแครอล" in html and "ฉบับของอลิส" in html
    assert re.search(r"<textarea[^>]*>\s*ฉบับของอลิส", html)
    progress[0].refresh_from_db()
    assert progress[0].result == "ฉบับของแครอล"


def test_after_a_conflict_the_form_carries_the_new_version_and_fields_only_they_changed(
    client, report, progress, alice, both_opened
):
    data = dict(both_opened)
    data[f"p{progress[0].pk}-result"] = "ฉบับของอลิส"
    html = login(client, alice).post(url(report), data).content.decode()
    assert re.search(r'name="version" value="2"', html)
    # carol's obstacles on measure 2 (untouched by alice) are taken into alice's form, not reverted.
    assert re.search(rf'name="p{progress[1].pk}-obstacles"[^>]*>\s*ฝน', html)
    # carol's status on measure 1 too (alice did not change it).
    assert re.search(rf'name="p{progress[0].pk}-status" value="done"[^>]*checked', html)


def test_saving_again_after_a_conflict_deliberately_keeps_the_users_version(
    client, report, progress, alice, both_opened
):
    data = dict(both_opened)
    data[f"p{progress[0].pk}-result"] = "ฉบับของอลิส"
    response = login(client, alice).post(url(report), data)
    second = {**response.context["merge"].data, "action": "save"}  # what the re-rendered form holds
    assert client.post(url(report), second).status_code == 302
    for p in progress:
        p.refresh_from_db()
    assert progress[0].result == "ฉบับของอลิส"
    assert progress[0].status == "done"  # carol's change alice did not touch survives
    assert progress[1].obstacles == "ฝน"
    event = report.events.filter(action=ReportEvent.Action.SAVED).latest("pk")
    assert event.actor == alice
    assert event.changes == {"1.1": {"result": {"old": "ฉบับของแครอล", "new": "ฉบับของอลิส"}}}


def test_submitting_from_a_stale_page_without_changes_is_refused_too(
    client, report, progress, alice, both_opened
):
    data = {**both_opened, "action": "submit"}
    response = login(client, alice).post(url(report), data)
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_saving_from_a_stale_page_without_changes_just_reloads(client, report, progress, alice, both_opened):
    # What alice sends equals what carol saved for every field alice's page showed: nothing to overwrite.
    data = progress_data(report, version=1)
    response = login(client, alice).post(url(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.version == 2


def test_a_save_landing_between_the_submitters_save_and_the_submission_stops_the_submission(
    client, report, progress, alice, carol, monkeypatch
):
    """The page's submit saves, then submits, in two transactions: a save by someone else in between must not
    be submitted unseen."""
    for p in progress:
        LinkEvidenceFactory(progress=p)
    values = {p.pk: {"status": "done", "result": "ฉบับของอลิส"} for p in progress}
    data = progress_data(report, values, action="submit")
    original = services.save_progress
    interjected = []

    def save_then_carol_saves(*args, **kwargs):
        result = original(*args, **kwargs)
        if interjected:  # carol's own save, below
            return result
        interjected.append(True)
        fresh = QuarterlyReport.objects.get(pk=report.pk)
        carols = progress_data(fresh, {progress[1].pk: {"result": "ฉบับของแครอล"}})
        assert login(Client(), carol).post(url(report), carols).status_code == 302
        return result

    monkeypatch.setattr(services, "save_progress", save_then_carol_saves)
    response = login(client, alice).post(url(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert not report.events.filter(action=ReportEvent.Action.SUBMITTED).exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("ไม่ได้ส่ง" in m for m in messages), messages
