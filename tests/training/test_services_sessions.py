"""The organiser removes a session from the portal, unless attendance was taken for it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from training import services
from training.models import Course, Session

from .factories import CourseFactory, SessionFactory, StaffFactory


@pytest.fixture
def course(db):
    course = CourseFactory(capacity=3, title="Tập huấn biên mục MARC 21 cho thư viện trường học")
    past = SessionFactory(course=course, date=timezone.localdate() - dt.timedelta(days=1))
    upcoming = SessionFactory(course=course, date=timezone.localdate() + dt.timedelta(days=7), place="Phòng 2")
    return course, past, upcoming


def test_organiser_removes_an_upcoming_session_and_booked_people_are_told(client, course, thuvien, gddt_lac_son, told):
    course, _past, upcoming = course
    nomination = services.nomination_create(course=course, staff=StaffFactory(), by=gddt_lac_son)
    services.nomination_approve(nomination=nomination, by=thuvien)
    told.clear()
    client.force_login(thuvien)
    detail = client.get(reverse("training:course-detail", args=[course.pk])).content.decode()
    assert reverse("training:session-delete", args=[upcoming.pk]) in detail
    response = client.post(reverse("training:session-delete", args=[upcoming.pk]), follow=True)
    assert not Session.objects.filter(pk=upcoming.pk).exists()
    assert f"Đã xóa buổi học ngày {upcoming.date:%d/%m/%Y}." in response.content.decode()
    assert [c["user"] for c in told] == [gddt_lac_son]
    assert f"{upcoming.date:%d/%m/%Y}" in told[0]["body"]


def test_a_session_with_attendance_cannot_be_removed(client, course, thuvien, gddt_lac_son):
    course, past, upcoming = course
    nomination = services.nomination_create(course=course, staff=StaffFactory(), by=gddt_lac_son)
    services.nomination_approve(nomination=nomination, by=thuvien)
    services.attendance_mark(session=past, nomination=nomination, present=False, by=thuvien)
    client.force_login(thuvien)
    detail = client.get(reverse("training:course-detail", args=[course.pk])).content.decode()
    assert reverse("training:session-delete", args=[past.pk]) not in detail
    response = client.post(reverse("training:session-delete", args=[past.pk]), follow=True)
    assert Session.objects.filter(pk=past.pk).exists()
    assert f"Buổi học ngày {past.date:%d/%m/%Y} đã được điểm danh nên không thể xóa." in response.content.decode()


def test_the_only_session_of_a_running_course_stays(course, thuvien):
    course, past, upcoming = course
    services.session_delete(session=upcoming, by=thuvien)
    with pytest.raises(services.ValidationError, match="buổi học duy nhất"):
        services.session_delete(session=past, by=thuvien)
    assert course.sessions.count() == 1


def test_sessions_of_a_finished_course_stay(course, thuvien):
    course, past, _upcoming = course
    Course.objects.filter(pk=course.pk).update(status=Course.Status.FINISHED)
    with pytest.raises(services.ValidationError, match="đã hủy hoặc đã kết thúc"):
        services.session_delete(session=past, by=thuvien)


def test_session_delete_access(client, course, giamdoc_vhttdl, gddt_mai_chau, thuvien):
    course, _past, upcoming = course
    url = reverse("training:session-delete", args=[upcoming.pk])
    client.force_login(giamdoc_vhttdl)  # leadership reads only
    assert client.post(url).status_code == 403
    client.force_login(gddt_mai_chau)  # may see the course, not manage it
    assert client.post(url).status_code == 403
    draft = CourseFactory(status=Course.Status.DRAFT)  # another organiser's draft: not even visible
    hidden = SessionFactory(course=draft)
    assert client.post(reverse("training:session-delete", args=[hidden.pk])).status_code == 404
    client.force_login(thuvien)
    assert client.get(url).status_code == 405
    assert Session.objects.filter(pk=upcoming.pk).exists()
    assert client.post(url).status_code == 302
    assert not Session.objects.filter(pk=upcoming.pk).exists()
