"""The whole loop in one real Chromium, Thai UI: an agency submits, the province returns it with a reason and
a comment on one measure, the agency fixes and resubmits, the province sees what changed and approves, and the
dashboard follows. Then accessibility (axe-core, WCAG 2 A/AA) of the reviewer's pages and a keyboard-only return.

No clock is frozen: fiscal year 2565 is past, so the agency home offers its last quarter (Q4) and the
dashboard opens on it too (see services.reporting_period and dashboard.select_period).
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from measures.models import Agency, Measure, ReportingPeriod
from reports import workflow
from reports.models import MeasureProgress, QuarterlyReport, ReportEvent
from tests.browser.conftest import WCAG_2_AA, axe_violations
from tests.browser.helpers import (
    RESULT,
    add_link,
    approve_report,
    fill_measure,
    log_in,
    log_out,
    measure,
    screenshot,
    session_cookie,
    submit_report,
    tab_to,
)
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    LinkEvidenceFactory,
    MeasureFactory,
    make_reporter,
    make_reviewer,
)

pytestmark = pytest.mark.browser

Status = QuarterlyReport.Status
Action = ReportEvent.Action

REASON = "โปรดระบุจำนวนครั้งและจำนวนผู้เข้าร่วมประชุมให้ครบถ้วน"
COMMENT = "ยังไม่ได้ระบุจำนวนผู้เข้าร่วมประชุม"
FIRST_RESULT = "จัดประชุมชี้แจงบุคลากร 2 ครั้ง"
FIXED_RESULT = "จัดประชุมชี้แจงบุคลากร 3 ครั้ง ผู้เข้าร่วม 45 คน"


@dataclass
class Province:
    period: ReportingPeriod
    measures: list[Measure]
    agency: Agency
    reporter: object
    reviewer: object


@pytest.fixture
def province(transactional_db):
    """FY 2565 with three measures under indicators 1, 2 and 9; four agencies; "reporter" of the first
    agency (สำนักงานจังหวัดสตูล) and "reviewer" of the provincial office (both with the factories' password)."""
    fiscal_year = FiscalYearFactory(year=2565, is_active=True)
    measures = [
        MeasureFactory(
            indicator=IndicatorFactory(fiscal_year=fiscal_year, number=number, name_th=name), text=text
        )
        for number, name, text in [
            (1, "การปฏิบัติหน้าที่", "จัดประชุมชี้แจงแนวทางการปฏิบัติงานตามหลักธรรมาภิบาลให้บุคลากรทราบ"),
            (2, "การใช้งบประมาณ", "สร้างการรับรู้เกี่ยวกับแผนการใช้จ่ายงบประมาณประจำปี"),
            (9, "ด้านการเปิดเผยข้อมูล", "เผยแพร่ข้อมูลพื้นฐานของหน่วยงานบนเว็บไซต์"),
        ]
    ]
    agencies = [
        AgencyFactory(code=code, name_th=name)
        for code, name in [
            ("PROV", "สำนักงานจังหวัดสตูล"),
            ("CDD", "สำนักงานพัฒนาชุมชนจังหวัดสตูล"),
            ("PHO", "สำนักงานสาธารณสุขจังหวัดสตูล"),
            ("AGRI", "สำนักงานเกษตรจังหวัดสตูล"),
        ]
    ]
    reporter = make_reporter(agencies[0], username="reporter", first_name="สมศรี", last_name="รักษ์สตูล")
    reviewer = make_reviewer(username="reviewer", first_name="สมชาย", last_name="ตรวจการ")
    period = fiscal_year.periods.get(quarter=4)
    return Province(period, measures, agencies[0], reporter, reviewer)


def dashboard_counts(page) -> dict[str, int]:
    """The dashboard's standing tiles as shown: {Thai label: number}."""
    counts = {}
    for tile in page.locator(".dash-counts a").all():
        label, number = tile.inner_text().strip().rsplit("\n", 1)
        counts[label.strip()] = int(number)
    return counts


def open_dashboard(page):
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="แดชบอร์ด").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("แดชบอร์ด")
    expect(page.get_by_text("ไตรมาส 4")).not_to_have_count(0)


