"""Factories and helpers for the programs tests."""

from datetime import date, datetime, time

import factory
from django.utils import timezone

from programs.models import ActionItem, AnnualPlan, Meeting, PlanActivity, Programme
from programs.services import programme_load
from tests.conftest import org


def programme_2019() -> Programme:
    """The real 2019-2020 programme, loaded from the app's data file."""
    return programme_load()


def current_programme(year: int | None = None) -> Programme:
    """A programme covering `year` (the current year by default), with two commitments."""
    year = year or timezone.localdate().year
    programme, _ = Programme.objects.get_or_create(
        title=f"Chương trình thử nghiệm {year}", signed_on=date(year, 1, 5), valid_from=year, valid_to=year
    )
    for position, code in enumerate(["IV.1.b", "IV.2.b", "IV.1.d", "IV.1.d2"], 1):
        programme.commitments.get_or_create(
            code=code, defaults={"section": "IV", "text": f"Nội dung {code}", "position": position}
        )
    return programme


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    programme = factory.LazyFunction(current_programme)
    year = factory.LazyAttribute(lambda p: p.programme.valid_from)
    title = factory.LazyAttribute(lambda p: f"Kế hoạch năm {p.year}")
    created_by = None


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanActivity
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Hoạt động {n}")
    lead_unit = factory.LazyFunction(lambda: org("TVT"))
    start_date = factory.LazyAttribute(lambda a: date(a.plan.year, 2, 1))
    end_date = factory.LazyAttribute(lambda a: date(a.plan.year, 11, 30))

    @factory.post_generation
    def commitments(obj, create, extracted, **kwargs):
        if create:
            obj.commitments.set(extracted if extracted is not None else obj.plan.programme.commitments.all()[:1])


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    programme = factory.LazyFunction(current_programme)
    kind = Meeting.Kind.EXCHANGE
    title = factory.Sequence(lambda n: f"Họp trao đổi thông tin {n}")
    starts_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.combine(timezone.localdate() + timezone.timedelta(days=5), time(8)))
    )
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timezone.timedelta(hours=3))
    location = "Phòng họp Thư viện tỉnh Hòa Bình"
    created_by = None


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    description = "Tổng hợp danh sách trường nhận sách luân chuyển"
    owner_organisation = factory.LazyFunction(lambda: org("GDDT-157"))
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=3))
