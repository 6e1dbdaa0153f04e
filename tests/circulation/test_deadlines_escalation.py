"""An overdue rotation of a district library escalates to the Provincial Library (the focal
unit), once, besides the owning library's heads."""

from datetime import date

import pytest

from circulation import services
from notifications.models import Reminder
from notifications.services import reminders_sweep
from tests.conftest import org
from tests.factories import UserFactory
from tests.notifications.factories import local

pytestmark = pytest.mark.django_db


def test_overdue_rotation_escalates_to_the_provincial_library(
    district_collection, school_library, ttvh_lac_son, tv_lac_son, thuvien
):
    head = UserFactory(username="ttvh.lac-son.truong", organisation=org("TTVH-157"), is_head=True)
    rotation = services.rotation_plan(
        collection=district_collection,
        school_library=school_library,
        planned_dispatch_date=date(2026, 11, 25),
        due_date=date(2026, 12, 15),
        by=ttvh_lac_son,
    )
    services.rotation_dispatch(rotation=rotation, by=ttvh_lac_son)
    one_day_late = local(2026, 12, 16, 8, 0)
    assert reminders_sweep(now=one_day_late).reminders > 0
    overdue = Reminder.objects.filter(kind="rotation_due", offset_days=1)
    assert set(overdue.filter(escalation=True).values_list("recipient__username", flat=True)) == {
        "ttvh.lac-son.truong",
        "thuvien",
    }
    assert set(overdue.filter(escalation=False).values_list("recipient__username", flat=True)) == {
        "ttvh.lac-son",
        "tv.lac-son",
    }
    # A second beat a quarter of an hour later sends nothing more.
    assert reminders_sweep(now=local(2026, 12, 16, 8, 15)).reminders == 0
    assert overdue.count() == 4 and head.is_head and tv_lac_son.is_active


def test_dispatch_records_each_line_in_the_history(collection, school_library, thuvien):
    from circulation.models import RotationLine

    rotation = services.rotation_plan(
        collection=collection,
        school_library=school_library,
        planned_dispatch_date=date(2026, 11, 25),
        due_date=date(2026, 12, 15),
        by=thuvien,
    )
    services.rotation_dispatch(rotation=rotation, by=thuvien)
    lines = RotationLine.objects.filter(rotation=rotation)
    assert lines.count() == 3
    created = RotationLine.history.filter(rotation_id=rotation.pk, history_type="+")
    assert created.count() == 3 and {h.history_user for h in created} == {thuvien}