def open_from_inbox(page, agency_name):
    inbox_link = page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="ตรวจสอบรายงาน")
    inbox_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ตรวจสอบรายงาน")
    expect(inbox_link).to_have_attribute("aria-current", "page")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=agency_name))
    expect(row).to_contain_text("ส่งแล้ว")
    expect(row).to_contain_text("ส่งวันนี้")
    screenshot(page, "loop-inbox")
    row.get_by_role("link", name=agency_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(agency_name)


def open_current_report(page, role, name):
    """From the agency home, the "to report now" card's button or link."""
    page.locator("#current-heading").locator("..").get_by_role(role, name=re.compile(name)).click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))


def test_report_goes_round_the_whole_review_loop(page, province, htmx):
    agency = province.agency.name_th

    # 1. The agency fills in the quarter with a link as evidence and submits it.
    log_in(page)
    open_current_report(page, "button", "เริ่มทำรายงาน")
    fill_measure(page, 0, "อยู่ระหว่างดำเนินการ", FIRST_RESULT)
    fill_measure(page, 1, "อยู่ระหว่างดำเนินการ", "แจ้งเวียนแผนการใช้จ่ายงบประมาณให้ทุกกลุ่มงานแล้ว")
    fill_measure(page, 2, "ดำเนินการแล้วเสร็จ", "เผยแพร่ข้อมูลพื้นฐานครบทุกหัวข้อ")
    add_link(measure(page, 2), "https://www.satun.go.th/ita/o1", "ข้อมูลพื้นฐานของหน่วยงาน")
    screenshot(page, "loop-1-reporter-filled")
    submit_report(page)
    expect(page.get_by_text("ส่งรายงานถึงสำนักงานจังหวัดเรียบร้อยแล้ว")).to_be_visible()
    expect(page.locator(".report-facts .badge")).to_have_text("ส่งแล้ว รอตรวจ")
    log_out(page)

    # 2. The reviewer lands on the dashboard: one agency has submitted, three have not started.
    log_in(page, "reviewer", landing=r"/dashboard/$")
    counts = dashboard_counts(page)
    assert counts["ส่งแล้ว รอตรวจ"] == 1, counts
    assert counts["อนุมัติแล้ว"] == 0, counts
    assert counts["ยังไม่เริ่มรายงาน"] == 3, counts
    screenshot(page, "loop-2-dashboard-submitted")

    # 3. ... opens the report from the inbox and returns it with a reason and a comment on measure 1.1.
    open_from_inbox(page, agency)
    expect(page.get_by_text("สิ่งที่แก้ไขนับจากการส่งกลับ")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("ข้อมูลพื้นฐานของหน่วยงาน"))).to_have_attribute(
        "href", "https://www.satun.go.th/ita/o1"
    )
    page.get_by_label("เหตุผลหรือความเห็นถึงส่วนราชการ").fill(REASON)
    page.get_by_label("ความเห็นต่อมาตรการ 1.1").fill(COMMENT)
    screenshot(page, "loop-3-review-return")
    page.get_by_role("button", name="ส่งกลับให้แก้ไข").click()
    expect(page.get_by_role("status")).to_contain_text("กลับให้ส่วนราชการแก้ไขพร้อมเหตุผลแล้ว")
    log_out(page)

    # 4. The agency sees the reason at the top and the comment beside measure 1.1 only; fixes it; resubmits.
    log_in(page)
    expect(page.locator("#current-heading").locator("..")).to_contain_text("ส่งกลับให้แก้ไข")
    open_current_report(page, "link", "เปิดและแก้ไขรายงาน")
    reason = page.get_by_role("region", name="ส่งกลับให้แก้ไข – เหตุผลของผู้ตรวจสอบ")
    expect(reason).to_contain_text(REASON)
    assert reason.bounding_box()["y"] < measure(page, 0).bounding_box()["y"]
    expect(measure(page, 0).get_by_role("note")).to_contain_text(f"ความเห็นของผู้ตรวจสอบ: {COMMENT}")
    expect(measure(page, 1).get_by_role("note")).to_have_count(0)
    expect(measure(page, 2).get_by_role("note")).to_have_count(0)
    expect(measure(page, 0).get_by_label(RESULT)).to_have_value(FIRST_RESULT)
    screenshot(page, "loop-4-reporter-returned")
    measure(page, 0).get_by_label(RESULT).fill(FIXED_RESULT)
    submit_report(page)
    expect(page.get_by_text("ส่งรายงานถึงสำนักงานจังหวัดเรียบร้อยแล้ว")).to_be_visible()
    log_out(page)

    # 5. The reviewer sees what changed since the return, in measure 1.1 only, and approves.
    log_in(page, "reviewer", landing=r"/dashboard/$")
    open_from_inbox(page, agency)
    changes = page.get_by_role("region", name=re.compile("สิ่งที่แก้ไขนับจากการส่งกลับเมื่อ"))
    expect(changes).to_contain_text("แก้ไขแล้ว 1 มาตรการ")
    changes.get_by_role("link", name="มาตรการ 1.1").click()
    first = page.locator("article.review-measure").nth(0)
    expect(first.locator(".measure-changed")).to_have_text("แก้ไขแล้ว")
    expect(first.locator(".diff del")).to_have_text("ลบออก: 2")
    expect(first.locator(".diff ins")).to_have_text(["เพิ่มเข้ามา: 3", "เพิ่มเข้ามา:  ผู้เข้าร่วม 45 คน"])
    for other in (1, 2):
        expect(page.locator("article.review-measure").nth(other).locator(".measure-changed")).to_have_count(0)
    # The comment sent with the return is offered again, and says so.
    comment = page.get_by_label("ความเห็นต่อมาตรการ 1.1")
    expect(comment).to_have_value(COMMENT)
    expect(comment).to_have_accessible_description(re.compile("ความเห็นนี้มาจากการส่งกลับครั้งก่อน"))
    screenshot(page, "loop-5-review-diff")
    approve_report(page)
    expect(page.get_by_role("status")).to_contain_text("อนุมัติรายงานของ")

    # 6. The dashboard has moved: approved 1, submitted 0.
    open_dashboard(page)
    counts = dashboard_counts(page)
    assert counts["อนุมัติแล้ว"] == 1, counts
    assert counts["ส่งแล้ว รอตรวจ"] == 0, counts
    assert counts["ยังไม่เริ่มรายงาน"] == 3, counts
    screenshot(page, "loop-6-dashboard-approved")
    log_out(page)

    # 7. The agency sees the report approved and read-only; its home now headlines Q3, overdue and not sent.
    log_in(page)
    expect(page.locator("#current-heading")).to_contain_text("เลยกำหนดส่ง – ต้องรายงานทันที: ไตรมาส 3")
    q4 = page.locator("article").filter(has=page.locator("#quarter-4"))
    expect(q4).to_contain_text("อนุมัติแล้ว")
    q4.get_by_role("link", name=re.compile("ดูรายงาน")).click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))
    expect(page.locator(".report-facts .badge")).to_have_text("อนุมัติแล้ว")
    expect(page.get_by_text("รายงานนี้ได้รับอนุมัติแล้ว ไม่สามารถแก้ไขได้")).to_be_visible()
    expect(page.locator("main textarea, main input[type=radio]")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("ส่งรายงาน|บันทึกฉบับร่าง"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("เพิ่มหลักฐาน"))).to_have_count(0)
    expect(measure(page, 0)).to_contain_text(FIXED_RESULT)
    screenshot(page, "loop-7-reporter-approved")

    # The database agrees.
    report = QuarterlyReport.objects.get()
    assert (report.agency, report.period, report.status) == (
        province.agency,
        province.period,
        Status.APPROVED,
    )
    assert report.decided_by == province.reviewer
    assert report.progress.get(measure=province.measures[0]).result == FIXED_RESULT
    actions = list(report.events.order_by("created_at", "pk").values_list("action", flat=True))
    transitions = [a for a in actions if a not in (Action.SAVED, Action.EVIDENCE_ADDED)]
    assert transitions == [
        Action.CREATED,
        Action.SUBMITTED,
        Action.RETURNED,
        Action.SUBMITTED,
        Action.APPROVED,
    ], actions
    returned = report.events.get(action=Action.RETURNED)
    assert (returned.actor, returned.comment) == (province.reviewer, REASON)
    assert returned.changes["measure_comments"] == {"1.1": COMMENT}


