"""The checklist's URLs are monitored by the link monitor and a broken one says since when."""

import datetime

import pytest
from django.urls import reverse

from linkcheck import services
from oit.models import OITItem
from oit.readiness.models import ChecklistAnswer
from tests.factories import BrokenLinkFactory

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2027, 2, 1, 1, 0, tzinfo=datetime.UTC)


def test_saved_checklist_urls_are_monitored_for_their_agency(year_2565, agency):
    ChecklistAnswer.objects.create(
        agency=agency, item=OITItem.objects.get(code="O1"), answer="yes", url="https://prov.go.th/o1"
    )
    wanted = services.collect()
    assert wanted["https://prov.go.th/o1"] == {"agency:PROV"}


def test_a_broken_checklist_link_shows_since_when(client, year_2565, agency, reporter):

    ChecklistAnswer.objects.create(
        agency=agency, item=OITItem.objects.get(code="O1"), answer="yes", url="https://prov.go.th/o1"
    )
    BrokenLinkFactory(url="https://prov.go.th/o1", failing_since=T0)
    client.force_login(reporter)
    response = client.get(reverse("oit:checklist", args=[2565, "PROV"]))
    rows = {row.item.code: row for row, _form in response.context["rows"]}
    assert rows["O1"].state == "broken"
    assert "ลิงก์เสียตั้งแต่ 1 กุมภาพันธ์ 2570" in response.content.decode()
