"""Django's own messages that users meet are Thai (satun_ita/django_th.py, locale/th/LC_MESSAGES/djangojs.po)."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import make_admin

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("msgid", "thai"),
    [
        ("This field is required.", "กรุณากรอกข้อมูลในช่องนี้"),
        ("The two password fields didn’t match.", "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน"),
        ("Raw passwords are not stored, so there is no way to see the user’s password.", "ระบบไม่เก็บรหัสผ่าน"),
        ("Authentication and Authorization", "ผู้ใช้และสิทธิ์การใช้งาน"),
        ("None available", "ไม่มีรายการ"),
        ("View", "ดู"),
    ],
)
def test_django_messages_read_in_thai(msgid, thai):
    with translation.override("th"):
        assert translation.gettext(msgid).startswith(thai)


def test_djangos_plural_messages_are_thai():
    with translation.override("th"):
        text = translation.ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            255,
        ) % {"limit_value": 255, "show_value": 300}
    assert text == "ข้อความยาวได้ไม่เกิน 255 ตัวอักษร (ขณะนี้มี 300 ตัวอักษร)"


def test_the_admins_javascript_strings_are_thai(client):
    client.force_login(make_admin(username="root"))
    response = client.get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    script = response.content.decode()
    # The catalogue is JSON with ASCII escapes: "เลือก%sทั้งหมด" for "Choose all %s".
    assert '"Choose all %s": "' + "เลือก%sทั้งหมด".encode("ascii", "backslashreplace").decode() + '"' in script
