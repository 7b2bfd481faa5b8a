"""setup_demo (DEBUG only): the plan, the agencies, the role groups and four demo accounts; setup_roles."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from measures import thaidate
from measures.models import Agency, FiscalYear, Indicator, Measure, Membership
from oit.models import MeasureItem, OITItem
from oit.readiness.models import AnswerWindow, PortalPage
from reports import roles
from reports.models import QuarterlyReport, ReminderLog
from reports.reminders import due_reminders
from tests.factories import FiscalYearFactory

User = get_user_model()
BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def run(command="setup_demo"):
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(db, settings):
    settings.DEBUG = True
    # 1 December 2026 in Bangkok: fiscal year 2570, its first quarter being reported on.
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=BANGKOK), tick=False):
        yield settings


def test_the_current_fiscal_year_is_a_copy_of_2565_due_in_a_few_days(debug):
    run()
    year = FiscalYear.objects.get(year=2570)
    assert (
        Measure.objects.filter(
            indicator__fiscal_year=year, copied_from__indicator__fiscal_year__year=2565
        ).count()
        == 10
    )
    q1 = year.periods.get(quarter=1)
    assert q1.due_date == datetime.date(2026, 12, 7)
    assert year.periods.get(quarter=2).due_date == datetime.date(2027, 4, 15)
    assert not QuarterlyReport.objects.filter(period__fiscal_year=year).exists()
    assert QuarterlyReport.objects.filter(period__fiscal_year__year=2565).count() == 12


def test_the_current_year_has_a_live_deadline_and_reminders_that_fire(debug):
    run()
    reminders = due_reminders(thaidate.today())
    assert reminders
    assert {r.period.fiscal_year.year for r in reminders} == {2570}
    assert {r.stage for r in reminders} == {ReminderLog.Stage.DUE_IN_7}


def test_the_current_year_borrows_the_2565_catalogue_and_links(debug):
    run()
    assert OITItem.objects.filter(fiscal_year__year=2570).count() == 43
    assert (
        MeasureItem.objects.filter(item__fiscal_year__year=2570).count()
        == MeasureItem.objects.filter(item__fiscal_year__year=2565).count()
        > 0
    )


PORTAL_PAGES = {"O40": "r6", "O41": "r12", "O42": "plan", "O43": "year"}


def _pages(year):
    return dict(PortalPage.objects.filter(item__fiscal_year__year=year).values_list("item__code", "page"))


def test_loads_the_oit_portal_pages_and_answering_window_and_lends_them_to_the_current_year(debug):
    output = run()
    assert _pages(2565) == _pages(2570) == PORTAL_PAGES
    assert {p.item.fiscal_year.year for p in PortalPage.objects.select_related("item__fiscal_year")} == {
        2565,
        2570,
    }
    windows = {w.fiscal_year.year: (w.opens_on, w.closes_on) for w in AnswerWindow.objects.all()}
    assert windows == {
        2565: (datetime.date(2022, 3, 1), datetime.date(2022, 4, 30)),
        # moved as the plan's dates are: the current year's window is ahead, so the readiness page counts down
        2570: (datetime.date(2027, 3, 1), datetime.date(2027, 4, 30)),
    }
    assert AnswerWindow.objects.get(fiscal_year__year=2570).days_to_open(thaidate.today()) == 90
    assert (
        "OIT readiness 2565 (data/ita-2565-portal-pages.csv, ita-2565-oit-window.csv): 5 change(s)" in output
    )
    assert "OIT readiness lent to 2570:" in output and "answering window 2027-03-01 – 2027-04-30" in output


def test_a_second_run_changes_no_readiness_data(debug):
    run()
    before = (
        _pages(2565),
        _pages(2570),
        list(AnswerWindow.objects.values_list("pk", "opens_on", "closes_on")),
    )
    output = run()
    after = (
        _pages(2565),
        _pages(2570),
        list(AnswerWindow.objects.values_list("pk", "opens_on", "closes_on")),
    )
    assert after == before
    assert (
        "OIT readiness 2565 (data/ita-2565-portal-pages.csv, ita-2565-oit-window.csv): 0 change(s)" in output
    )
    assert "OIT readiness lent to" not in output


def test_a_demo_made_before_the_readiness_data_gets_it_on_the_next_run(debug):
    run()
    PortalPage.objects.all().delete()
    AnswerWindow.objects.all().delete()
    run()
    assert _pages(2565) == _pages(2570) == PORTAL_PAGES
    assert AnswerWindow.objects.count() == 2


def test_an_admins_own_window_for_the_current_year_is_kept(debug):
    run()
    AnswerWindow.objects.filter(fiscal_year__year=2570).update(
        opens_on=datetime.date(2027, 2, 1), closes_on=datetime.date(2027, 3, 31)
    )
    run()
    window = AnswerWindow.objects.get(fiscal_year__year=2570)
    assert (window.opens_on, window.closes_on) == (datetime.date(2027, 2, 1), datetime.date(2027, 3, 31))


def test_the_checklist_of_the_demo_reporter_is_prefilled_with_the_portal_pages(debug, client):
    from oit.readiness import checklist

    run()
    agency = Agency.objects.get(code="PROV")
    rows = {
        r.item.code: r for r in checklist.checklist(agency, FiscalYear.objects.active(), site_url="http://x")
    }
    assert rows["O43"].prefilled and rows["O43"].url == "http://x/public/2570/agency/PROV/"
    assert rows["O42"].prefilled and rows["O42"].url == "http://x/plan/2570/"
    assert sum(r.prefilled for r in rows.values()) == 4


def test_run_in_2565_itself_makes_no_copy(db, settings):
    settings.DEBUG = True
    with time_machine.travel(datetime.datetime(2022, 3, 1, 9, 0, tzinfo=BANGKOK), tick=False):
        run()
    assert list(FiscalYear.objects.values_list("year", flat=True)) == [2565]
    assert FiscalYear.objects.active().year == 2565
    assert _pages(2565) == PORTAL_PAGES
    assert AnswerWindow.objects.get().fiscal_year.year == 2565


def accounts_state():
    """Everything about the demo accounts except their password hashes."""
    return [
        (
            user.username,
            user.first_name,
            user.last_name,
            user.email,
            user.is_staff,
            user.is_superuser,
            user.is_active,
            sorted(user.groups.values_list("name", flat=True)),
            getattr(getattr(user, "membership", None), "agency_id", None),
        )
        for user in User.objects.order_by("username").prefetch_related("groups")
    ]


def test_refuses_to_run_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG=1"):
        run()
    assert User.objects.count() == 0
    assert FiscalYear.objects.count() == 0


def test_creates_the_four_demo_accounts_with_the_demo_password(debug):
    run()
    users = {user.username: user for user in User.objects.exclude(username__startswith="demo_")}
    assert sorted(users) == ["admin", "reporter", "reporter2", "reviewer"]
    assert all(user.check_password("satun2565") for user in users.values())
    assert all(user.first_name and user.last_name for user in users.values())


def test_admin_is_a_superuser(debug):
    run()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_reviewer_sees_all_agencies_but_belongs_to_none(debug):
    run()
    reviewer = User.objects.get(username="reviewer")
    assert roles.is_reviewer(reviewer)
    assert roles.can_view_all(reviewer)
    assert not reviewer.is_staff
    assert not Membership.objects.filter(user=reviewer).exists()
    assert not roles.can_report(reviewer)


def test_reporters_report_for_two_different_agencies(debug):
    run()
    reporter = User.objects.get(username="reporter")
    reporter2 = User.objects.get(username="reporter2")
    assert roles.user_agency(reporter).code == "PROV"
    assert roles.user_agency(reporter).is_lead
    assert roles.user_agency(reporter2).code == "CDD"
    assert roles.can_report(reporter) and roles.can_report(reporter2)
    assert not roles.can_view_all(reporter)
    assert not reporter.is_staff


def test_loads_the_plan_and_agencies_and_activates_the_current_year(debug):
    output = run()
    assert FiscalYear.objects.active().year == 2570
    assert "Active fiscal year: 2570" in output
    assert Indicator.objects.filter(fiscal_year__year=2565).count() == 10
    assert Agency.objects.count() == 33
    assert set(Group.objects.values_list("name", flat=True)) == {
        roles.REPORTER_GROUP,
        roles.REVIEWER_GROUP,
        roles.ADMIN_GROUP,
    }


def test_keeps_another_active_year(debug):
    FiscalYearFactory(year=2566, is_active=True)
    run()
    assert FiscalYear.objects.active().year == 2566
    assert not FiscalYear.objects.get(year=2565).is_active


def test_prints_the_accounts_and_the_url_with_the_port(debug, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    output = run()
    assert "plan 2565 (plan-2565.tsv): 40 change(s)" in output
    assert "agencies (agencies.csv): 33 change(s)" in output
    for username in ["admin", "reviewer", "reporter", "reporter2"]:
        assert any(
            line.split()[:2] == [username, "satun2565"] for line in output.splitlines() if line.strip()
        )
    assert "PROV สำนักงานจังหวัดสตูล" in output
    assert "CDD สำนักงานพัฒนาชุมชนจังหวัดสตูล" in output
    assert "http://127.0.0.1:8123/" in output


def test_second_run_only_resets_the_passwords(debug):
    run()
    reporter = User.objects.get(username="reporter")
    reporter.set_password("changed-by-the-user")
    reporter.save()
    state = accounts_state()

    output = run()

    assert accounts_state() == state
    assert User.objects.get(username="reporter").check_password("satun2565")
    assert "plan 2565 (plan-2565.tsv): no changes" in output
    assert "agencies (agencies.csv): no changes" in output
    assert "marked active" not in output


def test_second_run_keeps_an_admins_changes_to_the_accounts(debug):
    run()
    reporter2 = User.objects.get(username="reporter2")
    reporter2.first_name = "ชื่อใหม่"
    reporter2.save()
    reporter2.membership.agency = Agency.objects.get(code="LAND")
    reporter2.membership.save()

    run()

    reporter2 = User.objects.get(username="reporter2")
    assert reporter2.first_name == "ชื่อใหม่"
    assert reporter2.membership.agency.code == "LAND"


def test_setup_roles_creates_the_three_groups(db):
    output = run("setup_roles")
    assert set(Group.objects.values_list("name", flat=True)) == {
        roles.REPORTER_GROUP,
        roles.REVIEWER_GROUP,
        roles.ADMIN_GROUP,
    }
    assert (
        Group.objects.get(name=roles.REVIEWER_GROUP)
        .permissions.filter(codename="review_quarterlyreport")
        .exists()
    )
    assert "provincial reviewer" in output


def test_sample_reports_are_made_once_in_every_state_through_the_workflow(debug):
    output = run()

    reports = QuarterlyReport.objects.select_related("agency", "period")
    by_key = {(r.period.quarter, r.agency.code): r for r in reports}
    assert "sample reports: 12 created" in output
    assert {r.status for r in reports} == set(QuarterlyReport.Status)
    assert by_key[(1, "PROV")].status == QuarterlyReport.Status.APPROVED
    assert by_key[(2, "PROV")].status == QuarterlyReport.Status.RETURNED
    assert by_key[(2, "PROV")].review_comment
    # The demo reporters' current quarter is left for them to try; the quarter the inbox and dashboard open
    # on (Q4 of the past year 2565) has reports in every state.
    assert (4, "PROV") not in by_key and (4, "CDD") not in by_key
    in_q4 = {r.status for (quarter, _code), r in by_key.items() if quarter == 4}
    assert in_q4 == set(QuarterlyReport.Status)
    approved = by_key[(1, "PROV")]
    assert list(approved.events.values_list("action", flat=True)) == [
        "created",
        "saved",
        *["evidence_added"] * approved.progress.count(),
        "submitted",
        "approved",
    ]
    # Sample agencies' reporters exist for the history but cannot log in.
    assert not User.objects.get(username="demo_dopa").has_usable_password()

    assert "sample reports" not in run()
    assert QuarterlyReport.objects.count() == 12


def test_no_samples_option_makes_no_reports(debug):
    out = io.StringIO()
    call_command("setup_demo", "--no-samples", stdout=out)
    assert not QuarterlyReport.objects.exists()


def test_setup_roles_renames_a_group_under_its_former_name_keeping_its_members(db):
    old = Group.objects.create(name="provincial reviewer")
    user = User.objects.create_user("old_reviewer")
    user.groups.add(old)

    run("setup_roles")

    old.refresh_from_db()
    assert old.name == roles.REVIEWER_GROUP
    assert User.objects.get(pk=user.pk).has_perm(roles.REVIEW)
    assert not Group.objects.filter(name="provincial reviewer").exists()
