import datetime as dt

from django.utils import timezone

from core.deadlines import DeadlineKind, collect_deadlines
from tests.factories import UserFactory
from training import services
from training.deadlines import deadlines
from training.models import Course

from .factories import CourseFactory, SessionFactory, StaffFactory, school_in


def test_upcoming_sessions_remind_booked_people_and_nominators(gddt_lac_son, thuvien):
    now = timezone.now()
    course = CourseFactory(capacity=1, nomination_deadline=None)
    session = SessionFactory(course=course, date=timezone.localdate() + dt.timedelta(days=3), place="Thư viện tỉnh")
    librarian = UserFactory(role="school_librarian", organisation=school_in("157"))
    booked = services.nomination_create(course=course, staff=StaffFactory(user=librarian), by=gddt_lac_son)
    services.nomination_approve(nomination=booked, by=thuvien)
    waiting = services.nomination_create(
        course=course, staff=StaffFactory(), by=UserFactory(organisation=gddt_lac_son.organisation)
    )
    services.nomination_approve(nomination=waiting, by=thuvien)
    SessionFactory(
        course=CourseFactory(status=Course.Status.CANCELLED), date=timezone.localdate() + dt.timedelta(days=3)
    )

    found = [d for d in deadlines(start=now, end=now + dt.timedelta(days=7)) if d.extra["type"] == "session"]
    assert len(found) == 1
    (deadline,) = found
    assert deadline.kind == DeadlineKind.TRAINING_SESSION
    assert deadline.key == f"training.session:{session.pk}"
    assert deadline.due_at == session.starts_at and deadline.ends_at == session.ends_at
    assert set(deadline.recipients) == {librarian.pk, gddt_lac_son.pk}
    assert deadline.location == "Thư viện tỉnh"
    assert any(d.key == deadline.key for d in collect_deadlines(start=now, end=now + dt.timedelta(days=7)))
    assert not list(deadlines(start=now + dt.timedelta(days=8), end=now + dt.timedelta(days=9)))


def test_nomination_deadline_reminds_education_offices(gddt_lac_son):
    now = timezone.now()
    course = CourseFactory(nomination_deadline=timezone.localdate() + dt.timedelta(days=2))
    found = [
        d for d in deadlines(start=now, end=now + dt.timedelta(days=5)) if d.extra["type"] == "nomination_deadline"
    ]
    assert [d.key for d in found] == [f"training.nomination_deadline:{course.pk}"]
    assert gddt_lac_son.pk in found[0].recipients
    assert found[0].kind == DeadlineKind.NOMINATION_DEADLINE
