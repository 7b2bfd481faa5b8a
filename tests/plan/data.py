"""A plan of ten indicators built with the factories, for the plan page's tests."""

from tests.factories import FiscalYearFactory, IndicatorFactory, MeasureFactory, MeasureStepFactory

# The plan's ten indicators as FY 2565 words them.
INDICATOR_NAMES = [
    "การปฏิบัติหน้าที่",
    "การใช้งบประมาณ",
    "การใช้อำนาจ",
    "การใช้ทรัพย์สินของทางราชการ",
    "การแก้ไขปัญหาการทุจริต",
    "ด้านคุณภาพการดำเนินงาน",
    "ด้านประสิทธิภาพการสื่อสาร",
    "ด้านการปรับปรุงการทำงาน",
    "ด้านการเปิดเผยข้อมูล",
    "ด้านการป้องกันการทุจริต",
]
OFFICIAL_TITLE = (
    "๓. แนวทาง / มาตรการขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสในการดำเนินงานของจังหวัดสตูล ประจำปีงบประมาณ พ.ศ. ๒๕๖๕"
)


def make_plan(year=2565, measures_per_indicator=1, steps_per_measure=2, **fiscal_year_fields):
    """A plan of ten indicators; every measure has numbered parts and steps with sub-points."""
    fiscal_year = FiscalYearFactory(year=year, **fiscal_year_fields)
    for number, name in enumerate(INDICATOR_NAMES, start=1):
        indicator = IndicatorFactory(fiscal_year=fiscal_year, number=number, name_th=name)
        for order in range(1, measures_per_indicator + 1):
            measure = MeasureFactory(
                indicator=indicator,
                order=order,
                text=f"๑. ส่วนแรก {number}.{order} ๒. ส่วนที่สอง {number}.{order}",
                parts=[f"ส่วนแรก {number}.{order}", f"ส่วนที่สอง {number}.{order}"],
            )
            for step in range(1, steps_per_measure + 1):
                MeasureStepFactory(
                    measure=measure,
                    order=step,
                    text=f"ขั้นตอน {number}.{order}.{step}",
                    sub_points=[
                        f"(๑) ข้อย่อยแรก {number}.{order}.{step}",
                        f"ข้อย่อยที่สอง {number}.{order}.{step}",
                    ],
                )
    return fiscal_year
