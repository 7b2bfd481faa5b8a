"""The plan import: the parser's rules of the format, and the command against the real plan (data/plan-2565.tsv)."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.models import FiscalYear, Indicator, Measure, MeasureStep, ReportingPeriod
from measures.plan_import import (
    PlanFormatError,
    list_items,
    numbered_items,
    parse_parts,
    parse_plan,
    parse_steps,
    resolve_merged_column,
    split_sub_points,
)
from tests.factories import MeasureProgressFactory
from tests.oit_data import load_indicator_table

PLAN_FILE = settings.BASE_DIR / "data" / "plan-2565.tsv"
RESPONSIBLE = "ส่วนราชการประจำจังหวัดสตูล ทั้ง ๓๓ ส่วน โดยมีสำนักงานจังหวัดสตูล เป็นหน่วยงานหลัก"
MONITORING_1 = "๑. รายงานการกำกับติดตามผลการดำเนินการฯ ให้จังหวัดทราบ เพื่อจะได้รายงานต่อผู้ว่าราชการจังหวัดต่อไป"
MONITORING_PAGE_1 = (
    f"{MONITORING_1} ๒. รายงานการกำกับติดตามให้คณะกรรมการการดำเนินงานตามยุทธศาสตร์ชาติว่าด้วยการป้องกันและ"
    "ปราบปรามการทุจริตจังหวัดสตูล ไตรมาสละ ๑ ครั้ง"
)
MONITORING_PAGE_2 = (
    f"{MONITORING_1} ๒. รายงานการกำกับติดตามให้คณะอนุกรรมการการดำเนินงานตามยุทธศาสตร์ชาติว่าด้วยการป้องกันและ"
    "ปราบปรามการทุจริตจังหวัดสตูล ไตรมาสละ ๑ ครั้ง"
)
# Page 3: "๑. …" on row ๘ and "๒. …" on row ๙ are one merged cell cut in two; it belongs to rows ๘, ๙ and ๑๐.
MONITORING_PAGE_3 = (
    f"{MONITORING_1} ๒. รายงานการกำกับติดตามให้คณะอนุกรรมการดำเนินงานตามยุทธศาสตร์ชาติว่าด้วยการป้องกันและ"
    "ปราบปรามการทุจริตจังหวัดสตูล ไตรมาสละ ๑ ครั้ง"
)

NAMES = {
    1: ("การปฏิบัติหน้าที่", "", Indicator.Group.IIT),
    2: ("การใช้งบประมาณ", "", Indicator.Group.IIT),
    3: ("การใช้อำนาจ", "", Indicator.Group.IIT),
    4: ("การใช้ทรัพย์สินของทางราชการ", "การใช้ทรัพย์สินของราชการ", Indicator.Group.IIT),
    5: ("การแก้ไขปัญหาการทุจริต", "", Indicator.Group.IIT),
    6: ("ด้านคุณภาพการดำเนินงาน", "คุณภาพการดำเนินงาน", Indicator.Group.EIT),
    7: ("ด้านประสิทธิภาพการสื่อสาร", "ประสิทธิภาพการสื่อสาร", Indicator.Group.EIT),
    8: ("ด้านการปรับปรุงการทำงาน", "การปรับปรุงระบบการทำงาน", Indicator.Group.EIT),
    9: ("ด้านการเปิดเผยข้อมูล", "การเปิดเผยข้อมูล", Indicator.Group.OIT),
    10: ("ด้านการป้องกันการทุจริต", "การป้องกันการทุจริต", Indicator.Group.OIT),
}

EXPECTED = {
    1: {
        "text": "จัดประชุมชี้แจงฯ",
        "parts": [],
        "steps": [
            (
                "เผยแพร่ข้อมูลการดำเนินงานตามอำนาจหน้าที่ของหน่วยงานผ่านทางเว็บไซต์หน่วยงาน และเว็บไซต์จังหวัดสตูล http://www.satun.go.th และช่องทางอื่นๆ ต่อสาธารณะเพื่อให้ผู้บริการและผู้มีส่วนได้ส่วนเสียทราบ รวมทั้งเปิดโอกาสให้เข้ามามีส่วนร่วมในการปรับปรุงและพัฒนาการดำเนินงานของหน่วยงาน",
                [],
            ),
        ],
    },
    2: {
        "text": "๑. สร้างการรับรู้เกี่ยวกับการจัดทำแผนการใช้จ่ายงบประมาณรายจ่ายประจำปีของหน่วยงาน ๒. การเปิดโอกาสให้บุคคลภายในหน่วยงานมีส่วนร่วมในการตรวจสอบการใช้จ่ายงบประมาณ",
        "parts": [
            "สร้างการรับรู้เกี่ยวกับการจัดทำแผนการใช้จ่ายงบประมาณรายจ่ายประจำปีของหน่วยงาน",
            "การเปิดโอกาสให้บุคคลภายในหน่วยงานมีส่วนร่วมในการตรวจสอบการใช้จ่ายงบประมาณ",
        ],
        "steps": [
            ("แจ้งเวียนแผนการใช้จ่ายงบประมาณรายจ่ายประจำปีของหน่วยงานให้บุคลากรในหน่วยงานได้รับทราบ", []),
            (
                "ประชาสัมพันธ์แผนการใช้จ่ายงบประมาณรายจ่ายประจำปีของหน่วยงานผ่านช่องทางต่างๆ เช่น เว็บไซต์ของหน่วยงาน http://www.satun.go.th",
                [],
            ),
            (
                "จัดประชุมชี้แจงการใช้จ่ายงบประมาณของหน่วยงานให้บุคลากรภายในได้รับทราบพร้อมกับรับฟังความคิดเห็นและข้อเสนอแนะต่างๆ",
                [],
            ),
            (
                "เปิดโอกาสให้บุคลากรในหน่วยงานมีส่วนร่วมในการตรวจสอบการใช้จ่ายงบประมาณ และเผยแพร่การใช้จ่ายงบประมาณ ประจำปี การจัดซื้อจัดจ้าง หรือการจัดหาพัสดุ ให้บุคลากรในหน่วยงานและสาธารณชนรับทราบอย่างชัดเจน มีความโปร่งใสสามารถตรวจสอบได้ และนำขึ้นเว็บไซต์ของหน่วยงานเพื่อเผยแพร่ข้อมูลที่เป็นปัจจุบัน",
                [],
            ),
        ],
    },
    3: {
        "text": "ปฏิบัติงานในการให้บริการแก่ผู้รับบริการผู้มาติดต่อราชการด้วยความโปร่งใส เป็นไปตามขั้นตอนและระยะเวลา",
        "parts": [],
        "steps": [
            (
                "จัดทำประกาศจังหวัดสตูล ลงวันที่ ๖ มกราคม ๒๕๖๕ เรื่อง “สุจริต โปร่งใส สตูลใสสะอาด ๒๕๖๕” และงดรับงดให้ของขวัญ ของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy) เพื่อป้องกันการทุจริตและประพฤติมิชอบโดยมีแนวทางการดำเนินการ ดังนี้",
                [
                    "ไม่ถวายนำถึงการให้หรือรับของขวัญ ของที่ระลึกของกำนัลหรือประโยชน์อื่นใด",
                    "ไม่ให้หรือไม่รับทรัพย์สินหรือประโยชน์อื่นใด",
                    "ไม่ยินยอมให้บุคคลในครอบครัวใช้ตำแหน่งหน้าที่ของตนในการเรียกรับของขวัญหรือประโยชน์อื่นใดกับผู้ที่มีความเกี่ยวข้องในการปฏิบัติงาน",
                    "กรณีจำเป็นต้องให้ ต้องรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา หรือตามปกติประเพณีนิยม หรือเพื่อรักษาไมตรี มิตรภาพ ความสัมพันธ์อันดีระหว่างบุคคล ก่อนการให้หรือรับของขวัญของที่ระลึก ของกำนัลหรือประโยชน์อื่นใด ต้องตรวจสอบให้แน่ใจว่า ได้ปฏิบัติตามกฎหมาย ระเบียบต่าง ๆ ที่เกี่ยวข้องแล้ว โดยสิ่งของหรือของขวัญหรือประโยชน์อื่นใดที่ให้หรือรับแก่กันนั้น ต้องมีมูลค่าในการรับจากบุคคล แต่ละโอกาสไม่เกิน ๓,๐๐๐ บาท หากเกิน ๓,๐๐๐ บาท ต้องรายงานให้ผู้บังคับบัญชาทราบ ทั้งนี้ ให้พึงระวังการตีมูลค่าของขวัญหรือประโยชน์อื่นใดต่ำกว่าความเป็นจริง",
                ],
            ),
        ],
    },
    4: {
        "text": "การขออนุญาตเพื่อใช้ทรัพย์สินของราชการไปใช้ปฏิบัติงานในหน่วยงานอย่างถูกต้อง",
        "parts": [],
        "steps": [
            (
                "จัดทำผังขั้นตอนหรือคู่มือการขออนุญาตเพื่อใช้ทรัพย์สินของราชการไปใช้ปฏิบัติงานในหน่วยงานให้มีความสะดวกและชัดเจนมากขึ้น และนำขึ้นเว็บไซต์ของหน่วยงานเพื่อเผยแพร่ข้อมูลที่เป็นปัจจุบัน",
                [],
            ),
        ],
    },
    5: {
        "text": "การป้องกันการทุจริต",
        "parts": [],
        "steps": [
            (
                "ให้ส่วนราชการตรวจสอบข้อมูลช่องทางการรับเรื่องร้องเรียนการทุจริตของหน่วยงาน เพื่อนำมาปรับปรุงข้อมูลช่องทางการปฏิบัติงานเรื่องร้องเรียนการทุจริตจังหวัดสตูล ให้ครอบคลุมส่วนราชการประจำจังหวัดสตูลทุกส่วนราชการ และจะได้เผยแพร่ทางเว็บไซต์จังหวัดสตูลต่อไป",
                [],
            ),
            (
                "ผู้ว่าราชการจังหวัดสตูล ได้ประกาศจังหวัดสตูล เรื่องประกาศเจตจำนงสุจริตในการบริหารงาน และได้แจ้งส่วนราชการทุกส่วน อำเภอ และองค์กรปกครองส่วนท้องถิ่นทราบและถือปฏิบัติ",
                [],
            ),
            (
                "จังหวัดสตูลได้จัดทำแผนปฏิบัติการป้องกันและปราบปรามการทุจริตประพฤติมิชอบจังหวัดสตูล ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ และมีการกำกับติดตามผลการดำเนินงานตามแนวปฏิบัติการฯ รอบ ๖ เดือน และรอบ ๑๒ เดือน",
                [],
            ),
        ],
    },
    6: {
        "text": "๑. การปฏิบัติงานในการให้บริการแก่ผู้มารับบริการ ผู้มาติดต่อราชการด้วยความโปร่งใสเป็นไปตามขั้นตอนและระยะเวลาที่กำหนด ๒. บริการอย่างเท่าเทียมกัน",
        "parts": [
            "การปฏิบัติงานในการให้บริการแก่ผู้มารับบริการ ผู้มาติดต่อราชการด้วยความโปร่งใสเป็นไปตามขั้นตอนและระยะเวลาที่กำหนด",
            "บริการอย่างเท่าเทียมกัน",
        ],
        "steps": [
            (
                "จัดทำคู่มือ/แผนผัง/ขั้นตอนการปฏิบัติงาน/ระยะเวลาที่กำหนดพร้อมทั้งประชาสัมพันธ์ให้กับผู้ที่มาติดต่อราชการรับทราบผ่านช่องทางต่างๆ",
                [],
            ),
            (
                "นำผลความประเมินความพึงพอใจของผู้รับบริการและผู้มีส่วนได้ส่วนเสีย ในปีงบประมาณ พ.ศ. ๒๕๖๔ มาปรับปรุงคุณภาพการดำเนินงานและพัฒนาการให้บริการ ในปีงบประมาณ พ.ศ. ๒๕๖๕ ได้ดียิ่งขึ้น",
                [],
            ),
            ("จัดทำประกาศมาตรฐานในการปฏิบัติงานพร้อมกับประชาสัมพันธ์ผ่านเว็บไซต์ของหน่วยงาน หรือช่องทางต่างๆ", []),
        ],
    },
    7: {
        "text": "การเผยแพร่ข้อมูลของหน่วยงานเข้าถึงข้อมูลได้ง่ายไม่ซ้ำซ้อน มีช่องทางหลากหลาย",
        "parts": [],
        "steps": [
            (
                "กำหนดผู้รับผิดชอบจัดทำช่องทางในการรับฟังความคิดเห็น ข้อเสนอแนะ และข้อร้องเรียนของผู้รับบริการและผู้มีส่วนได้ส่วนเสียที่มีผลต่อการพัฒนาและดำเนินงานของ เช่น โทรศัพท์ เว็บไซต์ จดหมาย กล่องรับฟังความคิดเห็น กิจกรรมต่างๆ เป็นต้น",
                [],
            ),
        ],
    },
    8: {
        "text": "การปรับปรุงคุณภาพการปฏิบัติงาน และการให้บริการต่อประชาชนให้ดียิ่งขึ้น",
        "parts": [],
        "steps": [
            (
                "เปิดโอกาสให้ผู้รับบริการ ผู้มาติดต่อ หรือผู้มีส่วนได้ส่วนเสีย เข้ามามีส่วนร่วมในการปรับปรุงการทำงานของหน่วยงาน และจัดทำผังขั้นตอนการให้บริการที่ชัดเจน โดยเผยแพร่ให้ประชาชนเข้าถึงได้ง่าย ไม่ซับซ้อน และมีช่องทางหลากหลาย ตลอดจนเห็นความสำคัญของการเปิดเผยข้อมูลสาธารณะ การให้บริการผ่านระบบ e-service",
                [],
            ),
        ],
    },
    9: {
        "text": "ต้องเข้าถึงผ่าน URL บนเว็บไซต์หลักของหน่วยงานโดยตรง",
        "parts": [],
        "steps": [
            ("เพิ่มช่องทางการปฏิสัมพันธ์กับผู้รับบริการและประชาชนทั่วไป ผ่านระบบ e-service", []),
            (
                "มีการเผยแพร่ข้อมูลข่าวสารของหน่วยงานให้สาธารณชนได้รับทราบทางเว็บไซต์หน่วยงานและเว็บไซต์จังหวัดสตูล www.satun.go.th ให้เป็นปัจจุบัน",
                [],
            ),
        ],
    },
    10: {
        "text": "จัดอบรมการประเมิน ITA ชี้แจงแนวทาง",
        "parts": [],
        "steps": [
            (
                "จัดทำประกาศจังหวัดสตูล เรื่อง มาตรการเปิดโอกาสให้ภาคประชาชนหรือผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงานของหน่วยงาน โดยจังหวัดสตูลได้กำหนดให้ทุกส่วนราชการประจำจังหวัดสตูล ปฏิบัติตามมาตรการเปิดโอกาสให้ภาคประชาชนหรือผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงานของหน่วยงาน และปฏิบัติตามนโยบายการต่อต้านการรับสินบน เพื่อป้องกันการทุจริตและประพฤติ โดยกำหนดผู้รับผิดชอบหรือผู้ที่เกี่ยวข้อง ขั้นตอนหรือวิธีการปฏิบัติ แนวทางกำกับติดตามและการรายงานผลการดำเนินการให้จังหวัดสตูลทราบ",
                [],
            ),
        ],
    },
}


def plan_text():
    return PLAN_FILE.read_text(encoding="utf-8")


def plan_lines():
    return plan_text().split("\n")


def write_variant(tmp_path, text, name="plan-2565.tsv", encoding="utf-8"):
    """An edited copy, under the real file's name unless told (the file name is stored as the source)."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def replace_once(text, old, new):
    assert text.count(old) == 1, old
    return text.replace(old, new)


