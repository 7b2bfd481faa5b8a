"""A small plan and the people who move reports through the workflow, for the public side's tests.

Reports are driven by the real workflow functions (submit, return, approve, reopen), so what the public side
reads is exactly what approval froze.
"""

import pytest
from django.core.files.base import ContentFile

from reports import workflow
from reports.models import Evidence, MeasureProgress, QuarterlyReport
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MeasureFactory,
    MeasureStepFactory,
    make_reporter,
    make_reviewer,
)


@pytest.fixture
def fiscal_year():
    return FiscalYearFactory(year=2565)


@pytest.fixture
def measures(fiscal_year):
    first = MeasureFactory(
        indicator=IndicatorFactory(fiscal_year=fiscal_year, number=1), text="จัดประชุมชี้แจงบุคลากร"
    )
    second = MeasureFactory(
        indicator=IndicatorFactory(fiscal_year=fiscal_year, number=9), text="เผยแพร่ข้อมูลบนเว็บไซต์"
    )
    MeasureStepFactory(measure=first, order=1, text="ขั้นตอนแรก")
    return [first, second]


@pytest.fixture
def agency():
    return AgencyFactory(code="AGA", name_th="สำนักงานเอ จังหวัดสตูล", name_en="Office A")


@pytest.fixture
def reporter(agency):
    return make_reporter(agency=agency, username="alice")


@pytest.fixture
def reviewer():
    return make_reviewer(username="rita")


class Flow:
    """Moves one agency's report for a quarter through the workflow, writing the given text."""

    def __init__(self, agency, reporter, reviewer, fiscal_year, measures):
        self.agency, self.reporter, self.reviewer = agency, reporter, reviewer
        self.fiscal_year, self.measures = fiscal_year, measures

    def report(self, quarter=1) -> QuarterlyReport:
        period = self.fiscal_year.periods.get(quarter=quarter)
        return workflow.get_or_create_report(agency=self.agency, period=period, user=self.reporter)

    def write(self, report, text, obstacles=""):
        report.progress.update(
            status=MeasureProgress.Status.IN_PROGRESS, result=text, obstacles=obstacles, percent=50
        )
        report.refresh_from_db()
        return report

    def add_link(self, report, url, description=""):
        progress = report.progress.order_by("measure__indicator__number").first()
        return Evidence.objects.create(
            progress=progress, kind=Evidence.Kind.LINK, url=url, description=description
        )

    def add_file(self, report, name, *, public):
        progress = report.progress.order_by("measure__indicator__number").first()
        evidence = Evidence(
            progress=progress,
            kind=Evidence.Kind.FILE,
            original_name=name,
            content_type="application/pdf",
            size=8,
            is_public=public,
        )
        evidence.file.save(name, ContentFile(b"%PDF-1.4"), save=False)
        evidence.save()
        return evidence

    def submit(self, report):
        return workflow.submit(report, self.reporter)

    def approve(self, report):
        return workflow.approve(report, self.reviewer)

    def send_back(self, report, reason):
        comments = {self.measures[0].pk: "REVIEWER-MEASURE-COMMENT"}
        return workflow.return_report(report, self.reviewer, reason=reason, measure_comments=comments)

    def reopen(self, report, reason):
        comments = {self.measures[0].pk: "REVIEWER-MEASURE-COMMENT"}
        return workflow.reopen(report, self.reviewer, reason=reason, measure_comments=comments)

    def published(self, text, quarter=1):
        """A report approved with `text`."""
        return self.approve(self.submit(self.write(self.report(quarter), text)))


@pytest.fixture
def flow(agency, reporter, reviewer, fiscal_year, measures):
    return Flow(agency, reporter, reviewer, fiscal_year, measures)
