from datetime import date, datetime
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from circulation import services
from circulation.deadlines import deadlines
from circulation.models import Rotation, RotationEvent, RouteStage
from circulation.tasks import propose_route_moves
from core.deadlines import DeadlineKind


@pytest.fixture
def route(collection, school_library, other_school_library, thuvien):
    return services.route_create(
        collection=collection,
        name="Lộ trình năm học 2026-2027",
        school_year="2026-2027",
        start_date=date(2026, 11, 20),
        stages=[(school_library, 30), (other_school_library, 45)],
        by=thuvien,
    )


def test_route_stage_past_school_year_is_refused(collection, school_library, thuvien):
    with pytest.raises(services.ValidationError) as exc:
        services.route_create(
            collection=collection,
            name="Quá dài",
            school_year="2026-2027",
            start_date=date(2027, 4, 1),
            stages=[(school_library, 90)],
            by=thuvien,
        )
    assert "kết thúc năm học" in " ".join(exc.value.messages)


def test_daily_job_proposes_the_first_then_the_next_move_once(
    route,
    school_library,
    other_school_library,
    thuvien,
    tv_lac_son,
    other_librarian,
    django_capture_on_commit_callbacks,
):
    told = []
    with mock.patch("notifications.services.notify", side_effect=lambda **kw: told.append(kw)):
        with django_capture_on_commit_callbacks(execute=True):
            assert propose_route_moves() == 1
            assert propose_route_moves() == 0  # safe to run twice
        first = RouteStage.objects.get(route=route, position=1).rotation
        assert first.school_library == school_library and first.status == Rotation.Status.PLANNED
        assert first.events.get().kind == RotationEvent.Kind.PROPOSED
        assert {kw["user"] for kw in told} >= {thuvien, tv_lac_son}
        # The first stage ends on 20/12/2026: nothing more before, the next move on that day.
        services.rotation_dispatch(rotation=first, by=thuvien)
        with time_machine.travel("2026-12-19 09:00 +07:00"):
            assert services.route_propose_moves() == 0
        told.clear()
        with time_machine.travel("2026-12-20 09:00 +07:00"), django_capture_on_commit_callbacks(execute=True):
            assert services.route_propose_moves() == 1
            assert services.route_propose_moves() == 0
    second = RouteStage.objects.get(route=route, position=2).rotation
    assert second.school_library == other_school_library
    assert second.planned_dispatch_date == date(2026, 12, 20) and second.due_date == date(2027, 2, 3)
    # Both libraries are told: the owner, the school holding it and the next school.
    assert {kw["user"] for kw in told} == {thuvien, tv_lac_son, other_librarian}


def test_rotation_due_deadlines(collection, school_library, thuvien, tv_lac_son):
    rotation = services.rotation_plan(
        collection=collection,
        school_library=school_library,
        planned_dispatch_date=date(2026, 11, 25),
        due_date=date(2026, 12, 15),
        by=thuvien,
    )
    window = {"start": timezone.now(), "end": timezone.make_aware(datetime(2027, 1, 1))}
    assert [d for d in deadlines(**window) if d.kind == DeadlineKind.ROTATION_DUE] == []  # not out yet
    services.rotation_dispatch(rotation=rotation, by=thuvien)
    (deadline,) = [d for d in deadlines(**window) if d.kind == DeadlineKind.ROTATION_DUE]
    assert deadline.key == f"circulation.rotation:{rotation.pk}"
    assert timezone.localtime(deadline.due_at).date() == date(2026, 12, 15)
    assert set(deadline.recipients) == {thuvien.pk, tv_lac_son.pk}
    assert deadline.escalate_to == (thuvien.pk,)
    assert deadline.url.endswith(f"/rotations/{rotation.pk}/")
    services.rotation_receive(rotation=rotation, by=tv_lac_son, total=6)
    services.rotation_check(rotation=rotation, by=thuvien)
    assert [d for d in deadlines(**window) if d.kind == DeadlineKind.ROTATION_DUE] == []


def test_route_move_deadlines(route, tv_lac_son, other_librarian, thuvien):
    window = {"start": timezone.now(), "end": timezone.make_aware(datetime(2027, 1, 31))}
    moves = [d for d in deadlines(**window) if d.kind == DeadlineKind.ROUTE_MOVE]
    # Stage 1 started before the window; stage 2 starts on 20/12/2026.
    assert [timezone.localtime(d.due_at).date() for d in moves] == [date(2026, 12, 20)]
    assert set(moves[0].recipients) == {thuvien.pk, other_librarian.pk}
