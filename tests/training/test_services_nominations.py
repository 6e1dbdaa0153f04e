import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from training import services
from training.models import Course, Nomination, NominationStateChange

from .factories import CourseFactory, SessionFactory, StaffFactory, school_in

S = Nomination.State


@pytest.fixture
def course(db):
    course = CourseFactory(capacity=2)
    SessionFactory(course=course)
    return course


def nominate(course, by, *people):
    return [services.nomination_create(course=course, staff=p, by=by) for p in people]


def states(*nominations):
    return [Nomination.objects.get(pk=n.pk).state for n in nominations]


def test_nomination_approval_waitlist_and_promotion_in_order(course, gddt_lac_son, thuvien, told):
    a, b, c, d = (StaffFactory() for _ in range(4))
    na, nb, nc, nd = nominate(course, gddt_lac_son, a, b, c, d)
    assert states(na, nb, nc, nd) == [S.REQUESTED] * 4

    for n in (na, nb, nc, nd):
        services.nomination_approve(nomination=n, by=thuvien)
    # Two places: the first two approved are booked, the next wait in approval order.
    assert states(na, nb, nc, nd) == [S.BOOKED, S.BOOKED, S.WAITLISTED, S.WAITLISTED]

    told.clear()
    services.nomination_cancel(nomination=nb, by=gddt_lac_son, reason="Ốm")
    assert states(na, nb, nc, nd) == [S.BOOKED, S.CANCELLED, S.BOOKED, S.WAITLISTED]
    # The promoted person's nominator is told (the staff member has no account here).
    assert [call["user"] for call in told] == [gddt_lac_son]
    assert "Đã có chỗ" in told[0]["title"]

    services.nomination_cancel(nomination=na, by=thuvien)
    assert states(nd) == [S.BOOKED]
    assert Nomination.objects.filter(course=course, state=S.BOOKED).count() == 2


def test_state_history_is_append_only_and_complete(course, gddt_lac_son, thuvien):
    first, second, third = nominate(course, gddt_lac_son, StaffFactory(), StaffFactory(), StaffFactory())
    for n in (first, second, third):
        services.nomination_approve(nomination=n, by=thuvien)
    services.nomination_cancel(nomination=first, by=gddt_lac_son)
    trail = list(NominationStateChange.objects.filter(nomination=third).values_list("state", flat=True))
    assert trail == [S.REQUESTED, S.APPROVED, S.WAITLISTED, S.BOOKED]
    step = NominationStateChange.objects.filter(nomination=third).first()
    step.note = "sửa"
    with pytest.raises(ValidationError):
        step.save()
    with pytest.raises(ValidationError):
        step.delete()


def test_nobody_jumps_the_waitlist_when_capacity_grows(course, gddt_lac_son, thuvien):
    people = nominate(course, gddt_lac_son, *(StaffFactory() for _ in range(4)))
    for n in people[:3]:
        services.nomination_approve(nomination=n, by=thuvien)
    assert states(*people[:3]) == [S.BOOKED, S.BOOKED, S.WAITLISTED]
    services.course_update(course=course, capacity=3, by=thuvien)
    assert states(people[2]) == [S.BOOKED]
    # Full again: the next approval waits.
    services.nomination_approve(nomination=people[3], by=thuvien)
    assert states(people[3]) == [S.WAITLISTED]


def test_unlimited_course_books_everyone(gddt_lac_son, thuvien):
    course = CourseFactory(capacity=0)
    people = nominate(course, gddt_lac_son, *(StaffFactory() for _ in range(3)))
    for n in people:
        services.nomination_approve(nomination=n, by=thuvien)
    assert states(*people) == [S.BOOKED] * 3


def test_decline_and_double_nomination_refused(course, gddt_lac_son, thuvien):
    staff = StaffFactory()
    (n,) = nominate(course, gddt_lac_son, staff)
    with pytest.raises(ValidationError, match="đã được đề cử"):
        nominate(course, gddt_lac_son, staff)
    services.nomination_decline(nomination=n, by=thuvien, reason="Không đúng đối tượng")
    assert states(n) == [S.DECLINED]
    with pytest.raises(ValidationError):
        services.nomination_approve(nomination=n, by=thuvien)
    # Declined is final for that nomination but the person may be put forward again.
    (again,) = nominate(course, gddt_lac_son, staff)
    assert again.state == S.REQUESTED


