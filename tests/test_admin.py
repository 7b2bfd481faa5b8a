"""The Django admin: every registered model's pages render for a superuser, in Thai; others are kept out."""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import UserSession
from audit.models import AdminChange
from linkcheck.models import Link
from loginguard.models import LoginAlert, TrustedDevice
from measures.models import FiscalYear, ReportingPeriod
from oit.models import GradeBand, ITAIndicator, OITItem, ScoreWeight
from oit.readiness.models import AnswerWindow, ChecklistAnswer, PortalPage
from ops.models import WorkerHeartbeat
from reports import tasks
from reports.models import DIGEST_START, AgencyReminder, DigestLog, Evidence, Notice, ReminderLog
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    LinkEvidenceFactory,
    MeasureFactory,
    MeasureStepFactory,
    ReportEventFactory,
    UserFactory,
    make_admin,
    make_reporter,
    make_reviewer,
)
from transparency.models import OpenDataSettings

pytestmark = pytest.mark.django_db


def one_of_each():
    """An instance of every model registered in the admin."""
    evidence = LinkEvidenceFactory()
    report = evidence.progress.report
    step = MeasureStepFactory(measure=evidence.progress.measure)
    reporter = make_reporter(agency=report.agency)
    fiscal_year = report.period.fiscal_year
    ita_indicator = ITAIndicator.objects.create(
        fiscal_year=fiscal_year, number=10, group="OIT", name_th="การป้องกันการทุจริต"
    )
    return {
        "auth.group": Group.objects.get_or_create(name="agency reporter")[0],
        "auth.user": reporter,
        "measures.fiscalyear": report.period.fiscal_year,
        "measures.reportingperiod": report.period,
        "measures.indicator": step.measure.indicator,
        "measures.measure": step.measure,
        "measures.agency": report.agency,
        "measures.membership": reporter.membership,
        "reports.quarterlyreport": report,
        "reports.measureprogress": evidence.progress,
        "reports.evidence": evidence,
        "reports.reportevent": ReportEventFactory(report=report),
        "reports.reminderlog": ReminderLog.objects.create(
            agency=report.agency, period=report.period, stage="due_7"
        ),
        "accounts.usersession": UserSession.objects.create(
            session=Session.objects.create(
                session_key="s" * 32,
                session_data="",
                expire_date=timezone.now() + datetime.timedelta(hours=8),
            ),
            user=reporter,
        ),
        "reports.agencyreminder": AgencyReminder.objects.create(
            agency=report.agency, period=report.period, day="2022-01-20"
        ),
        "reports.notice": Notice.objects.create(
            recipient=reporter, kind="reminder", agency=report.agency, period=report.period
        ),
        "reports.digestlog": DigestLog.objects.create(
            covers_after="2022-01-14T00:00:00+07:00", covered_until="2022-01-15T00:00:00+07:00"
        ),
        "transparency.opendatasettings": OpenDataSettings.objects.create(),
        # django-axes' login records (login throttling), read in the admin to see who was locked out.
        "axes.accessattempt": AccessAttempt.objects.create(
            username="reporter", ip_address="127.0.0.1", failures_since_start=3, **ACCESS
        ),
        "audit.adminchange": AdminChange.objects.create(
            action=AdminChange.Action.CHANGED,
            model="measures.agency",
            model_label="ส่วนราชการ",
            object_repr="สตูล",
        ),
        "loginguard.trusteddevice": TrustedDevice.objects.create(user=reporter, key="k" * 40),
        "loginguard.loginalert": LoginAlert.objects.create(user=reporter, kind=LoginAlert.Kind.ATTACK),
        # The link monitor's links (read-only: check_links fills them), with their owners and changes.
        "linkcheck.link": Link.objects.create(url="https://www.example.go.th/ita/o1"),
        "axes.accesslog": AccessLog.objects.create(username="reporter", ip_address="127.0.0.1", **ACCESS),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            username="reporter", ip_address="127.0.0.1", **ACCESS
        ),
        # Background jobs (django-tasks-db) and the workers' heartbeats.
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.get(
            id=tasks.send_reminders.enqueue(date="2022-01-14").id
        ),
        # The ITA's catalogue per fiscal year (oit).
        "oit.itaindicator": ita_indicator,
        "oit.oititem": (
            oit_item := OITItem.objects.create(
                fiscal_year=fiscal_year, code="O42", order=42, indicator=ita_indicator, name_th="มาตรการภายใน"
            )
        ),
        # Each agency's OIT checklist, the answering window, the portal pages answering items (oit.readiness).
        "oit_readiness.answerwindow": AnswerWindow.objects.create(
            fiscal_year=fiscal_year, opens_on="2022-03-01", closes_on="2022-04-30"
        ),
        "oit_readiness.portalpage": PortalPage.objects.create(item=oit_item, page="plan"),
        "oit_readiness.checklistanswer": ChecklistAnswer.objects.create(
            agency=report.agency, item=oit_item, answer="yes", url="https://www.example.go.th/o42"
        ),
        "oit.scoreweight": ScoreWeight.objects.create(fiscal_year=fiscal_year, group="OIT", weight=40),
        "oit.gradeband": GradeBand.objects.create(
            fiscal_year=fiscal_year, grade="A", min_score=85, passing=True
        ),
        "ops.workerheartbeat": WorkerHeartbeat.objects.create(
            worker_id="w1",
            hostname="app1",
            pid=1,
            queues="*",
            started_at=timezone.now(),
            last_seen=timezone.now(),
        ),
    }


