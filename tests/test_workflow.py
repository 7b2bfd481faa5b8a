"""The report workflow: every allowed and every forbidden transition, actors, reasons, snapshots, versions."""

import pytest
from django.core.exceptions import PermissionDenied

from reports import history, workflow
from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent
from tests.factories import (
    AgencyFactory,
    LinkEvidenceFactory,
    MeasureFactory,
    ReportingPeriodFactory,
    make_reporter,
)

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status


@pytest.fixture
def period():
    return ReportingPeriodFactory(quarter=1)


@pytest.fixture
def measures(period):
    return [MeasureFactory(indicator__fiscal_year=period.fiscal_year, indicator__number=n) for n in (1, 2)]


@pytest.fixture
def report(agency, period, measures, alice):
    return workflow.get_or_create_report(agency=agency, period=period, user=alice)


def _complete(report):
    for progress in report.progress.all():
        progress.status = MeasureProgress.Status.DONE
        progress.result = "ดำเนินการแล้ว"
        progress.save()
        LinkEvidenceFactory(progress=progress)


def _put_in(report, status):
    QuarterlyReport.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


def test_new_report_is_a_draft_with_one_progress_row_per_measure(report, measures):
    assert report.status == Status.DRAFT
    assert sorted(report.progress.values_list("measure_id", flat=True)) == sorted(m.pk for m in measures)
    assert report.events.get().action == ReportEvent.Action.CREATED


def test_get_or_create_report_adds_rows_for_measures_added_later(report, period, agency):
    late = MeasureFactory(indicator__fiscal_year=period.fiscal_year, indicator__number=3)
    workflow.get_or_create_report(agency=agency, period=period)
    assert report.progress.filter(measure=late).exists()
    # Created, then the new measure joined (recorded without an actor: none was given).
    assert list(report.events.order_by("pk").values_list("action", "actor", "changes")) == [
        (ReportEvent.Action.CREATED, report.events.first().actor_id, {}),
        (ReportEvent.Action.MEASURES_ADDED, None, {"measures_added": [late.code]}),
    ]


ALLOWED = {
    ("submit", Status.DRAFT): Status.SUBMITTED,
    ("submit", Status.RETURNED): Status.SUBMITTED,
    ("return", Status.SUBMITTED): Status.RETURNED,
    ("approve", Status.SUBMITTED): Status.APPROVED,
    ("reopen", Status.APPROVED): Status.RETURNED,
}


def _apply(name, report, alice, rita):
    if name == "submit":
        return workflow.submit(report, alice)
    if name == "return":
        return workflow.return_report(report, rita, reason="แก้ไขผลการดำเนินการ")
    if name == "approve":
        return workflow.approve(report, rita)
    return workflow.reopen(report, rita, reason="พบข้อมูลไม่ครบ")


@pytest.mark.parametrize("name", list(workflow.TRANSITIONS))
@pytest.mark.parametrize("status", list(Status))
def test_transition_table(name, status, report, alice, rita):
    _complete(report)
    _put_in(report, status)
    expected = ALLOWED.get((name, status))
    events_before = report.events.count()
    if expected is None:
        with pytest.raises(workflow.WorkflowError):
            _apply(name, report, alice, rita)
        report.refresh_from_db()
        assert report.status == status
        assert report.events.count() == events_before
    else:
        _apply(name, report, alice, rita)
        report.refresh_from_db()
        assert report.status == expected
        event = report.events.last()
        assert (event.from_status, event.to_status, event.actor_id) == (
            status,
            expected,
            (alice if name == "submit" else rita).pk,
        )


