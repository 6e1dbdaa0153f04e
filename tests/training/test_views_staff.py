import pytest
from django.urls import reverse

from training.models import StaffMember

from .factories import StaffFactory, school_in


def _form(school, **extra):
    return {
        "full_name": "Lò Thị Hạnh",
        "school": school.pk,
        "employment": "full_time",
        "qualification": "library_college",
        "qualification_detail": "",
        "position": "Nhân viên thư viện",
        "phone": "0978 111 222",
        "email": "hanh@example.vn",
        "is_active": "on",
        **extra,
    }


def test_district_office_lists_and_searches_its_staff(client, gddt_lac_son, django_assert_max_num_queries):
    own = StaffFactory(full_name="Bùi Thị Đào", school=school_in("157"))
    other = StaffFactory(full_name="Hà Văn Páo", school=school_in("156"))
    client.force_login(gddt_lac_son)
    with django_assert_max_num_queries(10):
        text = client.get(reverse("training:staff-list")).content.decode()
    assert own.full_name in text and other.full_name not in text
    text = client.get(reverse("training:staff-list"), {"q": "bui thi dao"}).content.decode()
    assert own.full_name in text
    assert client.get(reverse("training:staff-detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("training:staff-list")).status_code == 405


def test_culture_office_has_no_staff_registry(client, vhtt_lac_son):
    client.force_login(vhtt_lac_son)
    assert client.get(reverse("training:staff-list")).status_code == 403


def test_district_office_adds_staff_only_to_its_schools(client, gddt_lac_son, giamdoc_sgddt):
    own_school, other_school = school_in("157"), school_in("156")
    client.force_login(gddt_lac_son)
    response = client.post(reverse("training:staff-create"), _form(other_school))
    assert response.status_code == 200  # not among the choices
    assert not StaffMember.objects.exists()
    response = client.post(reverse("training:staff-create"), _form(own_school))
    staff = StaffMember.objects.get()
    assert response.status_code == 302 and staff.school == own_school
    client.force_login(giamdoc_sgddt)
    assert client.get(reverse("training:staff-create")).status_code == 403


def test_school_librarian_keeps_own_school(client, tv_lac_son, lac_son_school):
    client.force_login(tv_lac_son)
    page = client.get(reverse("training:staff-create"))
    assert page.context["form"]["school"].value() == lac_son_school.pk
    client.post(reverse("training:staff-create"), _form(lac_son_school, employment="part_time"))
    staff = StaffMember.objects.get()
    edit = reverse("training:staff-edit", args=[staff.pk])
    client.post(edit, _form(lac_son_school, full_name="Lò Thị Hạnh (sửa)"))
    staff.refresh_from_db()
    assert staff.full_name == "Lò Thị Hạnh (sửa)" and staff.history.count() == 2


@pytest.mark.usefixtures("db")
def test_training_history_shows_courses_and_certificates(client, gddt_lac_son, thuvien):
    import datetime as dt

    from django.utils import timezone

    from training import services

    from .factories import CourseFactory, SessionFactory

    staff = StaffFactory(full_name="Đinh Thị Nhàn")
    course = CourseFactory(title="Tập huấn phân loại DDC 23")
    session = SessionFactory(course=course, date=timezone.localdate() - dt.timedelta(days=1))
    n = services.nomination_create(course=course, staff=staff, by=gddt_lac_son)
    services.nomination_approve(nomination=n, by=thuvien)
    services.attendance_mark(session=session, nomination=n, present=True, by=thuvien)
    services.course_finish(course=course, by=thuvien)
    client.force_login(gddt_lac_son)
    text = client.get(reverse("training:staff-detail", args=[staff.pk])).content.decode()
    assert "Tập huấn phân loại DDC 23" in text and "Tham dự đầy đủ" in text
    assert n.__class__.objects.get(pk=n.pk).certificate.code in text
