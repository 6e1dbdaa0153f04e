"""Each access-checked view: allowed; read-only refused (403); outsider 404; wrong method 405."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from training import services
from training.models import Course, Nomination

from .factories import CourseFactory, SessionFactory, StaffFactory, org, school_in


@pytest.fixture
def course(db):
    course = CourseFactory(capacity=1, title="Giới thiệu sách và phương pháp đọc cho học sinh tiểu học")
    SessionFactory(course=course, date=timezone.localdate() - dt.timedelta(days=1))
    return course


@pytest.fixture
def nomination(course, gddt_lac_son):
    return services.nomination_create(course=course, staff=StaffFactory(full_name="Bùi Thị Duyên"), by=gddt_lac_son)


def test_course_list_and_detail(client, course, gddt_mai_chau, django_assert_max_num_queries):
    draft = CourseFactory(status=Course.Status.DRAFT, title="Khóa nháp chưa công bố")
    client.force_login(gddt_mai_chau)
    with django_assert_max_num_queries(12):
        text = client.get(reverse("training:course-list")).content.decode()
    assert course.title in text and draft.title not in text
    assert client.get(reverse("training:course-detail", args=[course.pk])).status_code == 200
    assert client.get(reverse("training:course-detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("training:course-list")).status_code == 405


def test_course_detail_query_count_is_bounded(client, course, thuvien, gddt_lac_son, django_assert_max_num_queries):
    people = [StaffFactory() for _ in range(6)]
    for staff in people:
        services.nomination_create(course=course, staff=staff, by=gddt_lac_son)
    client.force_login(thuvien)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("training:course-detail", args=[course.pk]))
    assert response.status_code == 200
    assert all(staff.full_name in response.content.decode() for staff in people)


def test_nominations_of_another_district_are_hidden(client, course, nomination, gddt_mai_chau, thuvien):
    client.force_login(gddt_mai_chau)
    assert "Bùi Thị Duyên" not in client.get(reverse("training:course-detail", args=[course.pk])).content.decode()
    assert client.get(reverse("training:nomination-detail", args=[nomination.pk])).status_code == 404
    client.force_login(thuvien)
    assert "Bùi Thị Duyên" in client.get(reverse("training:course-detail", args=[course.pk])).content.decode()


def test_approve_view(client, nomination, thuvien, giamdoc_vhttdl, gddt_mai_chau):
    url = reverse("training:nomination-approve", args=[nomination.pk])
    client.force_login(giamdoc_vhttdl)
    assert client.post(url).status_code == 403
    client.force_login(gddt_mai_chau)
    assert client.post(url).status_code == 404
    client.force_login(thuvien)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Đã duyệt và ghi danh Bùi Thị Duyên" in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).state == Nomination.State.BOOKED


def test_approve_view_when_full_says_waitlisted(client, course, nomination, thuvien, gddt_lac_son):
    other = services.nomination_create(course=course, staff=StaffFactory(), by=gddt_lac_son)
    services.nomination_approve(nomination=nomination, by=thuvien)
    client.force_login(thuvien)
    response = client.post(reverse("training:nomination-approve", args=[other.pk]), follow=True)
    assert "danh sách chờ" in response.content.decode()


def test_cancel_view_by_nominator(client, nomination, gddt_lac_son, vhtt_lac_son):
    url = reverse("training:nomination-cancel", args=[nomination.pk])
    client.force_login(vhtt_lac_son)  # sees the course, not the staff: 404
    assert client.post(url).status_code == 404
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 405
    client.post(url)
    assert Nomination.objects.get(pk=nomination.pk).state == Nomination.State.CANCELLED


def test_nominate_view(client, course, gddt_lac_son, giamdoc_sgddt):
    staff = [StaffFactory(full_name=n) for n in ("Đinh Thị Hoa", "Bùi Văn Tâm")]
    url = reverse("training:nominate", args=[course.pk])
    client.force_login(giamdoc_sgddt)
    assert client.get(url).status_code == 403
    client.force_login(gddt_lac_son)
    assert client.delete(url).status_code == 405
    assert client.post(url, {}).status_code == 200  # nobody chosen: the form says so
    response = client.post(url, {"staff": [s.pk for s in staff], "note": "Ưu tiên trường vùng cao"}, follow=True)
    assert "Đã đề cử: Đinh Thị Hoa, Bùi Văn Tâm" in response.content.decode()
    assert Nomination.objects.filter(course=course, state="requested").count() == 2


def test_attendance_sheet_access(client, course, nomination, thuvien, giamdoc_vhttdl, gddt_mai_chau):
    services.nomination_approve(nomination=nomination, by=thuvien)
    session = course.sessions.get()
    url = reverse("training:attendance", args=[session.pk])
    client.force_login(giamdoc_vhttdl)
    assert client.get(url).status_code == 403
    client.force_login(gddt_mai_chau)
    assert client.get(url).status_code == 403  # sees the published course, may not take attendance
    draft_session = SessionFactory(course=CourseFactory(status=Course.Status.DRAFT))
    assert client.get(reverse("training:attendance", args=[draft_session.pk])).status_code == 404
    client.force_login(thuvien)
    assert client.put(url).status_code == 405
    assert "Bùi Thị Duyên" in client.get(url).content.decode()


def test_course_create_and_edit(client, thuvien, giamdoc_vhttdl, gddt_mai_chau):
    client.force_login(giamdoc_vhttdl)
    assert client.get(reverse("training:course-create")).status_code == 403
    client.force_login(thuvien)
    response = client.post(
        reverse("training:course-create"),
        {
            "title": "Thí điểm giờ đọc sách cho học sinh THCS",
            "kind": "pilot",
            "school_level": "",
            "capacity": "20",
            "completion_rule": "all",
        },
    )
    assert response.status_code == 200
    assert "phải ghi rõ cấp học" in response.content.decode()
    response = client.post(
        reverse("training:course-create"),
        {
            "title": "Thí điểm giờ đọc sách cho học sinh THCS",
            "kind": "pilot",
            "school_level": "lower_secondary",
            "capacity": "20",
            "completion_rule": "min",
            "min_sessions": "2",
        },
    )
    course = Course.objects.get(title="Thí điểm giờ đọc sách cho học sinh THCS")
    assert response.status_code == 302 and course.organiser == thuvien.organisation
    client.force_login(gddt_mai_chau)  # a draft of another organiser: not even visible
    assert client.get(reverse("training:course-edit", args=[course.pk])).status_code == 404


def test_cancel_course_view_requires_reason(client, course, thuvien):
    client.force_login(thuvien)
    url = reverse("training:course-cancel", args=[course.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "lý do" in response.content.decode()
    course.refresh_from_db()
    assert course.status == Course.Status.OPEN
    client.post(url, {"reason": "Giảng viên bận đột xuất"})
    course.refresh_from_db()
    assert course.status == Course.Status.CANCELLED


def test_district_organiser_manages_only_own_course(client, gddt_mai_chau, gddt_lac_son):
    course = CourseFactory(organiser=org("GDDT-156"), kind="pupil_reading")
    SessionFactory(course=course)
    client.force_login(gddt_lac_son)
    assert client.get(reverse("training:course-edit", args=[course.pk])).status_code == 403
    client.force_login(gddt_mai_chau)
    page = client.get(reverse("training:course-edit", args=[course.pk]))
    assert page.status_code == 200 and f'value="{course.title}"' in page.content.decode()


def test_librarian_sees_own_booking(client, course, thuvien, gddt_lac_son, lac_son_school):
    librarian = UserFactory(role="school_librarian", organisation=lac_son_school)
    staff = StaffFactory(full_name="Xa Thị Oanh", school=lac_son_school, user=librarian)
    services.nomination_approve(
        nomination=services.nomination_create(course=course, staff=staff, by=gddt_lac_son), by=thuvien
    )
    other = StaffFactory(full_name="Người trường khác", school=school_in("157"))
    services.nomination_create(course=course, staff=other, by=gddt_lac_son)
    client.force_login(librarian)
    text = client.get(reverse("training:course-detail", args=[course.pk])).content.decode()
    assert "Xa Thị Oanh" in text and "Người trường khác" not in text
