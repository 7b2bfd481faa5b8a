"""axe-core on the six pages the issue's outside judges measured, at 360 px: no violation of any impact,
WCAG 2.2 target size (24 px) included."""

import pytest

from reports import workflow
from tests.browser.conftest import axe_violations
from tests.browser.helpers import session_cookie
from tests.review.helpers import make_world

WCAG_22_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


@pytest.fixture
def world(transactional_db):
    """A report returned with a reason: the agency home then has an unread notice and a returned headline."""
    world = make_world()
    workflow.decide(world.report, "return", user=world.reviewer, reason="โปรดแนบหลักฐานเพิ่มเติม")
    return world


@pytest.mark.parametrize(
    "name",
    ["home", "plan", "agency home", "report page", "review page", "dashboard"],
)
def test_no_axe_violation_at_360_px(open_page, live_server, world, name, axe_source):
    reporter = [session_cookie(world.reporter, live_server)]
    reviewer = [session_cookie(world.reviewer, live_server)]
    path, cookies = {
        "home": ("/", None),
        "plan": ("/plan/", None),
        "agency home": ("/my/", reporter),
        "report page": (world.report.get_absolute_url(), reporter),
        "review page": (f"/review/{world.report.pk}/", reviewer),
        "dashboard": ("/dashboard/", reviewer),
    }[name]
    page = open_page(path, width=360, cookies=cookies)
    assert axe_violations(page, impacts=ALL_IMPACTS, tags=WCAG_22_AA) == []