def set_cell(lines, line_number, column, value):
    cells = lines[line_number - 1].split("\t")
    cells[column] = value
    lines[line_number - 1] = "\t".join(cells)
    return lines


def run_import(path, *args):
    out = io.StringIO()
    call_command("import_plan", str(path), *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every plan row's content, to show that a refused import wrote nothing."""
    return [
        list(
            FiscalYear.objects.order_by("pk").values_list(
                "pk", "year", "title", "results_text", "source_name"
            )
        ),
        list(ReportingPeriod.objects.order_by("pk").values_list("pk", "quarter", "due_date")),
        list(
            Indicator.objects.order_by("pk").values_list(
                "pk", "number", "name_th", "name_en", "official_name_th"
            )
        ),
        list(
            Measure.objects.order_by("pk").values_list(
                "pk", "order", "text", "parts", "responsible", "monitoring"
            )
        ),
        list(
            MeasureStep.objects.order_by("pk").values_list("pk", "measure_id", "order", "text", "sub_points")
        ),
    ]


# ---------------------------------------------------------------------------------------------------------------
# Cell rules (pure functions)
# ---------------------------------------------------------------------------------------------------------------


def test_numbered_items_split_on_thai_numbers_with_or_without_dot():
    assert numbered_items("๑. ก ข ๒ ค ง ๓. จ") == (1, ["ก ข", "ค ง", "จ"])


def test_numbers_inside_an_item_do_not_split_it():
    text = (
        "๑. มูลค่าไม่เกิน ๓,๐๐๐ บาท ในปีงบประมาณ พ.ศ. ๒๕๖๕ รายงานไตรมาสละ ๑ ครั้ง เวลา ๐๘.๐๐ น. "
        "๒. ประกาศ ลงวันที่ ๖ มกราคม ๒๕๖๕ ติดตามรอบ ๖ เดือน และรอบ ๑๒ เดือน ๓ ครั้ง "
        "๓ ทั้ง ๓๓ ส่วน"
    )
    assert numbered_items(text) == (
        1,
        [
            "มูลค่าไม่เกิน ๓,๐๐๐ บาท ในปีงบประมาณ พ.ศ. ๒๕๖๕ รายงานไตรมาสละ ๑ ครั้ง เวลา ๐๘.๐๐ น.",
            "ประกาศ ลงวันที่ ๖ มกราคม ๒๕๖๕ ติดตามรอบ ๖ เดือน และรอบ ๑๒ เดือน ๓ ครั้ง",
            "ทั้ง ๓๓ ส่วน",
        ],
    )


def test_a_bare_number_out_of_sequence_stays_in_the_text():
    assert numbered_items("๑. ทำ ๓ อย่าง ๒. ส่ง") == (1, ["ทำ ๓ อย่าง", "ส่ง"])


def test_text_not_opening_with_a_number_is_not_a_numbered_list():
    assert numbered_items("จัดทำประกาศ ๑. ข้อแรก") is None
    assert list_items("จัดทำประกาศ ๑. ข้อแรก ๒. ข้อสอง") == ["จัดทำประกาศ ๑. ข้อแรก ๒. ข้อสอง"]


def test_cell_opening_with_a_quantity_is_not_a_numbered_list():
    assert numbered_items("๑ ครั้ง ต่อไตรมาส ๒ ครั้ง ต่อปี") is None
    assert [s.text for s in parse_steps("๑ ครั้ง ต่อไตรมาส ๒ ครั้ง ต่อปี")] == ["๑ ครั้ง ต่อไตรมาส ๒ ครั้ง ต่อปี"]


def test_dash_bullets_become_items():
    assert list_items("- แจ้งเวียน - ประชาสัมพันธ์ผ่าน e-service - จัดประชุม") == [
        "แจ้งเวียน",
        "ประชาสัมพันธ์ผ่าน e-service",
        "จัดประชุม",
    ]


def test_sub_points_stay_inside_their_step_after_its_lead_text():
    lead, points = split_sub_points("แนวทาง ดังนี้ (๑) ไม่ให้ (๒) ไม่รับ (No Gift Policy) (๓) รายงาน")
    assert lead == "แนวทาง ดังนี้"
    assert points == ["ไม่ให้", "ไม่รับ (No Gift Policy)", "รายงาน"]


def test_steps_cell_without_markers_is_one_step():
    steps = parse_steps("เผยแพร่ข้อมูลผ่านเว็บไซต์ พ.ศ. ๒๕๖๕ ไตรมาสละ ๑ ครั้ง")
    assert [(s.order, s.text, s.sub_points) for s in steps] == [
        (1, "เผยแพร่ข้อมูลผ่านเว็บไซต์ พ.ศ. ๒๕๖๕ ไตรมาสละ ๑ ครั้ง", [])
    ]


def test_numbered_steps_keep_order_and_sub_points():
    steps = parse_steps("๑. ก (๑) ข (๒) ค ๒ ง")
    assert [(s.order, s.text, s.sub_points) for s in steps] == [(1, "ก", ["ข", "ค"]), (2, "ง", [])]


def test_measure_parts_are_its_numbered_items():
    assert parse_parts("๑. สร้างการรับรู้ ๒. เปิดโอกาส") == ["สร้างการรับรู้", "เปิดโอกาส"]
    assert parse_parts("การป้องกันการทุจริต") == []


def test_blank_merged_cell_continues_the_cell_above_within_the_page():
    assert resolve_merged_column(["ก", "", "", "ข", ""]) == ["ก", "ก", "ก", "ข", "ข"]
    assert resolve_merged_column(["", "ก"]) == ["", "ก"]


def test_numbered_fragments_of_a_merged_cell_are_joined_for_every_row_of_the_page():
    assert resolve_merged_column(["", "๑. ก", "", "๒. ข ๓. ค", ""]) == ["๑. ก ๒. ข ๓. ค"] * 5


def test_separately_numbered_cells_are_not_fragments():
    assert resolve_merged_column(["๑. ก", "๑. ข", ""]) == ["๑. ก", "๑. ข", "๑. ข"]
    assert resolve_merged_column(["๑. ก", "๓. ข"]) == ["๑. ก", "๓. ข"]


def test_fragment_rule_works_on_any_page_not_only_the_third():
    lines = plan_lines()
    set_cell(lines, 7, 5, "๑. รายงานจังหวัด")
    set_cell(lines, 9, 5, "๒. รายงานคณะอนุกรรมการ ไตรมาสละ ๑ ครั้ง")
    plan = parse_plan("\n".join(lines))
    assert [plan.indicators[i].measures[0].monitoring for i in range(3)] == [
        "๑. รายงานจังหวัด ๒. รายงานคณะอนุกรรมการ ไตรมาสละ ๑ ครั้ง"
    ] * 3


def test_merged_cells_do_not_continue_across_a_page_header():
    lines = plan_lines()
    set_cell(lines, 12, 4, "")  # first row of page 2 blank: nothing above it on its page
    plan = parse_plan("\n".join(lines))
    assert plan.indicators[3].measures[0].responsible == ""
    assert plan.indicators[2].measures[0].responsible == RESPONSIBLE


def test_fiscal_year_read_from_the_title_with_thai_digits_and_spaced_pho_so():
    plan = parse_plan(plan_text())
    assert plan.year == 2565
    assert plan.title.endswith("ประจำปี งบประมาณ พ. ศ. ๒๕๖๕")


def test_repeated_header_rows_are_not_data():
    plan = parse_plan(plan_text())
    assert [ind.number for ind in plan.indicators] == list(range(1, 11))
    assert all(ind.name_th != "ตัวชี้วัด" for ind in plan.indicators)


def test_row_without_number_is_a_further_measure_of_the_indicator_above():
    text = replace_once(plan_text(), "\n\nผลการดำเนินการ", "\n\t\tมาตรการเพิ่มเติม\t- ก - ข\t\t\n\nผลการดำเนินการ")
    indicator = parse_plan(text).indicators[9]
    assert [(m.order, m.text) for m in indicator.measures] == [
        (1, "จัดอบรมการประเมิน ITA ชี้แจงแนวทาง"),
        (2, "มาตรการเพิ่มเติม"),
    ]
    assert [s.text for s in indicator.measures[1].steps] == ["ก", "ข"]
    assert indicator.measures[1].monitoring == MONITORING_PAGE_3


def test_windows_line_endings_and_bom_are_accepted():
    plan = parse_plan("\ufeff" + plan_text().replace("\n", "\r\n"))
    assert len(plan.indicators) == 10
    assert plan.indicators[0].measures[0].monitoring == MONITORING_PAGE_1


# ---------------------------------------------------------------------------------------------------------------
# The real plan, imported
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def indicator_table(request):
    """The plan is read against its year's ITA indicator table (data of oit): FY 2565's, for tests with a database."""
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
        load_indicator_table(2565)


def nothing_of_the_plan_written() -> bool:
    """Only the year its ITA indicator table made: no title, no periods, no indicators."""
    years = list(FiscalYear.objects.values_list("year", "title"))
    return years == [(2565, "")] and not ReportingPeriod.objects.exists() and not Indicator.objects.exists()


@pytest.fixture
def imported(db):
    return run_import(PLAN_FILE)


def test_import_creates_the_ten_indicators_with_the_plans_names(imported):
    indicators = Indicator.objects.filter(fiscal_year__year=2565).order_by("number")
    assert [(i.number, i.name_th, i.official_name_th, i.group) for i in indicators] == [
        (number, *NAMES[number]) for number in range(1, 11)
    ]
    assert all(i.name_en for i in indicators)
    assert indicators.get(number=8).name_en == "Improvement of the work system"


def test_import_reproduces_every_measure_and_step_in_order(imported):
    for number, expected in EXPECTED.items():
        measures = list(Measure.objects.filter(indicator__number=number).order_by("order"))
        assert [(m.order, m.text, m.parts) for m in measures] == [(1, expected["text"], expected["parts"])], (
            number
        )
        steps = list(measures[0].steps.order_by("order").values_list("order", "text", "sub_points"))
        assert steps == [
            (order, text, sub) for order, (text, sub) in enumerate(expected["steps"], start=1)
        ], number


def test_import_step_and_part_counts(imported):
    counts = {
        m.indicator.number: (m.steps.count(), len(m.parts), sum(len(s.sub_points) for s in m.steps.all()))
        for m in Measure.objects.select_related("indicator")
    }
    assert counts == {
        1: (1, 0, 0),
        2: (4, 2, 0),
        3: (1, 0, 4),
        4: (1, 0, 0),
        5: (3, 0, 0),
        6: (3, 2, 0),
        7: (1, 0, 0),
        8: (1, 0, 0),
        9: (2, 0, 0),
        10: (1, 0, 0),
    }


def test_import_resolves_the_merged_responsible_and_monitoring_cells(imported):
    resolved = dict(Measure.objects.values_list("indicator__number", "monitoring"))
    assert resolved == {
        **dict.fromkeys([1, 2, 3], MONITORING_PAGE_1),
        **dict.fromkeys([4, 5, 6, 7], MONITORING_PAGE_2),
        **dict.fromkeys([8, 9, 10], MONITORING_PAGE_3),
    }
    assert set(Measure.objects.values_list("responsible", flat=True)) == {RESPONSIBLE}


def test_import_keeps_the_results_section_with_the_fiscal_year(imported):
    results = FiscalYear.objects.get(year=2565).results_text.split("\n")
    assert len(results) == 6
    assert results[0].startswith("- จังหวัดสตูลได้มีการประกาศ ลงวันที่ ๖ มกราคม ๒๕๖๕")
    assert results[1] == " - ไม่ถวายนำถึงการให้หรือรับของขวัญ ของที่ระลึก ของกำนัลหรือประโยชน์อื่นใด"
    assert results[2] == " - ไม่ให้หรือไม่รับทรัพย์สินหรือประโยชน์อื่นใด"
    assert results[4].startswith("- จังหวัดสตูลจัดโครงการการประเมินคุณธรรมและความโปร่งใส")
    assert results[5].endswith("รายงานผลให้จังหวัดสตูลทราบไตรมาสละ ๑ ครั้ง")


def test_import_sets_the_fiscal_year_title_source_and_quarters(imported):
    year = FiscalYear.objects.get()
    assert year.year == 2565
    assert year.title.startswith("๓. แนวทาง / มาตรการขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใส")
    assert year.source_name == "plan-2565.tsv"
    assert list(year.periods.values_list("quarter", flat=True)) == [1, 2, 3, 4]
    assert year.is_active is False  # activating a year is an admin's (or setup_demo's) choice


def test_import_reports_each_created_object(imported):
    lines = imported.splitlines()
    # The year itself exists already: loading its ITA indicator table made it.
    assert "updated fiscal year 2565: title, results_text, source_name" in lines
    assert "created indicator 8 ด้านการปรับปรุงการทำงาน" in lines
    assert "created step 2.1.4" in lines
    assert (
        len([line for line in lines if line.startswith("created step")]) == MeasureStep.objects.count() == 18
    )


def test_second_import_changes_nothing_and_says_so(imported):
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        output = run_import(PLAN_FILE)
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert output.strip() == "fiscal year 2565: no changes"
    assert snapshot() == before


def test_edited_file_updates_in_place_and_prints_the_changes(imported, tmp_path):
    step_pk = MeasureStep.objects.get(measure__indicator__number=2, order=1).pk
    indicator_pk = Indicator.objects.get(number=8).pk
    text = plan_text()
    text = replace_once(text, "- แจ้งเวียนแผนการใช้จ่าย", "- แจ้งเวียนและประกาศแผนการใช้จ่าย")
    text = replace_once(text, " - จัดประชุมชี้แจงการใช้จ่ายงบประมาณ", " - ประชุมชี้แจงการใช้จ่ายงบประมาณ")
    text = replace_once(text, "ด้านการปรับปรุงการทำงาน", "ด้านการปรับปรุงการทำงานของหน่วยงาน")
    text = replace_once(text, "\t- เพิ่มช่องทางการปฏิสัมพันธ์", "\t- ขั้นตอนใหม่ - เพิ่มช่องทางการปฏิสัมพันธ์")
    output = run_import(write_variant(tmp_path, text))

    assert output.splitlines() == [
        "updated step 2.1.1: text",
        "updated step 2.1.3: text",
        "updated indicator 8: name_th",
        "updated step 9.1.1: text",
        "updated step 9.1.2: text",
        "created step 9.1.3",
        "fiscal year 2565: 6 change(s)",
    ]
    step = MeasureStep.objects.get(pk=step_pk)
    assert step.text.startswith("แจ้งเวียนและประกาศแผนการใช้จ่าย")
    assert Indicator.objects.get(pk=indicator_pk).name_th == "ด้านการปรับปรุงการทำงานของหน่วยงาน"
    assert list(
        MeasureStep.objects.filter(measure__indicator__number=9)
        .order_by("order")
        .values_list("text", flat=True)
    ) == ["ขั้นตอนใหม่", EXPECTED[9]["steps"][0][0], EXPECTED[9]["steps"][1][0]]


def test_edited_file_deletes_steps_and_measures_that_disappeared(imported, tmp_path):
    with_extra = replace_once(
        plan_text(), "\n\nผลการดำเนินการ", "\n\t\tมาตรการเพิ่มเติม\t- ก - ข\t\t\n\nผลการดำเนินการ"
    )
    run_import(write_variant(tmp_path, with_extra, "first/plan-2565.tsv"))
    assert Measure.objects.filter(indicator__number=10).count() == 2
    fewer_steps = replace_once(
        plan_text(), " - เปิดโอกาสให้บุคลากรในหน่วยงานมีส่วนร่วม", " และเปิดโอกาสให้บุคลากรในหน่วยงานมีส่วนร่วม"
    )

    output = run_import(write_variant(tmp_path, fewer_steps))

    assert output.splitlines() == [
        "updated step 2.1.3: text",
        "deleted step 2.1.4",
        "deleted measure 10.2",
        "fiscal year 2565: 3 change(s)",
    ]
    assert Measure.objects.filter(indicator__number=10).count() == 1
    assert MeasureStep.objects.filter(measure__indicator__number=2).count() == 3


def test_measure_with_reports_is_not_deleted_and_nothing_is_written(imported, tmp_path):
    with_extra = replace_once(
        plan_text(), "\n\nผลการดำเนินการ", "\n\t\tมาตรการเพิ่มเติม\t- ก - ข\t\t\n\nผลการดำเนินการ"
    )
    run_import(write_variant(tmp_path, with_extra, "extra.tsv"))
    MeasureProgressFactory(measure=Measure.objects.get(indicator__number=10, order=2))
    before = snapshot()
    # Renames indicator 1 (written first) and drops measure 10.2 (refused last): the whole import rolls back.
    edited = replace_once(plan_text(), "\tการปฏิบัติหน้าที่\t", "\tการปฏิบัติหน้าที่ราชการ\t")

    with pytest.raises(CommandError, match="measure 10.2"):
        run_import(write_variant(tmp_path, edited))
    assert snapshot() == before


def test_year_option_overrides_the_title(db):
    out = run_import(PLAN_FILE, "--year", "2566")
    assert list(
        FiscalYear.objects.filter(indicators__isnull=False).distinct().values_list("year", flat=True)
    ) == [2566]
    assert Indicator.objects.filter(fiscal_year__year=2566).count() == 10
    # FY 2566 has no ITA indicator table of its own yet: the plan is read against the newest earlier one.
    assert "fiscal year 2566 has no ITA indicator table yet: read against 2565's" in out


def test_a_plan_without_any_ita_indicator_table_is_refused(db):
    FiscalYear.objects.all().delete()
    with pytest.raises(CommandError, match="import_ita_indicators data/ita-2565-indicators.csv --year 2565"):
        run_import(PLAN_FILE)
    assert not FiscalYear.objects.exists()


def test_official_names_and_groups_come_from_the_years_indicator_table(db, tmp_path):
    table = tmp_path / "table.csv"
    rows = ["number,group,name_th,name_en"] + [f"{n},OIT,ชื่อทางการ {n},Official {n}" for n in range(1, 11)]
    table.write_text("\n".join(rows), encoding="utf-8")
    call_command("import_ita_indicators", str(table), "--year", "2567", stdout=io.StringIO())
    run_import(PLAN_FILE, "--year", "2567")
    indicator = Indicator.objects.get(fiscal_year__year=2567, number=3)
    assert (indicator.group, indicator.official_name_th, indicator.name_en) == (
        "OIT",
        "ชื่อทางการ 3",
        "Official 3",
    )


def test_title_without_a_year_needs_the_year_option(db, tmp_path):
    path = write_variant(tmp_path, replace_once(plan_text(), "งบประมาณ พ. ศ. ๒๕๖๕", "งบประมาณ"))
    with pytest.raises(CommandError, match="--year"):
        run_import(path)
    assert nothing_of_the_plan_written()
    run_import(path, "--year", "2565")
    assert Indicator.objects.count() == 10


# ---------------------------------------------------------------------------------------------------------------
# Malformed files: an error naming the line, and nothing written
# ---------------------------------------------------------------------------------------------------------------


def _drop_cell(line_number, column):
    def edit(lines):
        cells = lines[line_number - 1].split("\t")
        del cells[column]
        lines[line_number - 1] = "\t".join(cells)
        return "\n".join(lines)

    return edit


def _set(line_number, column, value):
    return lambda lines: "\n".join(set_cell(lines, line_number, column, value))


def _delete_line(line_number):
    return lambda lines: "\n".join(lines[: line_number - 1] + lines[line_number:])


def _insert_row(before_line, row):
    return lambda lines: "\n".join(lines[: before_line - 1] + [row] + lines[before_line - 1 :])


MALFORMED = {
    "row missing a column": (_drop_cell(12, 4), 12, "5 column"),
    "header missing a column": (_drop_cell(11, 4), 11, "header row has 5 columns"),
    "nine indicator rows": (_delete_line(20), 21, "9 indicator rows; expected 10"),
    "eleven indicator rows": (_insert_row(21, "๑๑\tเพิ่ม\tมาตรการ\tขั้นตอน\t\t"), 21, "outside 1–10"),
    "non-numeric row number": (_set(14, 0, "หก"), 14, "'หก' is not a number"),
    "repeated row number": (_set(15, 0, "๖"), 15, "repeated (first on line 14)"),
    "empty measure cell": (_set(13, 2, ""), 13, "measure (มาตรการ) cell is empty"),
    "empty indicator cell": (_set(13, 1, ""), 13, "indicator (ตัวชี้วัด) cell is empty"),
    "row before any header": (_delete_line(6), 6, "before the header"),
    "no header at all": (
        lambda lines: "\n".join(line for line in lines if not line.startswith("ลำดับ")),
        6,
        "before the header row",
    ),
    "title only": (lambda lines: "\n".join(lines[:5]), 1, "no header row"),
}


@pytest.mark.parametrize("case", MALFORMED.keys())
def test_malformed_file_is_refused_naming_the_line_and_writes_nothing(imported, tmp_path, case):
    edit, line, message = MALFORMED[case]
    # Also rename indicator 1, so a partial write would show.
    lines = replace_once(plan_text(), "\tการปฏิบัติหน้าที่\t", "\tการปฏิบัติหน้าที่ใหม่\t").split("\n")
    path = write_variant(tmp_path, edit(lines))
    before = snapshot()

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert f"line {line}:" in str(error.value)
    assert message in str(error.value)
    assert snapshot() == before


def test_malformed_file_on_an_empty_database_creates_nothing(db, tmp_path):
    path = write_variant(tmp_path, _delete_line(20)(plan_lines()))
    with pytest.raises(CommandError, match="line 21:"):
        run_import(path)
    assert nothing_of_the_plan_written()


def test_file_in_a_legacy_thai_encoding_is_refused_naming_the_first_bad_line(db, tmp_path):
    path = write_variant(tmp_path, plan_text(), encoding="cp874")
    with pytest.raises(CommandError, match="line 3: the file is not UTF-8"):
        run_import(path)
    assert nothing_of_the_plan_written()


def test_a_single_bad_byte_is_reported_on_its_line(imported, tmp_path):
    data = plan_text().encode("utf-8").replace("ด้านประสิทธิภาพ".encode(), b"\xff\xfe")
    before = snapshot()
    with pytest.raises(CommandError, match="line 15: the file is not UTF-8"):
        run_import(write_variant(tmp_path, data))
    assert snapshot() == before


def test_missing_file_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run_import(tmp_path / "nope.tsv")


def test_parse_errors_carry_the_line_number():
    with pytest.raises(PlanFormatError) as error:
        parse_plan(_set(18, 0, "8a")(plan_lines()))
    assert error.value.line == 18
