"""The decisions: /review/<id>/approve/, /return/, /reopen/ — access, method, state, typed text kept."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from reports import history, roles, workflow
from reports.models import MeasureProgress, QuarterlyReport, ReportEvent
from tests.factories import UserFactory
from tests.review.helpers import make_world

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status
ACTIONS = ["approve", "return", "reopen"]
# The state each decision starts from.
FROM = {"approve": Status.SUBMITTED, "return": Status.SUBMITTED, "reopen": Status.APPROVED}
TO = {"approve": Status.APPROVED, "return": Status.RETURNED, "reopen": Status.RETURNED}


def _url(action, report):
    return reverse(f"reports:review_{action}", args=[report.pk])


def _world_for(action):
    return make_world(status=FROM[action])


def _data(world, reason="โปรดแก้ไขผลการดำเนินการ", **comments):
    # confirmed: what the confirmation dialog (or page) adds; tests/test_safer_submit.py covers asking.
    data = {"version": world.report.version, "reason": reason, "confirmed": "1"}
    for index, text in comments.items():
        data[f"comment_{world.measures[int(index[1:])].pk}"] = text
    return data


def _post(client, user, action, world, data=None):
    if user.is_authenticated:
        client.force_login(user)
    return client.post(_url(action, world.report), data if data is not None else _data(world))


@pytest.mark.parametrize("action", ACTIONS)
def test_decision_urls(action):
    assert reverse(f"reports:review_{action}", args=[7]) == f"/review/7/{action}/"


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", ["reviewer", "admin"])
def test_reviewer_and_superuser_can_decide(client, action, persona):
    world = _world_for(action)
    user = world.persona(persona)
    response = _post(client, user, action, world)
    assert response.status_code == 302
    assert response.url == f"{reverse('reports:review_inbox')}?period=2565-1"
    world.report.refresh_from_db()
    assert world.report.status == TO[action]
    assert world.report.decided_by == user
    assert world.report.events.last().actor == user


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", ["reporter", "other_reporter"])
def test_reporters_cannot_decide(client, action, persona):
    world = _world_for(action)
    events = world.report.events.count()
    response = _post(client, world.persona(persona), action, world)
    assert response.status_code == 403
    world.report.refresh_from_db()
    assert world.report.status == FROM[action]
    assert world.report.events.count() == events


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_is_sent_to_login(client, action):
    world = _world_for(action)
    response = _post(client, world.persona("anonymous"), action, world)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    world.report.refresh_from_db()
    assert world.report.status == FROM[action]


@pytest.mark.parametrize("action", ACTIONS)
def test_admin_group_without_review_permission_cannot_decide(client, action):
    world = _world_for(action)
    user = UserFactory(username="officeadmin")
    user.groups.add(Group.objects.get(name=roles.ADMIN_GROUP))
    assert _post(client, user, action, world).status_code == 403
    world.report.refresh_from_db()
    assert world.report.status == FROM[action]


@pytest.mark.parametrize("action", ACTIONS)
def test_decisions_refuse_get(client, action):
    world = _world_for(action)
    client.force_login(world.reviewer)
    assert client.get(_url(action, world.report)).status_code == 405
    world.report.refresh_from_db()
    assert world.report.status == FROM[action]


@pytest.mark.parametrize("action", ACTIONS)
def test_decision_on_an_unknown_report_is_404(client, action):
    world = _world_for(action)
    client.force_login(world.reviewer)
    assert client.post(reverse(f"reports:review_{action}", args=[world.report.pk + 999])).status_code == 404


def test_approve_locks_the_report_and_records_the_comment(client):
    world = _world_for("approve")
    response = _post(client, world.reviewer, "approve", world, _data(world, reason="ครบถ้วนดี"))
    world.report.refresh_from_db()
    assert world.report.is_locked
    event = world.report.events.last()
    assert (event.action, event.comment) == (ReportEvent.Action.APPROVED, "ครบถ้วนดี")
    assert world.report.approved_snapshot == history.snapshot(world.report)
    message = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == [f"อนุมัติรายงานของ{world.agency.name_th} ไตรมาส 1/2565 แล้ว รายงานถูกล็อกไม่ให้แก้ไข"]


def test_approve_without_a_comment_is_fine(client):
    world = _world_for("approve")
    _post(client, world.reviewer, "approve", world, _data(world, reason=""))
    world.report.refresh_from_db()
    assert world.report.status == Status.APPROVED


def test_return_sends_the_reason_and_each_measure_comment(client):
    world = _world_for("return")
    _post(client, world.reviewer, "return", world, _data(world, reason="แนบหลักฐานเพิ่ม", m0="ลิงก์เสีย", m1=""))
    world.report.refresh_from_db()
    assert world.report.review_comment == "แนบหลักฐานเพิ่ม"
    comments = dict(world.report.progress.values_list("measure_id", "reviewer_comment"))
    assert comments == {world.measures[0].pk: "ลิงก์เสีย", world.measures[1].pk: ""}
    assert world.report.events.last().changes == {"measure_comments": {"1.1": "ลิงก์เสีย"}}


def test_reopen_sends_the_reason_and_measure_comments(client):
    world = _world_for("reopen")
    _post(client, world.reviewer, "reopen", world, _data(world, reason="ตัวเลขไม่ตรง", m1="ตรวจสอบร้อยละ"))
    world.report.refresh_from_db()
    assert world.report.status == Status.RETURNED
    assert world.report.review_comment == "ตัวเลขไม่ตรง"
    assert world.report.progress.get(measure=world.measures[1]).reviewer_comment == "ตรวจสอบร้อยละ"
    assert world.report.events.last().action == ReportEvent.Action.REOPENED


@pytest.mark.parametrize("action", ["return", "reopen"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_missing_reason_is_refused_in_thai_and_keeps_everything_typed(client, action, reason):
    world = _world_for(action)
    version = world.report.version
    data = _data(world, reason=reason, m0="ลิงก์หลักฐานเปิดไม่ได้", m1="ระบุจำนวนผู้เข้าร่วม")
    response = _post(client, world.reviewer, action, world, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "กรุณาระบุเหตุผล เพื่อให้ส่วนราชการทราบว่าต้องแก้ไขส่วนใด" in html
    assert re.search(r'<textarea name="reason"[^>]*autofocus', html)
    assert ">\nลิงก์หลักฐานเปิดไม่ได้</textarea>" in html
    assert ">\nระบุจำนวนผู้เข้าร่วม</textarea>" in html
    world.report.refresh_from_db()
    assert (world.report.status, world.report.version) == (FROM[action], version)
    assert not world.report.progress.exclude(reviewer_comment="").exists()


FORBIDDEN = [
    ("approve", Status.DRAFT),
    ("approve", Status.RETURNED),
    ("approve", Status.APPROVED),
    ("return", Status.DRAFT),
    ("return", Status.RETURNED),
    ("return", Status.APPROVED),
    ("reopen", Status.DRAFT),
    ("reopen", Status.SUBMITTED),
    ("reopen", Status.RETURNED),
]


@pytest.mark.parametrize(("action", "status"), FORBIDDEN)
def test_decision_in_the_wrong_state_is_refused_in_thai_and_keeps_the_text(client, action, status):
    world = make_world(status=status)
    events = world.report.events.count()
    response = _post(
        client, world.reviewer, action, world, _data(world, reason="เหตุผลที่พิมพ์ไว้", m0="ความเห็นที่พิมพ์")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "จึงไม่สามารถ" in html  # “This report is … so it cannot be … now”, in Thai
    assert ">\nเหตุผลที่พิมพ์ไว้</textarea>" in html
    assert ">\nความเห็นที่พิมพ์</textarea>" in html
    world.report.refresh_from_db()
    assert world.report.status == status
    assert world.report.events.count() == events


def test_decision_on_a_report_that_changed_since_it_was_opened_is_refused(client):
    world = _world_for("approve")
    stale = _data(world, reason="อนุมัติ", m0="ความเห็น")
    # Meanwhile another reviewer returns it and the agency resubmits.
    workflow.return_report(world.report, world.reviewer, reason="แก้")
    workflow.submit(world.report, world.reporter)
    response = _post(client, world.reviewer, "approve", world, stale)
    assert response.status_code == 200
    assert "รายงานนี้มีการเปลี่ยนแปลงหลังจากที่ท่านเปิดดู" in response.content.decode()
    assert ">\nความเห็น</textarea>" in response.content.decode()
    world.report.refresh_from_db()
    assert world.report.status == Status.SUBMITTED


def test_a_missing_version_is_refused_without_acting(client):
    world = _world_for("approve")
    data = _data(world)
    del data["version"]
    response = _post(client, world.reviewer, "approve", world, data)
    assert response.status_code == 200
    world.report.refresh_from_db()
    assert world.report.status == Status.SUBMITTED


@pytest.mark.parametrize("action", ACTIONS)
def test_reviewer_cannot_change_the_agency_texts(client, action):
    world = _world_for(action)
    before = list(world.report.progress.order_by("pk").values("status", "result", "obstacles", "percent"))
    progress = world.report.progress.order_by("pk").first()
    data = _data(world, reason="")  # approve succeeds; return/reopen are refused: both must leave texts alone
    data.update(
        {
            "result": "ข้อความของผู้ตรวจ",
            f"result_{progress.measure_id}": "ข้อความของผู้ตรวจ",
            f"progress-{progress.pk}-result": "ข้อความของผู้ตรวจ",
            "obstacles": "x",
            "status": MeasureProgress.Status.NOT_STARTED,
            "percent": "5",
        }
    )
    _post(client, world.reviewer, action, world, data)
    data["reason"] = "เหตุผล"
    world.report.refresh_from_db()
    data["version"] = world.report.version
    _post(client, world.reviewer, action, world, data)
    after = list(world.report.progress.order_by("pk").values("status", "result", "obstacles", "percent"))
    assert after == before