ACCESS = {"user_agent": "Chromium", "http_accept": "text/html", "path_info": "/accounts/login/"}


REGISTERED = sorted(f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry)


@pytest.fixture
def superuser():
    return make_admin()


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def test_admin_index_is_thai_for_a_superuser(superuser_client):
    response = superuser_client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "แผนและส่วนราชการ" in html  # the measures app
    assert "รายงานผลรายไตรมาส" in html  # the reports app
    for name in ("ปีงบประมาณ", "รอบการรายงาน", "ตัวชี้วัด", "มาตรการ", "ส่วนราชการ", "สังกัดส่วนราชการ"):
        assert f">{name}</a>" in html, name


@pytest.mark.parametrize("label", REGISTERED)
def test_changelist_add_and_change_pages_render(superuser_client, superuser, rf, label):
    """A model registered without an entry in one_of_each() fails here with a KeyError."""
    app_label, model_name = label.split(".")
    obj = one_of_each()[label]
    model_admin = admin.site._registry[type(obj)]
    request = rf.get("/")
    request.user = superuser

    assert superuser_client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200
    search = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"), {"q": "สตูล"})
    assert search.status_code == 200

    add = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    # Reports and their history are written by the portal's workflow only: their admin is read-only.
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)

    change = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]))
    assert change.status_code == 200


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: UserFactory(), id="non-staff user"),
        pytest.param(lambda: make_reporter(), id="agency reporter"),
        pytest.param(lambda: make_reviewer(), id="reviewer without staff status"),
    ],
)
def test_admin_redirects_users_without_staff_status_to_its_login(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("admin:measures_indicator_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_redirects_anonymous_visitors_to_its_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_reporter_cannot_log_into_the_admin(client):
    reporter = make_reporter()
    response = client.post(reverse("admin:login"), {"username": reporter.username, "password": "satun2565"})
    assert response.status_code == 200  # the login form again, with an error
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_plan_lists_are_edited_one_item_per_line(superuser_client):
    measure = MeasureFactory(parts=["เดิม"])
    step = MeasureStepFactory(measure=measure, order=1, sub_points=[])
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    page = superuser_client.get(url).content.decode()
    assert re.search(r'<textarea name="parts"[^>]*>\s*เดิม</textarea>', page), (
        "a list shows as lines, not JSON"
    )

    response = superuser_client.post(
        url,
        {
            "indicator": measure.indicator.pk,
            "order": 1,
            "text": "๑. ส่วนแรก ๒. ส่วนที่สอง",
            "parts": "ส่วนแรก\r\n\r\n  ส่วนที่สอง  \r\n",
            "responsible": "สำนักงานจังหวัดสตูล",
            "monitoring": "รายงานไตรมาสละ ๑ ครั้ง",
            "applies_to_all": "on",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "1",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
            "steps-0-id": step.pk,
            "steps-0-measure": measure.pk,
            "steps-0-order": "1",
            "steps-0-text": "จัดทำประกาศ ดังนี้",
            "steps-0-sub_points": "ไม่รับของขวัญ\nไม่ให้ของขวัญ",
            # The OIT items the measure answers (the inline oit adds to the measure's page): none.
            "item_links-TOTAL_FORMS": "0",
            "item_links-INITIAL_FORMS": "0",
            "item_links-MIN_NUM_FORMS": "0",
            "item_links-MAX_NUM_FORMS": "1000",
            "_save": "บันทึก",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    step.refresh_from_db()
    assert measure.parts == ["ส่วนแรก", "ส่วนที่สอง"]
    assert step.sub_points == ["ไม่รับของขวัญ", "ไม่ให้ของขวัญ"]


def test_make_active_action_leaves_exactly_one_active_year(superuser_client):
    old = FiscalYearFactory(year=2565, is_active=True)
    new = FiscalYearFactory(year=2566)
    response = superuser_client.post(
        reverse("admin:measures_fiscalyear_changelist"),
        {"action": "make_active", "_selected_action": [new.pk]},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.is_active, new.is_active) == (False, True)


def test_make_active_action_refuses_several_years(superuser_client):
    years = [FiscalYearFactory(year=2565), FiscalYearFactory(year=2566)]
    superuser_client.post(
        reverse("admin:measures_fiscalyear_changelist"),
        {"action": "make_active", "_selected_action": [y.pk for y in years]},
    )
    assert not FiscalYear.objects.filter(is_active=True).exists()


def test_saving_a_fiscal_year_creates_its_four_quarters(superuser_client):
    response = superuser_client.post(
        reverse("admin:measures_fiscalyear_add"),
        {
            "year": "2567",
            "title": "",
            "results_text": "",
            "source_name": "",
            "periods-TOTAL_FORMS": "0",
            "periods-INITIAL_FORMS": "0",
            "periods-MIN_NUM_FORMS": "0",
            "periods-MAX_NUM_FORMS": "1000",
            "indicators-TOTAL_FORMS": "0",
            "indicators-INITIAL_FORMS": "0",
            "indicators-MIN_NUM_FORMS": "0",
            "indicators-MAX_NUM_FORMS": "1000",
            "_save": "บันทึก",
        },
    )
    assert response.status_code == 302
    year = FiscalYear.objects.get(year=2567)
    quarters = ReportingPeriod.objects.filter(fiscal_year=year).values_list("quarter", flat=True)
    assert list(quarters) == [1, 2, 3, 4]


def test_user_page_has_the_users_agency(superuser_client):
    reporter = make_reporter(agency=AgencyFactory(name_th="สำนักงานจังหวัดสตูล"))
    page = superuser_client.get(reverse("admin:auth_user_change", args=[reporter.pk])).content.decode()
    assert 'name="membership-TOTAL_FORMS"' in page
    assert 'name="membership-0-agency"' in page
    assert "สำนักงานจังหวัดสตูล" in page


def test_indicator_changelist_counts_measures_in_one_query(superuser_client, django_assert_num_queries):
    fiscal_year = FiscalYearFactory()
    for number in range(1, 11):
        indicator = IndicatorFactory(fiscal_year=fiscal_year, number=number)
        MeasureFactory(indicator=indicator)
    # Session, user, the fiscal years (the filter), the count (filtered and total), whether the open-data
    # settings exist (the admin's menu), the rows with their measures counted in the same query.
    with django_assert_num_queries(7):
        response = superuser_client.get(reverse("admin:measures_indicator_changelist"))
    assert response.status_code == 200
    assert [row._measure_count for row in response.context["cl"].result_list] == [1] * 10


def test_admin_messages_missing_from_djangos_thai_catalogue_are_thai(superuser_client):
    agency = AgencyFactory(code="PROV", name_th="สำนักงานจังหวัดสตูล")
    response = superuser_client.post(
        reverse("admin:measures_agency_change", args=[agency.pk]),
        {
            "code": "PROV",
            "name_th": "สำนักงานจังหวัดสตูล",
            "name_en": "",
            "website": "",
            "email": "",
            "phone": "",
            "is_active": "on",
            "order": "1",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000",
            "former_codes-TOTAL_FORMS": "0",
            "former_codes-INITIAL_FORMS": "0",
            "former_codes-MIN_NUM_FORMS": "0",
            "former_codes-MAX_NUM_FORMS": "1000",
            "_save": "บันทึก",
        },
        follow=True,
    )
    messages = [re.sub(r"<[^>]+>", "", str(m)) for m in response.context["messages"]]
    assert messages == ["เปลี่ยนแปลงส่วนราชการ “สำนักงานจังหวัดสตูล” เรียบร้อยแล้ว"]


# --- dates in B.E. -------------------------------------------------------------------------------------


def _period_changelist_post(period, due_date):
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(period.pk),
        "form-0-due_date": due_date,
        "_save": "บันทึก",
    }


def test_period_dates_are_listed_and_edited_with_be_years(superuser_client):
    FiscalYearFactory(year=2565)
    html = superuser_client.get(reverse("admin:measures_reportingperiod_changelist")).content.decode()
    assert "1 ต.ค. 2564" in html  # Q1 starts on 1 October 2021
    assert 'value="15/01/2565"' in html  # Q1's due date in its editable box
    assert "2021" not in html and "2022" not in html


@pytest.mark.parametrize("typed", ["20/01/2565", "20/01/2022"])
def test_a_due_date_typed_with_a_be_or_a_ce_year_is_saved_as_the_same_day(superuser_client, typed):
    q1 = FiscalYearFactory(year=2565).periods.get(quarter=1)
    response = superuser_client.post(
        reverse("admin:measures_reportingperiod_changelist"), _period_changelist_post(q1, typed)
    )
    assert response.status_code == 302
    q1.refresh_from_db()
    assert q1.due_date.isoformat() == "2022-01-20"


def test_report_dates_in_the_admin_list_have_be_years(superuser_client):
    report = LinkEvidenceFactory().progress.report
    report.submitted_at = datetime.datetime(2022, 1, 10, 3, 0, tzinfo=datetime.UTC)
    report.save(update_fields=["submitted_at"])
    html = superuser_client.get(reverse("admin:reports_quarterlyreport_changelist")).content.decode()
    assert "10 ม.ค. 2565 10:00 น." in html


def test_a_file_evidence_page_links_to_the_checked_download_instead_of_failing(superuser_client):
    """Stored files have no URL (MEDIA_URL is None): the admin's own file link raised ValueError, a 500."""
    link = LinkEvidenceFactory()
    evidence = Evidence.objects.create(
        progress=link.progress,
        kind=Evidence.Kind.FILE,
        file=ContentFile(b"%PDF-1.4\n", name="x.pdf"),
        original_name="คำสั่ง <จังหวัด>.pdf",
        content_type="application/pdf",
        size=9,
    )
    response = superuser_client.get(reverse("admin:reports_evidence_change", args=[evidence.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("reports:evidence_download", args=[evidence.pk])}"' in html
    assert "คำสั่ง &lt;จังหวัด&gt;.pdf" in html
    assert evidence.file.name not in html  # the stored name stays private


def test_an_administrator_cannot_make_anyone_a_superuser(client):
    from django.contrib.auth import get_user_model

    from reports import roles
    from tests.factories import UserFactory, _add_to_group

    office_it = _add_to_group(UserFactory(username="office_it", is_staff=True), roles.ADMIN_GROUP)
    client.force_login(office_it)
    url = reverse("admin:auth_user_change", args=[office_it.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="user_permissions"' not in page.content.decode()

    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "password"}
    data.update(
        {
            "username": "office_it",
            "is_superuser": "on",
            "groups": [g.pk for g in office_it.groups.all()],
            "date_joined_0": office_it.date_joined.strftime("%d/%m/") + str(office_it.date_joined.year + 543),
            "date_joined_1": office_it.date_joined.strftime("%H:%M:%S"),
            "membership-TOTAL_FORMS": "0",
            "membership-INITIAL_FORMS": "0",
        }
    )
    client.post(url, data)
    assert not get_user_model().objects.get(pk=office_it.pk).is_superuser


def test_digest_log_shows_where_each_digest_starts(superuser_client):
    DigestLog.objects.create(covers_after=DIGEST_START, covered_until="2022-01-15T09:00:00+07:00")
    DigestLog.objects.create(
        covers_after="2022-01-15T09:00:00+07:00", covered_until="2022-01-16T09:00:00+07:00"
    )
    html = superuser_client.get(reverse("admin:reports_digestlog_changelist")).content.decode()
    assert "ฉบับแรก: ทุกรายงานที่รอตรวจ" in html
    assert "15 ม.ค. 2565 09:00" in html
    assert "2543" not in html  # DIGEST_START itself is never shown
