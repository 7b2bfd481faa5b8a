"""The audit trail holds whatever the ORM or raw SQL does: the actor is kept as they were, the history tables
refuse UPDATE and DELETE on PostgreSQL, and administrators' changes are recorded for reviewers to read."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AdminChange
from measures.models import Agency, FiscalYear, ReportingPeriod
from reports.models import ReportEvent
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    QuarterlyReportFactory,
    make_admin,
    make_reporter,
    make_reviewer,
)

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")


@pytest.fixture
def event():
    report = QuarterlyReportFactory()
    reporter = make_reporter(agency=report.agency, username="somsri", first_name="สมศรี", last_name="ดีมาก")
    from reports.history import record_event

    return record_event(report, reporter, ReportEvent.Action.SAVED, changes={"1.1": {}})


def test_the_actor_is_kept_as_they_were_named_at_the_time(event):
    user = event.actor
    user.first_name, user.username = "สมศรี (ย้ายแล้ว)", "somsri2"
    user.save()
    event.refresh_from_db()
    assert (event.actor_username, event.actor_name) == ("somsri", "สมศรี ดีมาก")


def test_deleting_a_user_changes_nothing_in_the_history(client, event):
    event.actor.delete()
    event.refresh_from_db()
    assert event.actor_display == "สมศรี ดีมาก"
    client.force_login(make_reviewer(username="reviewer"))
    html = client.get(reverse("reports:review", args=[event.report_id])).content.decode()
    assert "สมศรี ดีมาก" in html


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE reports_reportevent SET comment = 'rewritten'",
        "UPDATE reports_reportevent SET actor_username = 'someone else'",
        "DELETE FROM reports_reportevent",
    ],
)
def test_postgresql_refuses_to_rewrite_report_history_with_raw_sql(event, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    event.refresh_from_db()
    assert event.comment == "" and event.actor_username == "somsri"


@postgresql_only
@pytest.mark.parametrize(
    "sql", ["UPDATE audit_adminchange SET object_repr = 'x'", "DELETE FROM audit_adminchange"]
)
def test_postgresql_refuses_to_rewrite_the_administrators_history_with_raw_sql(client, sql):
    _admin_changes_an_agency(client)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AdminChange.objects.filter(object_repr__contains="สตูล").exists()


def _admin_changes_an_agency(client):
    agency = AgencyFactory(code="SAT01", name_th="สำนักงานจังหวัดสตูล", email="a@example.go.th")
    client.force_login(make_admin(username="admin", first_name="อดิศักดิ์"))
    url = reverse("admin:measures_agency_change", args=[agency.pk])
    data = {
        "code": "SAT01",
        "name_th": "สำนักงานจังหวัดสตูล (ใหม่)",
        "name_en": agency.name_en,
        "email": "b@example.go.th",
        "phone": "",
        "website": "",
        "order": agency.order,
        "is_active": "on",
    }
    response = client.get(url)
    form = response.context["adminform"].form
    for name in form.fields:
        data.setdefault(name, form.initial.get(name) or "")
    for inline in response.context["inline_admin_formsets"]:
        data[f"{inline.formset.prefix}-TOTAL_FORMS"] = "0"
        data[f"{inline.formset.prefix}-INITIAL_FORMS"] = "0"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return agency


def test_an_administrators_change_to_an_agency_is_recorded_with_old_and_new_values(client):
    agency = _admin_changes_an_agency(client)
    change = AdminChange.objects.get(model="measures.agency", object_id=str(agency.pk))
    assert change.action == AdminChange.Action.CHANGED
    assert change.actor_name == "อดิศักดิ์"
    assert {"old": "a@example.go.th", "new": "b@example.go.th"} in change.changes.values()


def test_adding_deleting_and_bulk_actions_are_recorded(client):
    client.force_login(make_admin(username="admin"))
    agency = AgencyFactory(code="DEL01", name_th="สำนักงานทดลอง")
    client.post(
        reverse("admin:measures_agency_changelist"),
        {"action": "deactivate", "_selected_action": [agency.pk]},
    )
    client.post(reverse("admin:measures_agency_delete", args=[agency.pk]), {"post": "yes"})
    assert not Agency.objects.filter(pk=agency.pk).exists()
    actions = list(
        AdminChange.objects.filter(object_id=str(agency.pk)).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [AdminChange.Action.ACTION, AdminChange.Action.DELETED]


def test_a_due_date_changed_in_the_admin_list_is_recorded(client):
    year = FiscalYearFactory(year=2565)
    period = ReportingPeriod.objects.get(fiscal_year=year, quarter=1)
    client.force_login(make_admin(username="admin"))
    periods = list(ReportingPeriod.objects.order_by("-fiscal_year__year", "quarter"))
    data = {"form-TOTAL_FORMS": str(len(periods)), "form-INITIAL_FORMS": str(len(periods)), "_save": "1"}
    for index, each in enumerate(periods):
        data[f"form-{index}-id"] = each.pk
        due = datetime.date(2022, 1, 31) if each.pk == period.pk else each.due_date
        data[f"form-{index}-due_date"] = f"{due.day:02d}/{due.month:02d}/{due.year + 543}"
    response = client.post(reverse("admin:measures_reportingperiod_changelist"), data)
    assert response.status_code == 302
    change = AdminChange.objects.get(model="measures.reportingperiod", object_id=str(period.pk))
    assert change.action == AdminChange.Action.CHANGED
    assert FiscalYear.objects.exists()


def test_reviewers_read_the_administrators_changes_in_thai_and_reporters_cannot(client):
    _admin_changes_an_agency(client)
    client.force_login(make_reviewer(username="reviewer"))
    response = client.get(reverse("audit:changes"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "สำนักงานจังหวัดสตูล (ใหม่)" in html and "อดิศักดิ์" in html and "b@example.go.th" in html
    client.force_login(make_reporter(username="reporter"))
    assert client.get(reverse("audit:changes")).status_code == 403


@pytest.mark.parametrize("count", [3, 30])
def test_the_administrators_changes_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    AdminChange.objects.bulk_create(
        AdminChange(
            action=AdminChange.Action.CHANGED,
            model="measures.agency",
            model_label="ส่วนราชการ",
            object_repr=f"{n}",
        )
        for n in range(count)
    )
    client.force_login(make_reviewer(username="reviewer"))
    # session, user, the user's permissions (2), the kinds, the count, the page, the header's unread notices
    with django_assert_num_queries(8):
        assert client.get(reverse("audit:changes")).status_code == 200