# --- the reviewer's pages: accessibility and the keyboard ---------------------------------------------------


@pytest.fixture
def resubmitted(province):
    """The agency's report submitted, returned with a comment on 1.1, changed and resubmitted; a second
    agency's report submitted, so the inbox lists two, and its Q2 report approved, for the 6-month round."""
    first, second, third = province.measures
    report = _submitted(province.agency, province.period, province.reporter)
    workflow.return_report(report, province.reviewer, reason=REASON, measure_comments={first.pk: COMMENT})
    progress = report.progress.get(measure=first)
    progress.result = FIXED_RESULT
    progress.save()
    progress.evidence.all().delete()
    LinkEvidenceFactory(progress=progress, url="https://www.satun.go.th/ita/o43", description="ภาพกิจกรรม")
    workflow.submit(report, province.reporter)
    other = Agency.objects.get(code="CDD")
    other_reporter = make_reporter(other, username="reporter2")
    _submitted(other, province.period, other_reporter)
    q2 = province.period.fiscal_year.periods.get(quarter=2)
    workflow.approve(_submitted(other, q2, other_reporter), province.reviewer)
    report.refresh_from_db()
    return report


def _submitted(agency, period, reporter):
    report = workflow.get_or_create_report(agency=agency, period=period, user=reporter)
    for progress in report.progress.all():
        progress.status = MeasureProgress.Status.DONE
        progress.result = FIRST_RESULT
        progress.save()
        LinkEvidenceFactory(progress=progress)
    return workflow.submit(report, reporter)


