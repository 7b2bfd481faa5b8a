"""factory-boy factories for the plan, agencies, users, reports and the link monitor's links."""

import datetime

import factory
from django.contrib.auth import get_user_model

from linkcheck.models import Link
from measures.models import Agency, FiscalYear, Indicator, Measure, MeasureStep, Membership, ReportingPeriod
from reports import roles
from reports.models import Evidence, MeasureProgress, QuarterlyReport, ReportEvent

PASSWORD = "satun2565"


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ["year"]
        skip_postgeneration_save = True

    year = 2565
    title = factory.LazyAttribute(lambda o: f"แผนปีงบประมาณ {o.year}")

    @factory.post_generation
    def periods(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.ensure_periods()


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ["fiscal_year", "quarter"]

    fiscal_year = factory.SubFactory(FiscalYearFactory, periods=False)
    quarter = 1


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    number = factory.Sequence(lambda n: n % 10 + 1)
    name_th = factory.LazyAttribute(lambda o: f"ตัวชี้วัดที่ {o.number}")
    name_en = factory.LazyAttribute(lambda o: f"Indicator {o.number}")
    group = factory.LazyAttribute(lambda o: Indicator.group_for_number(o.number))


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    indicator = factory.SubFactory(IndicatorFactory)
    order = 1
    text = factory.Sequence(lambda n: f"มาตรการที่ {n}")
    responsible = "ส่วนราชการประจำจังหวัดสตูล ทั้ง ๓๓ ส่วน"
    monitoring = "รายงานผลไตรมาสละ ๑ ครั้ง"


class MeasureStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureStep

    measure = factory.SubFactory(MeasureFactory)
    order = 1
    text = factory.Sequence(lambda n: f"ขั้นตอนที่ {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"AG{n:03d}")
    name_th = factory.Sequence(lambda n: f"สำนักงานทดสอบที่ {n} จังหวัดสตูล")
    name_en = factory.Sequence(lambda n: f"Test Office {n}")
    email = factory.LazyAttribute(lambda o: f"{o.code.lower()}@example.go.th")
    order = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.th")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def _add_to_group(user, group_name):
    groups = roles.setup_groups()
    user.groups.add(groups[group_name])
    # Drop Django's per-user permission cache so has_perm sees the new group.
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)
    return user


def make_reporter(agency=None, **kwargs):
    """A user in the agency-reporter group, member of `agency` (a new agency if none)."""
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, agency=agency or AgencyFactory())
    return _add_to_group(user, roles.REPORTER_GROUP)


def make_reviewer(**kwargs):
    return _add_to_group(UserFactory(**kwargs), roles.REVIEWER_GROUP)


def make_admin(**kwargs):
    user = UserFactory(is_staff=True, is_superuser=True, **kwargs)
    return user


class QuarterlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyReport

    agency = factory.SubFactory(AgencyFactory)
    period = factory.SubFactory(ReportingPeriodFactory)


class MeasureProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureProgress

    report = factory.SubFactory(QuarterlyReportFactory)
    measure = factory.SubFactory(MeasureFactory)


class LinkEvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    progress = factory.SubFactory(MeasureProgressFactory)
    kind = Evidence.Kind.LINK
    url = factory.Sequence(lambda n: f"https://www.example.go.th/ita/{n}")
    description = "หน้าเว็บไซต์เผยแพร่ข้อมูล"


class ReportEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportEvent

    report = factory.SubFactory(QuarterlyReportFactory)
    action = ReportEvent.Action.SAVED


class BrokenLinkFactory(factory.django.DjangoModelFactory):
    """A link the monitor has found broken: two failed checks in a row, HTTP 404, since 10 January 2022."""

    class Meta:
        model = Link

    url = factory.Sequence(lambda n: f"https://www.example.go.th/gone/{n}")
    status = "down"
    fail_count = 2
    failing_since = datetime.datetime(2022, 1, 10, 2, 0, tzinfo=datetime.UTC)
    last_status_code = 404
    last_error = "http"