def test_nomination_after_deadline_or_on_closed_course_refused(gddt_lac_son):
    late = CourseFactory(nomination_deadline=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="không còn nhận đề cử"):
        nominate(late, gddt_lac_son, StaffFactory())
    closed = CourseFactory(status=Course.Status.CLOSED)
    with pytest.raises(ValidationError):
        nominate(closed, gddt_lac_son, StaffFactory())


def test_district_officer_cannot_nominate_staff_of_another_district(course, gddt_mai_chau, client):
    lac_son_staff = StaffFactory(school=school_in("157"))
    with pytest.raises(PermissionDenied):
        nominate(course, gddt_mai_chau, lac_son_staff)
    # Through the form: the other district's staff is not offered, and a forged post changes nothing.
    client.force_login(gddt_mai_chau)
    url = reverse("training:nominate", args=[course.pk])
    page = client.get(url)
    assert lac_son_staff.full_name not in page.content.decode()
    response = client.post(url, {"staff": [lac_son_staff.pk]})
    assert response.status_code == 200
    assert "không thuộc phạm vi" in response.content.decode()
    assert not Nomination.objects.filter(staff=lac_son_staff).exists()
    # Nor may they see it as a staff record.
    assert client.get(reverse("training:staff-detail", args=[lac_son_staff.pk])).status_code == 404


def test_culture_officer_and_leadership_cannot_nominate(course, vhtt_lac_son, giamdoc_sgddt):
    staff = StaffFactory()
    for user in (vhtt_lac_son, giamdoc_sgddt):
        with pytest.raises(PermissionDenied):
            nominate(course, user, staff)


def test_school_librarian_nominates_own_school_only(course, tv_lac_son, lac_son_school):
    own = StaffFactory(school=lac_son_school)
    other = StaffFactory(school=school_in("157"))
    (n,) = nominate(course, tv_lac_son, own)
    assert n.nominating_organisation == tv_lac_son.organisation
    with pytest.raises(PermissionDenied):
        nominate(course, tv_lac_son, other)


def test_cancelled_course_tells_everyone_booked(course, gddt_lac_son, thuvien, told):
    staff_user = UserFactory(role="school_librarian", organisation=school_in("157"))
    booked_staff = StaffFactory(user=staff_user)
    a, b, c = nominate(course, gddt_lac_son, booked_staff, StaffFactory(), StaffFactory())
    for n in (a, b, c):
        services.nomination_approve(nomination=n, by=thuvien)
    told.clear()
    services.course_cancel(course=course, by=thuvien, reason="Trùng lịch thi học kỳ")
    course.refresh_from_db()
    assert course.status == Course.Status.CANCELLED
    assert states(a, b, c) == [S.CANCELLED] * 3
    assert {call["user"] for call in told} == {staff_user, gddt_lac_son}
    assert all("Trùng lịch thi học kỳ" in call["body"] for call in told)
    with pytest.raises(ValidationError):
        services.course_cancel(course=course, by=thuvien, reason="lần nữa")


def test_without_inbox_people_are_emailed_after_commit(
    course, gddt_lac_son, thuvien, no_inbox, django_capture_on_commit_callbacks
):
    (n,) = nominate(course, gddt_lac_son, StaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_approve(nomination=n, by=thuvien)
    assert [m.to for m in mail.outbox] == [[gddt_lac_son.email]]
    assert "Đã ghi danh" in mail.outbox[0].subject


def test_only_managers_approve(course, gddt_lac_son, giamdoc_vhttdl, vhtt_lac_son):
    (n,) = nominate(course, gddt_lac_son, StaffFactory())
    for user in (gddt_lac_son, giamdoc_vhttdl, vhtt_lac_son):
        with pytest.raises(PermissionDenied):
            services.nomination_approve(nomination=n, by=user)