REVIEWER_PAGES = {
    "inbox": lambda report: reverse("reports:review_inbox"),
    "review-with-diff": lambda report: reverse("reports:review", args=[report.pk]),
    "dashboard": lambda report: reverse("reports:dashboard"),
    "round-6": lambda report: reverse("reports:round", args=[6]),
    "round-12": lambda report: reverse("reports:round", args=[12]),
}


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("name", list(REVIEWER_PAGES))
def test_reviewer_pages_pass_axe_and_fit_the_width(
    open_page, live_server, province, resubmitted, name, width
):
    page = open_page(
        REVIEWER_PAGES[name](resubmitted),
        width=width,
        cookies=[session_cookie(province.reviewer, live_server)],
    )
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if name == "review-with-diff":
        expect(page.locator(".diff ins").first).to_be_visible()
    screenshot(page, f"axe-{name}-{width}")
    assert axe_violations(page) == []
    # And axe's best practices, down to moderate (a scrolling table once shared its section's name).
    best_practice = (*WCAG_2_AA, "best-practice")
    assert axe_violations(page, impacts=("moderate", "serious", "critical"), tags=best_practice) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 1000])
def test_the_reviewers_menu_keeps_each_label_on_one_line(open_page, live_server, province, width):
    """A reviewer's menu is wider than the screen: items wrap whole onto a second row, no Thai label breaks."""
    page = open_page(
        reverse("reports:dashboard"), width=width, cookies=[session_cookie(province.reviewer, live_server)]
    )
    items = page.locator(".portal-nav .nav-link, .portal-nav .navbar-text")
    heights = items.evaluate_all(
        "els => els.map(el => [el.textContent.trim(), el.getClientRects().length,"
        " el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)])"
    )
    assert len(heights) >= 10
    broken = [(label, lines) for label, rects, lines in heights if rects > 1 or lines > 1.9]  # 0: hidden
    assert broken == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def focused(page, script):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def test_reviewer_returns_a_report_with_the_keyboard_only(open_page, live_server, province, resubmitted):
    page = open_page(
        reverse("reports:review", args=[resubmitted.pk]),
        cookies=[session_cookie(province.reviewer, live_server)],
    )
    # From the top of the page, the link to the decision moves the keyboard there: the next Tab is the reason.
    tab_to(page, "a[href='#decision']")
    page.keyboard.press("Enter")
    assert tab_to(page, "textarea[name=reason]", most=1) == 1
    assert focused(page, "getComputedStyle(el).outlineStyle") == "solid"  # the focus can be seen
    page.keyboard.type("ภาพกิจกรรมไม่ตรงกับมาตรการ")
    # Past "approve" to "return", each button showing its focus.
    assert tab_to(page, "button[formaction$='/return/']", most=2) == 2
    assert focused(page, "el.textContent.trim()") == "ส่งกลับให้แก้ไข"
    assert focused(page, "getComputedStyle(el).outlineStyle") == "solid"
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("กลับให้ส่วนราชการแก้ไขพร้อมเหตุผลแล้ว")
    resubmitted.refresh_from_db()
    assert resubmitted.status == Status.RETURNED
    assert resubmitted.review_comment == "ภาพกิจกรรมไม่ตรงกับมาตรการ"
