"""Sample reports for the demo, so the reviewer's inbox and dashboard have something to show after `make run`.

Made through the real workflow (the same functions the pages call), by one demo reporter per sample agency,
so every sample report has a true history. Created once: nothing is added when any report already exists.
"""

from django.contrib.auth import get_user_model

from measures.models import Agency, FiscalYear, Membership
from reports import history, roles, workflow
from reports.models import MeasureProgress, QuarterlyReport, ReportEvent
from reports.reporting import services

Status = QuarterlyReport.Status

# (quarter, agency code, final status). Most samples are in Q4: the demo year 2565 is over, so Q4 is the
# quarter the review inbox and the dashboard open on (measures.models.period_under_review). CDD's Q3 report
# is still waiting, so the inbox also shows how it points to reports waiting in another quarter. The demo
# reporters' own agencies (PROV, CDD) keep Q4, their current quarter, empty to try the form; PROV has an
# approved Q1 and a returned Q2 to show those states from the agency's side.
SAMPLES = [
    (1, "PROV", Status.APPROVED),
    (2, "PROV", Status.RETURNED),
    (3, "CDD", Status.SUBMITTED),
    (3, "DOPA", Status.APPROVED),
    (3, "LAND", Status.APPROVED),
    (3, "CGD", Status.APPROVED),
    (4, "DOPA", Status.APPROVED),
    (4, "LAND", Status.SUBMITTED),
    (4, "DDPM", Status.SUBMITTED),
    (4, "DPT", Status.RETURNED),
    (4, "DLA", Status.DRAFT),
    (4, "CGD", Status.APPROVED),
]

RESULT = "ดำเนินการตามมาตรการแล้ว โดยเผยแพร่ข้อมูลบนเว็บไซต์ของส่วนราชการ และแจ้งเวียนให้บุคลากรทราบ"
OBSTACLES = "บุคลากรมีภารกิจหลายด้าน ทำให้การปรับปรุงข้อมูลบนเว็บไซต์ล่าช้าบางช่วง"
RETURN_REASON = "โปรดแนบลิงก์หน้าเว็บไซต์ที่เผยแพร่ข้อมูลให้ครบทุกมาตรการ"


def create_sample_reports(fiscal_year: FiscalYear, reviewer) -> int:
    """Create the sample reports of SAMPLES (skipping unknown agencies); return how many were made."""
    if QuarterlyReport.objects.exists():
        return 0
    periods = {p.quarter: p for p in fiscal_year.periods.all()}
    agencies = {a.code: a for a in Agency.objects.filter(code__in={code for _q, code, _s in SAMPLES})}
    made = 0
    for quarter, code, status in SAMPLES:
        agency = agencies.get(code)
        if agency is None or quarter not in periods:
            continue
        reporter = _reporter_for(agency)
        report = workflow.get_or_create_report(agency=agency, period=periods[quarter], user=reporter)
        _fill(report, reporter, complete=status != Status.DRAFT)
        if status != Status.DRAFT:
            workflow.submit(report, reporter)
        if status == Status.APPROVED:
            workflow.approve(report, reviewer, comment="ครบถ้วน")
        elif status == Status.RETURNED:
            first = report.progress.order_by("measure__indicator__number").first()
            workflow.return_report(
                report,
                reviewer,
                reason=RETURN_REASON,
                measure_comments={first.measure_id: "ลิงก์หลักฐานเปิดไม่ได้ โปรดตรวจสอบ"},
            )
        made += 1
    return made


def _reporter_for(agency: Agency):
    """The agency's first reporter, or a demo reporter who cannot log in (no usable password)."""
    membership = agency.members.select_related("user").order_by("user__username").first()
    if membership is not None and roles.can_report(membership.user):
        return membership.user
    user, created = get_user_model().objects.get_or_create(
        username=f"demo_{agency.code.lower()}",
        defaults={"first_name": "เจ้าหน้าที่", "last_name": agency.code, "email": ""},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(roles.setup_groups()[roles.REPORTER_GROUP])
        Membership.objects.create(user=user, agency=agency)
        user = get_user_model().objects.get(pk=user.pk)  # fresh permission cache
    return user


def _fill(report: QuarterlyReport, reporter, *, complete: bool) -> None:
    """Write status, results and obstacles (one SAVED event), then a link as evidence for each done measure."""
    progress_list = list(
        report.progress.select_related("measure__indicator").order_by("measure__indicator__number")
    )
    filled = progress_list if complete else progress_list[:3]
    changes = {}
    for index, progress in enumerate(filled):
        done = complete or index == 0
        progress.status = MeasureProgress.Status.DONE if done else MeasureProgress.Status.IN_PROGRESS
        progress.result = RESULT
        progress.obstacles = OBSTACLES if index % 3 == 0 else ""
        progress.percent = 100 if done else 50
        progress.save(update_fields=["status", "result", "obstacles", "percent", "updated_at"])
        changes[progress.measure.code] = {
            "status": {"old": "", "new": progress.status},
            "result": {"old": "", "new": progress.result},
        }
    history.record_event(report, reporter, ReportEvent.Action.SAVED, changes=changes)
    for progress in filled:
        if progress.status == MeasureProgress.Status.DONE:
            services.add_link(
                progress,
                reporter,
                url=f"https://www.satun.go.th/ita/{report.agency.code.lower()}/{progress.measure.code}",
                description="หน้าเว็บไซต์ที่เผยแพร่ผลการดำเนินการ",
            )
