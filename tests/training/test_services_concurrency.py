"""Two organisers approve the last place at the same moment: one is booked, one waits.

Runs on SQLite (the database-wide write lock) and PostgreSQL (the course row lock); CI runs the
suite on PostgreSQL. `_free_places` is slowed down so that without the lock both threads would
count the place as free and overbook.
"""

import threading
import time

import pytest
from django.db import connection

from tests.factories import UserFactory
from training import services
from training.models import Nomination

from .factories import CourseFactory, SessionFactory, StaffFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_never_exceed_capacity(reference_data, monkeypatch, told):
    from tests.conftest import org

    organiser = UserFactory(role="focal_officer", organisation=org("TVT"))
    colleague = UserFactory(role="focal_officer", organisation=org("TVT"))
    nominator = UserFactory(organisation=org("GDDT-157"))
    course = CourseFactory(capacity=1)
    SessionFactory(course=course)
    first, second = (services.nomination_create(course=course, staff=StaffFactory(), by=nominator) for _ in range(2))

    original = services._free_places

    def slow_free_places(course):
        time.sleep(0.3)
        return original(course)

    monkeypatch.setattr(services, "_free_places", slow_free_places)
    barrier = threading.Barrier(2)
    errors = []

    def approve(nomination, user):
        try:
            barrier.wait(timeout=10)
            services.nomination_approve(nomination=nomination, by=user)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(first, organiser)),
        threading.Thread(target=approve, args=(second, colleague)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    result = sorted(Nomination.objects.filter(course=course).values_list("state", flat=True))
    assert result == [Nomination.State.BOOKED, Nomination.State.WAITLISTED]
