import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from directory import demo as directory_demo
from programs import demo
from programs.models import ActionItem, AnnualPlan, Meeting, PlanActivity, Programme
from programs.selectors import coverage

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_tells_the_story(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    directory_demo.seed()
    demo.seed()
    counts = (
        Programme.objects.count(),
        AnnualPlan.objects.count(),
        PlanActivity.objects.count(),
        Meeting.objects.count(),
        ActionItem.objects.count(),
    )
    demo.seed()
    assert counts == (
        Programme.objects.count(),
        AnnualPlan.objects.count(),
        PlanActivity.objects.count(),
        Meeting.objects.count(),
        ActionItem.objects.count(),
    )
    today = timezone.localdate()
    renewal = Programme.objects.get(renewal_of__isnull=False)
    assert renewal.covers(today.year)
    assert set(AnnualPlan.objects.values_list("year", flat=True)) >= {2019, 2020, today.year}
    assert AnnualPlan.objects.get(year=today.year).status == "in_force"
    data = coverage()
    assert data.total == 31 and 0 < data.covered < data.total
    soon = Meeting.objects.filter(
        starts_at__gte=timezone.now(), starts_at__lte=timezone.now() + timezone.timedelta(days=14)
    )
    assert soon.exists()


def test_demo_shows_amendments_in_each_state(settings, tmp_path):
    from programs.models import ProgrammeAmendment

    settings.MEDIA_ROOT = tmp_path
    directory_demo.seed()
    demo.seed()
    demo.seed()
    states = sorted(ProgrammeAmendment.objects.values_list("status", flat=True))
    assert states == ["applied", "proposed", "returned"]
    waiting = ProgrammeAmendment.objects.get(status="proposed")
    assert waiting.awaiting_sides == ["doet"]
    assert ProgrammeAmendment.objects.get(status="applied").programme.version == 2


def test_demo_shows_local_plan_reviews(settings, tmp_path):
    from programs.models import LocalPlan

    settings.MEDIA_ROOT = tmp_path
    directory_demo.seed()
    demo.seed()
    demo.seed()
    returned = LocalPlan.objects.get(status="returned")
    assert returned.review_comment and returned.reviewed_by.username == "vanphong"
    assert LocalPlan.objects.filter(status="acknowledged").count() == 1
    assert returned.plan.local_plans_due is not None


def test_demo_shows_pilots_with_evaluation_and_rollout(settings, tmp_path):
    from programs.models import Pilot

    settings.MEDIA_ROOT = tmp_path
    directory_demo.seed()
    demo.seed()
    demo.seed()
    stages = {p.school_level: p.stage for p in Pilot.objects.all()}
    assert stages.get("primary") == "decided"
    rolled = Pilot.objects.get(school_level="primary")
    assert rolled.evidence and rolled.lessons_learned and rolled.schools.count() >= 1


@time_machine.travel(dt.datetime(2026, 9, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
def test_demo_seeded_late_in_the_year_still_reminds_offices_missing_a_local_plan(settings, tmp_path):
    from notifications import demo as notifications_demo
    from notifications.models import Reminder

    settings.MEDIA_ROOT = tmp_path
    directory_demo.seed()
    demo.seed()
    notifications_demo.seed()
    assert AnnualPlan.objects.get(year=2026).local_plans_due == dt.date(2026, 9, 20)
    reminded = set(
        Reminder.objects.filter(kind="local_plan_due").values_list("recipient__organisation__code", flat=True)
    )
    assert {"GDDT-148", "GDDT-156"} <= reminded, "a draft and a returned plan are not sent"
    assert not reminded & {"GDDT-157", "GDDT-155"}, "Lạc Sơn sent its plan, Cao Phong's was acknowledged"
