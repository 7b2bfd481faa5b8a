"""reports.access: the getters every view starts from (404 outside the user's scope, 403 without the role) and
what they say the user may do."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from reports import access, roles, workflow
from reports.models import Evidence
from tests.factories import LinkEvidenceFactory, UserFactory, _add_to_group

pytestmark = pytest.mark.django_db


def test_a_reporter_gets_their_agencys_report_and_may_edit_it(alice, report):
    found, may = access.report(alice, report.pk, roles.REPORTER)
    assert found == report
    assert (may.report, may.edit, may.read_all, may.review) == (True, True, False, False)
    assert [t.name for t in may.transitions] == ["submit"]
    assert may.decisions == []


def test_another_agencys_reporter_gets_a_404_not_a_403(bob, report):
    with pytest.raises(Http404):
        access.report(bob, report.pk, roles.REPORTER)


def test_a_reviewer_reads_the_report_but_may_not_change_it(rita, report):
    found, may = access.report(rita, report.pk, roles.READER)
    assert found == report and not may.edit and may.review
    with pytest.raises(PermissionDenied):
        access.report(rita, report.pk, roles.REPORTER)


def test_a_submitted_report_offers_the_reviewer_the_decisions_in_page_order(alice, rita, report, progress):
    for p in progress:
        p.status, p.result = "done", "ทำแล้ว"
        p.save()
        LinkEvidenceFactory(progress=p)
    workflow.submit(report, alice)
    _found, may = access.report(rita, report.pk, roles.READER, roles.REVIEWER)
    assert [t.name for t in may.decisions] == ["approve", "return"]
    _found, may = access.report(alice, report.pk)
    assert not may.edit and may.transitions == ()


def test_the_reader_gate_is_checked_before_the_lookup(alice):
    with pytest.raises(PermissionDenied):
        access.report(alice, 999_999, roles.READER)


def test_an_administrator_reads_but_does_not_pass_the_reviewer_gate(report):
    administrator = _add_to_group(UserFactory(username="office-admin"), roles.ADMIN_GROUP)
    assert access.report(administrator, report.pk, roles.READER)[0] == report
    with pytest.raises(PermissionDenied):
        access.report(administrator, report.pk, roles.READER, roles.REVIEWER)


def test_progress_and_evidence_getters_scope_by_agency(alice, bob, report, progress):
    link = LinkEvidenceFactory(progress=progress[0])
    assert access.progress(alice, progress[0].pk, roles.REPORTER)[0] == progress[0]
    assert access.evidence(alice, link.pk, roles.REPORTER)[0] == link
    with pytest.raises(Http404):
        access.progress(bob, progress[0].pk)
    with pytest.raises(Http404):
        access.evidence(bob, link.pk)
    with pytest.raises(Http404):
        access.evidence(alice, link.pk, kind=Evidence.Kind.FILE)


def test_reporter_agency_refuses_anyone_who_does_not_report_for_an_agency(alice, rita, agency):
    assert access.reporter_agency(alice) == agency
    with pytest.raises(PermissionDenied):
        access.reporter_agency(rita)
