"""Results and obstacles have length limits (told beside the field, with a counter), in the form and the
database, and the history keeps long texts compactly."""

import json

import pytest
from django.db import IntegrityError, transaction

from reports import history, workflow
from reports.models import MeasureProgress, ReportEvent
from reports.reporting import services
from reports.reporting.forms import MeasureProgressForm
from tests.reporting.helpers import login, progress_data

pytestmark = pytest.mark.django_db
RESULT_MAX = MeasureProgress.RESULT_MAX_LENGTH
OBSTACLES_MAX = MeasureProgress.OBSTACLES_MAX_LENGTH


def test_the_limits_are_told_beside_the_fields_in_thai_with_a_counter(client, report, alice):
    html = login(client, alice).get(report.get_absolute_url()).content.decode()
    assert "ไม่เกิน 5,000 ตัวอักษร" in html
    assert "ไม่เกิน 2,000 ตัวอักษร" in html
    assert 'maxlength="5000"' in html and 'maxlength="2000"' in html
    assert 'data-counter="ใช้ไป {count} จาก 5,000 ตัวอักษร"' in html


@pytest.mark.parametrize(("field", "limit"), [("result", RESULT_MAX), ("obstacles", OBSTACLES_MAX)])
def test_a_text_over_the_limit_is_refused_in_thai_and_nothing_is_written(
    client, report, progress, alice, field, limit
):
    data = progress_data(report, {progress[0].pk: {field: "ก" * (limit + 1)}})
    response = login(client, alice).post(report.get_absolute_url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"ไม่เกิน {limit:,} ตัวอักษร ข้อความนี้มี {limit + 1:,} ตัวอักษร" in html
    progress[0].refresh_from_db()
    assert getattr(progress[0], field) == ""
    assert not report.events.filter(action=ReportEvent.Action.SAVED).exists()


def test_a_text_of_exactly_the_limit_with_browser_line_breaks_is_accepted(report, progress, alice):
    text = "ก" * (RESULT_MAX - 2) + "\r\n" + "ข"  # 5,000 characters once the line break is normalised
    form = MeasureProgressForm(
        progress_data(report, {progress[0].pk: {"result": text}}), instance=progress[0]
    )
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["result"]) == RESULT_MAX


@pytest.mark.parametrize(("field", "limit"), [("result", RESULT_MAX), ("obstacles", OBSTACLES_MAX)])
def test_the_database_refuses_a_text_over_the_limit_too(progress, field, limit):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureProgress.objects.filter(pk=progress[0].pk).update(**{field: "ก" * (limit + 1)})


def test_the_history_keeps_an_excerpt_and_the_lengths_of_a_long_text(report, progress, alice):
    old = "เดิม" * 1000
    MeasureProgress.objects.filter(pk=progress[0].pk).update(result=old)
    new = "ใหม่" * 1250
    data = progress_data(report, {progress[0].pk: {"result": new}})
    forms = [MeasureProgressForm(data, instance=p) for p in report.progress.order_by("pk")]
    assert all(f.is_valid() for f in forms)
    result = services.save_progress(report, alice, report.version, forms)
    change = result.event.changes["1.1"]["result"]
    assert change == {
        "old": old[: history.HISTORY_EXCERPT],
        "new": new[: history.HISTORY_EXCERPT],
        "old_length": 4000,
        "new_length": 5000,
    }
    assert len(json.dumps(result.event.changes, ensure_ascii=False)) < 1000


def test_a_resubmission_records_what_changed_since_the_return_compactly(report, progress, alice, rita):
    for entry in progress:
        MeasureProgress.objects.filter(pk=entry.pk).update(status="in_progress", result="ก" * 4000)
    workflow.submit(report, alice)
    workflow.return_report(report, rita, reason="เพิ่มรายละเอียด")
    MeasureProgress.objects.filter(pk=progress[0].pk).update(result="ข" * 5000)
    report.refresh_from_db()
    event = workflow.submit(report, alice).events.order_by("-pk").first()
    assert event.action == ReportEvent.Action.SUBMITTED
    assert len(json.dumps(event.changes, ensure_ascii=False)) < 1000
    (fields,) = event.changes["since_return"].values()
    assert fields["result"]["new_length"] == 5000