def test_reporter_cannot_review(report, alice):
    _complete(report)
    workflow.submit(report, alice)
    for call in (
        lambda: workflow.approve(report, alice),
        lambda: workflow.return_report(report, alice, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_reviewer_cannot_submit_for_an_agency(report, rita):
    _complete(report)
    with pytest.raises(PermissionDenied):
        workflow.submit(report, rita)


def test_reporter_of_another_agency_cannot_submit(report):
    outsider = make_reporter(AgencyFactory(code="CDD"), username="reporter2")
    _complete(report)
    with pytest.raises(PermissionDenied):
        workflow.submit(report, outsider)
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_submit_refuses_an_incomplete_report_and_names_each_problem(report, alice):
    first, second = report.progress.order_by("measure__indicator__number")
    first.status = MeasureProgress.Status.DONE
    first.result = "ทำแล้ว"
    first.save()
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.submit(report, alice)
    assert set(caught.value.problems) == {first.pk, second.pk}
    assert set(caught.value.problems[first.pk]) == {"evidence"}
    assert set(caught.value.problems[second.pk]) == {"status", "result"}
    report.refresh_from_db()
    assert report.status == Status.DRAFT


@pytest.mark.parametrize(
    "reason",
    ["", "   ", "\u200b", "\u200b\u200c\u200d\ufeff", "\u202e\u2066", "\u3164\u2800", "\u00a0\u3000\t"],
    ids=[
        "empty",
        "spaces",
        "zero-width-space",
        "joiners-and-bom",
        "direction-marks",
        "blank-glyphs",
        "odd-spaces",
    ],
)
def test_return_and_reopen_need_a_reason_with_visible_characters(report, alice, rita, reason):
    _complete(report)
    workflow.submit(report, alice)
    with pytest.raises(workflow.WorkflowError):
        workflow.return_report(report, rita, reason=reason)
    workflow.approve(report, rita)
    with pytest.raises(workflow.WorkflowError):
        workflow.reopen(report, rita, reason=reason)
    report.refresh_from_db()
    assert report.status == Status.APPROVED


def test_return_keeps_reason_comments_and_a_snapshot(report, alice, rita, measures):
    _complete(report)
    workflow.submit(report, alice)
    workflow.return_report(report, rita, reason="โปรดแนบหลักฐาน", measure_comments={measures[0].pk: "ลิงก์เสีย"})
    report.refresh_from_db()
    assert report.review_comment == "โปรดแนบหลักฐาน"
    assert report.progress.get(measure=measures[0]).reviewer_comment == "ลิงก์เสีย"
    assert report.progress.get(measure=measures[1]).reviewer_comment == ""
    assert report.returned_snapshot[str(measures[0].pk)]["result"] == "ดำเนินการแล้ว"
    assert report.events.last().changes == {"measure_comments": {measures[0].code: "ลิงก์เสีย"}}


def test_resubmission_records_what_changed_since_the_return(report, alice, rita, measures):
    _complete(report)
    workflow.submit(report, alice)
    workflow.return_report(report, rita, reason="แก้ไข")
    progress = report.progress.get(measure=measures[0])
    progress.result = "ดำเนินการแล้ว และเผยแพร่บนเว็บไซต์"
    progress.save()
    Evidence.objects.filter(progress=progress).delete()
    LinkEvidenceFactory(progress=progress, url="https://www.satun.go.th/new", description="ใหม่")
    workflow.submit(report, alice)
    change = report.events.last().changes["since_return"][str(measures[0].pk)]
    assert change["result"] == {"old": "ดำเนินการแล้ว", "new": "ดำเนินการแล้ว และเผยแพร่บนเว็บไซต์"}
    assert change["evidence"]["added"] == ["ใหม่ – https://www.satun.go.th/new"]
    assert len(change["evidence"]["removed"]) == 1
    assert str(measures[1].pk) not in report.events.last().changes["since_return"]


def test_approval_freezes_a_snapshot_and_clears_comments(report, alice, rita, measures):
    _complete(report)
    workflow.submit(report, alice)
    workflow.return_report(report, rita, reason="แก้ไข", measure_comments={measures[0].pk: "x"})
    workflow.submit(report, alice)
    workflow.approve(report, rita)
    report.refresh_from_db()
    assert report.approved_snapshot == history.snapshot(report)
    assert report.is_locked
    assert not report.progress.exclude(reviewer_comment="").exists()
    assert report.decided_by == rita


def test_claim_version_lets_exactly_one_of_two_saves_from_the_same_version_win(report, alice):
    version = report.version
    workflow.claim_version(report, version, alice)
    stale = QuarterlyReport.objects.get(pk=report.pk)
    with pytest.raises(workflow.ConcurrentEditError):
        workflow.claim_version(stale, version, alice)
    report.refresh_from_db()
    assert report.version == version + 1


def test_allowed_transitions_follow_role_and_status(report, alice, rita):
    assert workflow.allowed_transitions(report, alice) == ["submit"]
    assert workflow.allowed_transitions(report, rita) == []
    _put_in(report, Status.SUBMITTED)
    assert workflow.allowed_transitions(report, alice) == []
    assert workflow.allowed_transitions(report, rita) == ["return", "approve"]


def test_history_cannot_be_edited_or_deleted(report):
    event = report.events.get()
    event.comment = "แก้ประวัติ"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()


# --- the transition table and decide() -------------------------------------------------------------------


def test_every_transition_names_a_url_and_its_words():
    from django.urls import reverse

    for transition in workflow.TRANSITIONS.values():
        assert reverse(transition.url_name, args=[1])
        assert str(transition.label) and str(transition.success) and str(transition.done)
    assert [t.name for t in workflow.DECISIONS] == ["approve", "return", "reopen"]


def test_decide_refuses_a_report_that_moved_on_since_the_page_showed_it(report, alice, rita):
    _complete(report)
    workflow.submit(report, alice)
    report.refresh_from_db()
    opened_at = report.version
    workflow.return_report(report, rita, reason="แก้ไข")
    workflow.submit(report, alice)
    events = report.events.count()
    with pytest.raises(workflow.ConcurrentEditError):
        workflow.decide(report, "approve", user=rita, expected_version=opened_at)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.events.count() == events


def test_decide_checks_the_transitions_gate_under_the_lock(report, alice):
    _complete(report)
    workflow.submit(report, alice)
    with pytest.raises(PermissionDenied):
        workflow.decide(report, "approve", user=alice)
