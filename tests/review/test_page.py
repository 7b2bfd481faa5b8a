"""The review page /review/<id>/: access, what it shows, the diff after resubmission, query count."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import workflow
from reports.models import Evidence, MeasureProgress, QuarterlyReport
from tests.factories import LinkEvidenceFactory
from tests.review.helpers import make_world

pytestmark = pytest.mark.django_db
Status = QuarterlyReport.Status


@pytest.fixture
def world():
    return make_world()


def _url(report):
    return reverse("reports:review", args=[report.pk])


def _page(client, user, report, **params):
    client.force_login(user)
    response = client.get(_url(report), params)
    assert response.status_code == 200
    return response.content.decode()


def _progress(report, measure):
    return report.progress.get(measure=measure)


def _resubmit_with_changes(world):
    """Return the report, let the agency rewrite measure 1 and swap its evidence, then resubmit."""
    first, second = world.measures
    workflow.return_report(
        world.report, world.reviewer, reason="โปรดแก้ไข", measure_comments={first.pk: "เพิ่มจำนวน"}
    )
    progress = _progress(world.report, first)
    progress.result = "จัดอบรมบุคลากร จำนวน 3 ครั้ง ผ่านระบบออนไลน์"
    progress.status = MeasureProgress.Status.IN_PROGRESS
    progress.percent = 60
    progress.save()
    progress.evidence.all().delete()
    LinkEvidenceFactory(progress=progress, url="https://www.satun.go.th/ita/new", description="หลักฐานใหม่")
    workflow.submit(world.report, world.reporter)
    world.report.refresh_from_db()
    return first, second


def test_review_url_name(world):
    assert _url(world.report) == f"/review/{world.report.pk}/"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("reviewer", 200), ("admin", 200), ("reporter", 403), ("other_reporter", 403), ("anonymous", 302)],
)
def test_review_page_is_for_reviewers_and_admins_only(client, world, persona, expected):
    user = world.persona(persona)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(_url(world.report))
    assert response.status_code == expected
    if persona == "anonymous":
        assert response.url.startswith(reverse("login"))


def test_review_page_refuses_post(client, world):
    client.force_login(world.reviewer)
    assert client.post(_url(world.report)).status_code == 405


def test_review_page_of_an_unknown_report_is_404(client, world):
    client.force_login(world.reviewer)
    assert client.get(reverse("reports:review", args=[world.report.pk + 999])).status_code == 404


def test_review_page_shows_every_measure_under_its_indicator_with_its_texts(client, world):
    first, second = world.measures
    progress = _progress(world.report, first)
    MeasureProgress.objects.filter(pk=progress.pk).update(obstacles="งบประมาณไม่เพียงพอ", percent=75)
    html = _page(client, world.reviewer, world.report)
    assert html.index("ตัวชี้วัดที่ 1") < html.index("มาตรการ 1.1") < html.index("ตัวชี้วัดที่ 2")
    assert html.index("ตัวชี้วัดที่ 2") < html.index("มาตรการ 2.1")
    assert html.count("จัดประชุมชี้แจงบุคลากร จำนวน 2 ครั้ง") == 2
    assert "งบประมาณไม่เพียงพอ" in html
    assert "75%" in html
    assert "ดำเนินการแล้ว" in html  # the measure's status, as text


def test_agency_texts_are_escaped(client, world):
    progress = _progress(world.report, world.measures[0])
    MeasureProgress.objects.filter(pk=progress.pk).update(result="<script>alert(1)</script>")
    html = _page(client, world.reviewer, world.report)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_link_evidence_opens_in_a_new_tab_without_opener(client, world):
    evidence = Evidence.objects.filter(progress__report=world.report).first()
    html = _page(client, world.reviewer, world.report)
    link = re.search(rf'<a href="{re.escape(evidence.url)}"[^>]*>', html).group(0)
    assert 'target="_blank"' in link
    assert "noopener" in link


def test_file_evidence_links_to_the_download_view(client, world):
    progress = _progress(world.report, world.measures[0])
    evidence = Evidence(
        progress=progress, kind=Evidence.Kind.FILE, original_name="รายงานการประชุม.pdf", size=2048
    )
    evidence.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    evidence.save()
    expected = reverse("reports:evidence_download", args=[evidence.pk])
    html = _page(client, world.reviewer, world.report)
    assert f'href="{expected}"' in html
    assert "รายงานการประชุม.pdf" in html


def test_submitted_report_offers_approve_and_return_with_comment_boxes(client, world):
    progress = _progress(world.report, world.measures[0])
    MeasureProgress.objects.filter(pk=progress.pk).update(reviewer_comment="ความเห็นเดิม")
    html = _page(client, world.reviewer, world.report)
    assert f'formaction="{reverse("reports:review_approve", args=[world.report.pk])}"' in html
    assert f'formaction="{reverse("reports:review_return", args=[world.report.pk])}"' in html
    assert reverse("reports:review_reopen", args=[world.report.pk]) not in html
    assert re.search(rf'<textarea name="comment_{world.measures[0].pk}"[^>]*>\s*ความเห็นเดิม</textarea>', html)
    assert f'name="comment_{world.measures[1].pk}"' in html
    assert 'name="reason"' in html


def test_a_comment_kept_from_the_last_return_says_where_it_came_from(client, world):
    first, second = _resubmit_with_changes(world)
    html = _page(client, world.reviewer, world.report)
    first_block = html[html.index(f'id="measure-{first.pk}"') : html.index(f'id="measure-{second.pk}"')]
    second_block = html[html.index(f'id="measure-{second.pk}"') : html.index('id="decision"')]
    hint = "ความเห็นนี้มาจากการส่งกลับครั้งก่อน"
    assert re.search(
        rf'aria-describedby="(id_comment_{first.pk}_helptext)".*id="\1"[^>]*>\s*{hint}', first_block, re.S
    )
    assert hint not in second_block


def test_approved_report_offers_only_reopen(client, world):
    workflow.approve(world.report, world.reviewer)
    html = _page(client, world.reviewer, world.report)
    assert f'formaction="{reverse("reports:review_reopen", args=[world.report.pk])}"' in html
    assert reverse("reports:review_approve", args=[world.report.pk]) not in html
    assert reverse("reports:review_return", args=[world.report.pk]) not in html


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_report_with_the_agency_offers_no_decision(client, world, status):
    QuarterlyReport.objects.filter(pk=world.report.pk).update(status=status)
    html = _page(client, world.reviewer, world.report)
    assert "formaction" not in html
    assert 'name="reason"' not in html


def test_admin_without_review_permission_sees_no_decision_buttons(client, world):
    from django.contrib.auth.models import Group

    from reports import roles
    from tests.factories import UserFactory

    user = UserFactory(username="officeadmin")
    user.groups.add(Group.objects.get(name=roles.ADMIN_GROUP))
    html = _page(client, user, world.report)
    assert "formaction" not in html
    assert "เฉพาะผู้ตรวจสอบระดับจังหวัดเท่านั้น" in html


def test_history_is_shown_newest_first_with_reason_and_measure_comments(client, world):
    workflow.return_report(
        world.report, world.reviewer, reason="ขาดหลักฐาน", measure_comments={world.measures[0].pk: "ลิงก์เสีย"}
    )
    html = _page(client, world.reviewer, world.report)
    history = html[html.index('id="history-heading"') :]
    assert history.index("ส่งกลับให้แก้ไข") < history.index("ส่งรายงาน") < history.index("สร้างรายงาน")
    assert "ขาดหลักฐาน" in history
    assert "มาตรการ 1.1: ลิงก์เสีย" in history


def test_the_reviewer_reads_the_same_history_lines_as_the_agency(client, world):
    workflow.return_report(world.report, world.reviewer, reason="ขาดหลักฐาน")
    progress = world.report.progress.order_by("measure__indicator__number").first()
    progress.result = "ผลใหม่หลังส่งกลับ"
    progress.save()
    workflow.submit(world.report, world.reporter)
    code = progress.measure.code
    line = f"แก้ไขหลังส่งกลับ – {code}: ผลการดำเนินการ"
    review = _page(client, world.reviewer, world.report)
    assert line in review[review.index('id="history-heading"') :]
    client.force_login(world.reporter)
    agency = client.get(reverse("reports:report", args=[world.report.pk])).content.decode()
    assert line in agency[agency.index('id="history-heading"') :]


def test_returned_report_shows_the_reason_given(client, world):
    workflow.return_report(world.report, world.reviewer, reason="โปรดแนบรายงานการประชุม")
    html = _page(client, world.reviewer, world.report)
    assert "เหตุผลที่แจ้งส่วนราชการเมื่อส่งรายงานกลับ" in html
    assert "โปรดแนบรายงานการประชุม" in html


# --- what changed since the return ---------------------------------------------------------------------


def test_first_submission_shows_no_diff(client, world):
    html = _page(client, world.reviewer, world.report)
    assert "สิ่งที่แก้ไขนับจากการส่งกลับ" not in html
    assert "<ins>" not in html


def test_resubmitted_report_shows_per_field_diff_and_evidence_changes(client, world):
    first, second = _resubmit_with_changes(world)
    html = _page(client, world.reviewer, world.report)
    assert "สิ่งที่แก้ไขนับจากการส่งกลับเมื่อ" in html
    block = html[html.index(f'id="measure-{first.pk}"') : html.index(f'id="measure-{second.pk}"')]
    changes = block[block.index("review-changes") :]
    # Result: old words struck through, new words inserted, common text kept plain.
    assert re.search(r"<del>.*ประชุมชี้แจง</del>", changes)
    assert re.search(r"<ins>.*อบรม</ins>", changes)
    assert "ผ่านระบบออนไลน์</ins>" in changes
    # Status and percent, old and new.
    assert re.search(r"<del>.*ดำเนินการแล้วเสร็จ</del>.*<ins>.*อยู่ระหว่างดำเนินการ</ins>", changes, re.S)
    assert re.search(r"<del>.*100%</del>.*<ins>.*60%</ins>", changes, re.S)
    # Evidence added and removed.
    assert re.search(r"<ins>.*หลักฐานใหม่ – https://www.satun.go.th/ita/new</ins>", changes)
    assert re.search(r"<del>.*หน้าเว็บไซต์เผยแพร่ข้อมูล – https://www.example.go.th/ita/\d+</del>", changes)


def test_only_changed_measures_are_labelled_changed(client, world):
    first, second = _resubmit_with_changes(world)
    html = _page(client, world.reviewer, world.report)
    first_block = html[html.index(f'id="measure-{first.pk}"') : html.index(f'id="measure-{second.pk}"')]
    second_block = html[html.index(f'id="measure-{second.pk}"') : html.index('id="decision"')]
    assert "แก้ไขแล้ว</span>" in first_block
    assert "แก้ไขแล้ว</span>" not in second_block
    assert "review-changes" not in second_block
    assert "แก้ไขแล้ว 1 มาตรการ" in html
    assert f'href="#measure-{first.pk}"' in html


def test_diff_of_a_resubmission_without_changes_says_nothing_changed(client, world):
    workflow.return_report(world.report, world.reviewer, reason="ตรวจอีกครั้ง")
    workflow.submit(world.report, world.reporter)
    html = _page(client, world.reviewer, world.report)
    assert "ไม่มีการแก้ไข" in html
    assert "แก้ไขแล้ว</span>" not in html


def test_reopened_report_can_be_compared_with_the_approval(client, world):
    first, _second = world.measures
    workflow.approve(world.report, world.reviewer)
    workflow.reopen(world.report, world.reviewer, reason="พบข้อผิดพลาด")
    progress = _progress(world.report, first)
    progress.result = "ผลใหม่หลังเปิดแก้ไข"
    progress.save()
    workflow.submit(world.report, world.reporter)
    workflow.return_report(world.report, world.reviewer, reason="ยังไม่ครบ")
    progress.result = "ผลใหม่หลังเปิดแก้ไขครั้งที่สอง"
    progress.save()
    workflow.submit(world.report, world.reporter)
    world.report.refresh_from_db()

    since_return = _page(client, world.reviewer, world.report)
    assert f'href="{_url(world.report)}?compare=approval"' in since_return
    assert "ครั้งที่สอง</ins>" in since_return
    assert "หลังเปิดแก้ไข</ins>" not in since_return

    since_approval = _page(client, world.reviewer, world.report, compare="approval")
    assert "สิ่งที่แก้ไขนับจากการอนุมัติ" in since_approval
    assert re.search(r"<ins>.*ผลใหม่หลังเปิดแก้ไขครั้งที่สอง</ins>", since_approval)
    assert re.search(r"<del>.*จัดประชุมชี้แจงบุคลากร", since_approval)


def test_approved_report_offers_no_comparison_with_its_own_approval(client, world):
    workflow.approve(world.report, world.reviewer)
    html = _page(client, world.reviewer, world.report, compare="approval")
    assert "สิ่งที่แก้ไขนับจากการอนุมัติ" not in html


def test_diff_escapes_agency_text(client, world):
    workflow.return_report(world.report, world.reviewer, reason="แก้")
    progress = _progress(world.report, world.measures[0])
    progress.result = '<img src=x onerror="alert(1)">'
    progress.save()
    workflow.submit(world.report, world.reporter)
    html = _page(client, world.reviewer, world.report)
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


# --- query count ---------------------------------------------------------------------------------------

# Session, user, permissions (2), report, progress, evidence, events; snapshot for the diff (progress, evidence);
# the header's unread notices; the broken links of the evidence shown (linkcheck, one query); first of all the
# data version (ops.versions).
REVIEW_QUERIES = 13


def _queries_for_review(client, report):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(report))
    assert response.status_code == 200
    return len(queries)


def _add_measures(world, count):
    from tests.factories import MeasureFactory

    indicator = world.measures[-1].indicator
    for order in range(2, count + 2):
        measure = MeasureFactory(indicator=indicator, order=order)
        progress = MeasureProgress.objects.create(
            report=world.report, measure=measure, status=MeasureProgress.Status.DONE, result="ทำแล้ว"
        )
        for _n in range(3):
            LinkEvidenceFactory(progress=progress)


def test_review_page_query_count_does_not_grow_with_measures_and_evidence(client, world):
    _resubmit_with_changes(world)
    client.force_login(world.reviewer)
    few = _queries_for_review(client, world.report)
    _add_measures(world, 28)
    assert world.report.progress.count() == 30
    many = _queries_for_review(client, world.report)
    print(f"review page queries: {few} with 2 measures, {many} with 30 measures and 3 evidence each")
    assert few == many == REVIEW_QUERIES


def test_reviewer_gets_back_to_the_dashboard_of_the_reports_quarter(client, world):
    html = _page(client, world.reviewer, world.report)
    period = world.report.period
    query = f"?year={period.fiscal_year.year}&amp;quarter={period.quarter}"
    assert f'href="{reverse("reports:dashboard")}{query}"' in html
