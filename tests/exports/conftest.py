"""A province for the export tests: fiscal year 2565, ten indicators (indicator 1 has two measures).

    agency  Q1 report                      Q2 report
    A       approved (MIXED result, links) approved
    B       submitted (UNAPPROVED text)    –
    C       draft (DRAFT text)             –
    D       returned (RETURNED text)       –

alice reports for A, bob for B; rita is a reviewer; nobody has no role.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

from reports.models import Evidence, MeasureProgress, QuarterlyReport
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MeasureFactory,
    MeasureStepFactory,
    UserFactory,
    make_reporter,
    make_reviewer,
)

Status = QuarterlyReport.Status
BKK = ZoneInfo("Asia/Bangkok")
# Short enough for one line of the PDF's results column, so it reads back as one line.
MIXED = "อบรม ITA 2565 รุ่นที่ 3: 45 คน (e-Learning)"
UNAPPROVED = "ข้อความที่ยังไม่ได้รับอนุมัติของสำนักงานบี"
DRAFT = "ร่างของสำนักงานซีที่ไม่ควรปรากฏ"
RETURNED = "ฉบับส่งกลับของสำนักงานดีที่ไม่ควรปรากฏ"
INDICATOR_NAMES = [
    "การปฏิบัติหน้าที่",
    "การใช้งบประมาณ",
    "การใช้อำนาจ",
    "การใช้ทรัพย์สินของราชการ",
    "การแก้ไขปัญหาการทุจริต",
    "ด้านคุณภาพการดำเนินงาน",
    "ด้านประสิทธิภาพการสื่อสาร",
    "ด้านการปรับปรุงระบบการทำงาน",
    "ด้านการเปิดเผยข้อมูล",
    "ด้านการป้องกันการทุจริต",
]


def make_plan(fiscal_year):
    measures = []
    for number, name in enumerate(INDICATOR_NAMES, start=1):
        indicator = IndicatorFactory(fiscal_year=fiscal_year, number=number, name_th=name)
        for order in (1, 2) if number == 1 else (1,):
            measure = MeasureFactory(indicator=indicator, order=order, text=f"มาตรการ {number}.{order}")
            MeasureStepFactory(measure=measure, order=1, text=f"ขั้นตอนแรกของมาตรการ {number}.{order}")
            measures.append(measure)
    return measures


def make_report(agency, period, measures, status, text, *, days_late=0, evidence=0):
    report = QuarterlyReport.objects.create(
        agency=agency,
        period=period,
        status=status,
        first_submitted_at=None if status == Status.DRAFT else datetime.datetime(2022, 1, 10, tzinfo=BKK),
        days_late=None if status == Status.DRAFT else days_late,
    )
    for measure in measures:
        progress = MeasureProgress.objects.create(
            report=report,
            measure=measure,
            status=MeasureProgress.Status.DONE,
            result=f"{text} ({measure.code})",
        )
        for n in range(evidence):
            Evidence.objects.create(
                progress=progress,
                kind=Evidence.Kind.LINK,
                url=f"https://www.satun.go.th/ita/{measure.code}/{n}",
                description=f"หลักฐานที่ {n + 1}",
            )
    return report


@pytest.fixture
def province(db):
    fiscal_year = FiscalYearFactory(year=2565, title="๓. แนวทาง / มาตรการขับเคลื่อนการส่งเสริมคุณธรรม จังหวัดสตูล")
    fiscal_year.results_text = "- จังหวัดสตูลรายงานผลไตรมาสละ ๑ ครั้ง"
    fiscal_year.save()
    measures = make_plan(fiscal_year)
    q1, q2 = fiscal_year.periods.get(quarter=1), fiscal_year.periods.get(quarter=2)
    a = AgencyFactory(code="AGA", name_th="สำนักงานเอ จังหวัดสตูล", is_lead=True, order=1)
    b = AgencyFactory(code="AGB", name_th="สำนักงานบี จังหวัดสตูล", order=2)
    c = AgencyFactory(code="AGC", name_th="สำนักงานซี จังหวัดสตูล", order=3)
    d = AgencyFactory(code="AGD", name_th="สำนักงานดี จังหวัดสตูล", order=4)
    reports = {
        "A": make_report(a, q1, measures, Status.APPROVED, MIXED, evidence=2),
        "B": make_report(b, q1, measures, Status.SUBMITTED, UNAPPROVED, days_late=3),
        "C": make_report(c, q1, measures, Status.DRAFT, DRAFT),
        "D": make_report(d, q1, measures, Status.RETURNED, RETURNED),
        "A2": make_report(a, q2, measures, Status.APPROVED, "ผลไตรมาสสองของสำนักงานเอ"),
    }
    # A file among A's evidence: linked to the portal's download, by its name.
    Evidence.objects.create(
        progress=reports["A"].progress.get(measure=measures[0]),
        kind=Evidence.Kind.FILE,
        file="evidence/abc.pdf",
        original_name="รายงานการประชุม.pdf",
    )
    return {
        "year": fiscal_year,
        "measures": measures,
        "agencies": {"A": a, "B": b, "C": c, "D": d},
        "reports": reports,
    }


@pytest.fixture
def alice(province):
    return make_reporter(province["agencies"]["A"], username="alice")


@pytest.fixture
def bob(province):
    return make_reporter(province["agencies"]["B"], username="bob")


@pytest.fixture
def rita(province):
    return make_reviewer(username="rita")


@pytest.fixture
def nobody(db):
    return UserFactory(username="nobody")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
