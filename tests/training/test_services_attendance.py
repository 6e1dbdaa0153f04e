import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from training import services
from training.models import Attendance, Certificate, Course, Nomination

from .factories import CourseFactory, SessionFactory, StaffFactory

S = Nomination.State


@pytest.fixture
def running(db, gddt_lac_son, thuvien):
    """A course of three past sessions with three booked people and one waiting."""
    today = timezone.localdate()
    course = CourseFactory(capacity=3, certificate_validity_months=24)
    sessions = [SessionFactory(course=course, date=today - dt.timedelta(days=d)) for d in (3, 2, 1)]
    people = [
        services.nomination_create(course=course, staff=StaffFactory(full_name=name), by=gddt_lac_son)
        for name in ("Bùi Thị Ngọc Ánh", "Đinh Văn Dũng", "Quách Thị Thúy", "Xa Văn Lực")
    ]
    for n in people:
        services.nomination_approve(nomination=n, by=thuvien)
    return course, sessions, people


def test_one_tap_marks_and_unmarks(client, running, thuvien):
    course, sessions, people = running
    client.force_login(thuvien)
    url = reverse("training:attendance-toggle", args=[sessions[0].pk, people[0].pk])
    response = client.post(url, {"present": "1"})
    assert response.status_code == 200
    assert response.json() == {"ok": True, "present": True, "n_present": 1}
    assert Attendance.objects.get(session=sessions[0], nomination=people[0]).present
    assert client.post(url, {"present": "0"}).json()["n_present"] == 0
    assert client.post(url, {"present": "maybe"}).status_code == 400
    # The waitlisted person is not on the list.
    waiting = reverse("training:attendance-toggle", args=[sessions[0].pk, people[3].pk])
    assert client.post(waiting, {"present": "1"}).status_code == 400
    assert client.get(url).status_code == 405


def test_future_session_cannot_be_marked(client, running, thuvien):
    course, _sessions, people = running
    later = SessionFactory(course=course, date=timezone.localdate() + dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="chưa diễn ra"):
        services.attendance_mark(session=later, nomination=people[0], present=True, by=thuvien)


def test_sheet_without_javascript_saves_the_whole_list(client, running, thuvien):
    _course, sessions, people = running
    client.force_login(thuvien)
    url = reverse("training:attendance", args=[sessions[1].pk])
    page = client.get(url)
    assert "Bùi Thị Ngọc Ánh" in page.content.decode()
    assert "Xa Văn Lực" not in page.content.decode()
    response = client.post(url, {"present": [people[0].pk, people[2].pk]}, follow=True)
    assert "2 người có mặt" in response.content.decode()
    assert set(Attendance.objects.filter(session=sessions[1], present=True).values_list("nomination", flat=True)) == {
        people[0].pk,
        people[2].pk,
    }
    # Someone not on the course: refused, nothing changes.
    response = client.post(url, {"present": [people[3].pk]}, follow=True)
    assert "không thuộc khóa học" in response.content.decode()
    assert Attendance.objects.filter(session=sessions[1], present=True).count() == 2
    assert client.post(url, {"present": ["x"]}, follow=True).status_code == 200


def _attend(sessions, nomination, count, by):
    for session in sessions[:count]:
        services.attendance_mark(session=session, nomination=nomination, present=True, by=by)


def test_attendance_completion_and_certificate_all_sessions(running, thuvien):
    course, sessions, people = running
    _attend(sessions, people[0], 3, thuvien)
    _attend(sessions, people[1], 2, thuvien)
    counts = services.course_finish(course=course, by=thuvien)
    assert counts == {"completed": 1, "partial": 1, "no_show": 1}
    states = [Nomination.objects.get(pk=n.pk).state for n in people]
    assert states == [S.FULLY_ATTENDED, S.PARTIALLY_ATTENDED, S.NO_SHOW, S.CANCELLED]
    certificate = Certificate.objects.get()
    assert certificate.nomination_id == people[0].pk
    assert certificate.holder_name == "Bùi Thị Ngọc Ánh"
    assert certificate.course_start == sessions[0].date and certificate.course_end == sessions[2].date
    assert certificate.valid_until.year == timezone.localdate().year + 2
    assert len(certificate.code) == 8 and not set(certificate.code) & set("01OIL")
    course.refresh_from_db()
    assert course.status == Course.Status.FINISHED
    with pytest.raises(ValidationError):
        services.course_finish(course=course, by=thuvien)


def test_n_of_m_rule(running, thuvien):
    course, sessions, people = running
    course.completion_rule, course.min_sessions = Course.CompletionRule.MIN_SESSIONS, 2
    course.save()
    _attend(sessions, people[0], 3, thuvien)
    _attend(sessions, people[1], 2, thuvien)
    _attend(sessions, people[2], 1, thuvien)
    assert services.course_finish(course=course, by=thuvien)["completed"] == 2
    assert set(Certificate.objects.values_list("nomination", flat=True)) == {people[0].pk, people[1].pk}


def test_course_with_future_session_cannot_finish(running, thuvien):
    course, _sessions, _people = running
    SessionFactory(course=course, date=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="chưa diễn ra"):
        services.course_finish(course=course, by=thuvien)


def test_finish_view(client, running, thuvien):
    course, sessions, people = running
    _attend(sessions, people[0], 3, thuvien)
    client.force_login(thuvien)
    response = client.post(reverse("training:course-finish", args=[course.pk]), follow=True)
    assert "1 người hoàn thành" in response.content.decode()
    assert Certificate.objects.filter(nomination=people[0]).exists()


def test_course_creation_needs_sessions_before_opening(thuvien):
    built = CourseFactory.build()
    course = services.course_create(by=thuvien, **{name: getattr(built, name) for name in services.COURSE_FIELDS})
    assert course.status == Course.Status.DRAFT and course.organiser == thuvien.organisation
    with pytest.raises(ValidationError, match="ít nhất một buổi"):
        services.course_publish(course=course, by=thuvien)
    SessionFactory(course=course)
    assert services.course_publish(course=course, by=thuvien).status == Course.Status.OPEN
