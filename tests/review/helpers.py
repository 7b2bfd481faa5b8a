"""Shared set-up for the review tests: two agencies, a plan of two indicators and a World holding the five
personas by name, for tests parametrized over personas (the fixtures of tests/conftest.py are the same roles)."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from measures.models import Agency, Measure, ReportingPeriod
from reports import workflow
from reports.models import MeasureProgress, QuarterlyReport
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    LinkEvidenceFactory,
    MeasureFactory,
    make_admin,
    make_reporter,
    make_reviewer,
)


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    period: ReportingPeriod
    measures: list[Measure]
    reporter: object
    other_reporter: object
    reviewer: object
    admin: object
    report: QuarterlyReport

    def persona(self, name):
        return {
            "reviewer": self.reviewer,
            "admin": self.admin,
            "reporter": self.reporter,
            "other_reporter": self.other_reporter,
            "anonymous": AnonymousUser(),
        }[name]


PERSONAS = ["reviewer", "admin", "reporter", "other_reporter", "anonymous"]


def make_plan(fiscal_year, measures_per_indicator=1, indicators=(1, 2)):
    measures = []
    for number in indicators:
        for order in range(1, measures_per_indicator + 1):
            measures.append(
                MeasureFactory(indicator__fiscal_year=fiscal_year, indicator__number=number, order=order)
                if order == 1
                else MeasureFactory(indicator=measures[-1].indicator, order=order)
            )
    return measures


def complete(report, result="จัดประชุมชี้แจงบุคลากร จำนวน 2 ครั้ง"):
    for progress in report.progress.all():
        progress.status = MeasureProgress.Status.DONE
        progress.result = result
        progress.percent = 100
        progress.save()
        LinkEvidenceFactory(progress=progress)
    return report


def submitted_report(agency, period, reporter):
    report = workflow.get_or_create_report(agency=agency, period=period, user=reporter)
    complete(report)
    return workflow.submit(report, reporter)


def make_world(status=QuarterlyReport.Status.SUBMITTED, measures_per_indicator=1) -> World:
    fiscal_year = FiscalYearFactory(year=2565, is_active=True)
    period = fiscal_year.periods.get(quarter=1)
    measures = make_plan(fiscal_year, measures_per_indicator)
    agency = AgencyFactory(code="PROV", name_th="สำนักงานจังหวัดสตูล")
    other_agency = AgencyFactory(code="CDD", name_th="สำนักงานพัฒนาชุมชนจังหวัดสตูล")
    reporter = make_reporter(agency, username="reporter")
    other_reporter = make_reporter(other_agency, username="reporter2")
    reviewer = make_reviewer(username="reviewer")
    admin = make_admin(username="admin")
    report = workflow.get_or_create_report(agency=agency, period=period, user=reporter)
    complete(report)
    if status != QuarterlyReport.Status.DRAFT:
        workflow.submit(report, reporter)
    if status == QuarterlyReport.Status.RETURNED:
        workflow.return_report(report, reviewer, reason="โปรดแก้ไข")
    elif status == QuarterlyReport.Status.APPROVED:
        workflow.approve(report, reviewer)
    report.refresh_from_db()
    return World(agency, other_agency, period, measures, reporter, other_reporter, reviewer, admin, report)
