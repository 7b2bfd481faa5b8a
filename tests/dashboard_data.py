"""Data for the dashboard, rounds and reminder tests: a small province counted by hand, and a bulk one.

The small province, fiscal year 2565 (Q1 = Oct–Dec 2021, due 15 Jan 2022), seen on 20 Jan 2022:

    indicator 1: measure 1.1            indicator 2: measures 2.1, 2.2

    agency  Q1 report    1.1          2.1          2.2          standing      overdue
    A       approved     done         done         done         approved      no
    B       submitted    done         done         in progress  submitted     no
    C       returned     in progress  done         not started  returned      yes
    D       draft        done         –            –            draft         yes
    E       draft        –            –            –            not started   yes  (nothing saved)
    F       (none)                                              not started   yes
    G       approved     done         done         done         (inactive: never counted)

    A also has an approved Q2 report with 1.1 done.

    Turnaround: A Q1 2 days, C Q1 1 day, A Q2 2 days -> Q1 median 1.5, year median 2.0.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from measures.models import Agency, FiscalYear, Indicator, Measure, ReportingPeriod
from reports.models import MeasureProgress, QuarterlyReport
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MeasureFactory,
    make_reporter,
)

BKK = ZoneInfo("Asia/Bangkok")
TODAY = datetime.date(2022, 1, 20)
Status = QuarterlyReport.Status
Done = MeasureProgress.Status


def at(day: int, month: int = 1, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2022, month, day, hour, tzinfo=BKK)


@dataclass
class Province:
    year: FiscalYear
    q1: ReportingPeriod
    q2: ReportingPeriod
    indicators: list
    measures: list  # 1.1, 2.1, 2.2
    agencies: dict  # letter -> Agency
    reports: dict  # letter -> Q1 report
    a_q2: QuarterlyReport


def _report(agency, period, measures, statuses, status, *, submitted=None, decided=None):
    report = QuarterlyReport.objects.create(agency=agency, period=period)
    for measure, progress_status in zip(measures, statuses, strict=True):
        MeasureProgress.objects.create(
            report=report,
            measure=measure,
            status=progress_status,
            result="ผลการดำเนินงาน" if progress_status else "",
        )
    QuarterlyReport.objects.filter(pk=report.pk).update(
        status=status, submitted_at=submitted, decided_at=decided
    )
    report.refresh_from_db()
    return report


def build_province() -> Province:
    year = FiscalYearFactory(year=2565, is_active=True)
    q1 = year.periods.get(quarter=1)
    q2 = year.periods.get(quarter=2)
    ind1 = IndicatorFactory(fiscal_year=year, number=1, name_th="ตัวชี้วัดหนึ่ง")
    ind2 = IndicatorFactory(fiscal_year=year, number=2, name_th="ตัวชี้วัดสอง")
    m11 = MeasureFactory(indicator=ind1, order=1)
    m21 = MeasureFactory(indicator=ind2, order=1)
    m22 = MeasureFactory(indicator=ind2, order=2)
    measures = [m11, m21, m22]
    agencies = {
        letter: AgencyFactory(
            code=f"AG{letter}",
            name_th=f"หน่วยงาน {letter}",
            order=index,
            phone=f"074-00000{index}",
            is_active=letter != "G",
        )
        for index, letter in enumerate("ABCDEFG")
    }
    make_reporter(agencies["D"], username="d_reporter", first_name="สมชาย", last_name="ใจดี")
    make_reporter(agencies["D"], username="d_noemail", email="")
    blank = ""
    reports = {
        "A": _report(
            agencies["A"],
            q1,
            measures,
            [Done.DONE, Done.DONE, Done.DONE],
            Status.APPROVED,
            submitted=at(10),
            decided=at(12),
        ),
        "B": _report(
            agencies["B"],
            q1,
            measures,
            [Done.DONE, Done.DONE, Done.IN_PROGRESS],
            Status.SUBMITTED,
            submitted=at(14),
        ),
        "C": _report(
            agencies["C"],
            q1,
            measures,
            [Done.IN_PROGRESS, Done.DONE, Done.NOT_STARTED],
            Status.RETURNED,
            submitted=at(11),
            decided=at(12),
        ),
        "D": _report(agencies["D"], q1, measures, [Done.DONE, blank, blank], Status.DRAFT),
        "E": _report(agencies["E"], q1, measures, [blank, blank, blank], Status.DRAFT),
        "G": _report(
            agencies["G"],
            q1,
            measures,
            [Done.DONE, Done.DONE, Done.DONE],
            Status.APPROVED,
            submitted=at(10),
            decided=at(19),
        ),
    }
    a_q2 = _report(
        agencies["A"],
        q2,
        measures,
        [Done.DONE, Done.IN_PROGRESS, Done.IN_PROGRESS],
        Status.APPROVED,
        submitted=at(18, hour=0),
        decided=at(20, hour=0),
    )
    return Province(year, q1, q2, [ind1, ind2], measures, agencies, reports, a_q2)


def build_bulk_province(n_agencies: int, n_measures: int, *, quarters=(1, 2)) -> FiscalYear:
    """`n_agencies` active agencies, `n_measures` measures over 10 indicators, a report per agency and
    quarter in every status with one progress row per measure, all made with bulk_create."""
    year = FiscalYearFactory(year=2565, is_active=True)
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(fiscal_year=year, number=n, name_th=f"ตัวชี้วัด {n}", group=Indicator.group_for_number(n))
            for n in range(1, 11)
        ]
    )
    measures = Measure.objects.bulk_create(
        [
            Measure(indicator=indicators[i % 10], order=i // 10 + 1, text=f"มาตรการ {i}")
            for i in range(n_measures)
        ]
    )
    agencies = Agency.objects.bulk_create(
        [
            Agency(code=f"B{i:04d}", name_th=f"หน่วยงาน {i}", email=f"b{i}@example.go.th", order=i)
            for i in range(n_agencies)
        ]
    )
    statuses = list(Status)
    reports = QuarterlyReport.objects.bulk_create(
        [
            QuarterlyReport(
                agency=agency,
                period=period,
                status=statuses[i % len(statuses)],
                submitted_at=at(10),
                decided_at=at(11 + i % 5),
            )
            for period in year.periods.filter(quarter__in=quarters)
            for i, agency in enumerate(agencies)
            if i % 7  # every seventh agency has not started
        ]
    )
    progress_statuses = list(Done)
    MeasureProgress.objects.bulk_create(
        [
            MeasureProgress(
                report=report, measure=measure, status=progress_statuses[(r + m) % len(progress_statuses)]
            )
            for r, report in enumerate(reports)
            for m, measure in enumerate(measures)
        ],
        batch_size=2000,
    )
    return year
