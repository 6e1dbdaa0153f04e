import datetime as dt

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from training import services
from training.navigation import home_panels

from .factories import CourseFactory, SessionFactory, StaffFactory


def test_home_panels_per_role(client, thuvien, gddt_lac_son, lac_son_school, django_assert_max_num_queries):
    course = CourseFactory(title="Tập huấn nghiệp vụ thư viện trường học năm 2026", capacity=3)
    SessionFactory(course=course, date=timezone.localdate() + dt.timedelta(days=4), place="Hội trường Thư viện tỉnh")
    librarian = UserFactory(role="school_librarian", organisation=lac_son_school)
    staff = StaffFactory(school=lac_son_school, user=librarian)
    for s in (staff, StaffFactory(), StaffFactory()):
        services.nomination_create(course=course, staff=s, by=gddt_lac_son)
    services.nomination_approve(nomination=staff.nominations.get(), by=thuvien)

    # This app's panels cost a fixed handful of queries, whatever the data.
    request = RequestFactory().get("/")
    request.user = thuvien
    with django_assert_max_num_queries(6):
        for panel in home_panels(request):
            render_to_string(panel.template, {"ctx": panel.context, "request": request})
    client.force_login(thuvien)
    text = client.get(reverse("core:home")).content.decode()
    assert "Đề cử chờ duyệt" in text and "2 chờ duyệt" in text

    client.force_login(gddt_lac_son)
    text = client.get(reverse("core:home")).content.decode()
    assert "Khóa học đang nhận đề cử" in text and "còn 2/3 chỗ" in text and "Chờ duyệt" in text

    client.force_login(librarian)
    text = client.get(reverse("core:home")).content.decode()
    assert "Lịch học và giấy chứng nhận của tôi" in text and "Hội trường Thư viện tỉnh" in text


def test_nav_has_training_menu(client, gddt_lac_son, vhtt_lac_son):
    client.force_login(gddt_lac_son)
    text = client.get(reverse("training:course-list")).content.decode()
    assert "Đào tạo" in text and reverse("training:staff-list") in text
    client.force_login(vhtt_lac_son)
    text = client.get(reverse("training:course-list")).content.decode()
    assert reverse("training:staff-list") not in text


def test_leadership_and_culture_offices_see_training_figures(client, giamdoc_vhttdl, vhtt_lac_son):
    from .factories import org

    course = CourseFactory(kind="extracurricular", title="Giờ học ngoại khóa tại Thư viện huyện Lạc Sơn")
    SessionFactory(course=course, venue=org("TVH-157"), date=timezone.localdate(), pupil_count=37)
    client.force_login(vhtt_lac_son)
    text = client.get(reverse("core:home")).content.decode()
    assert "Giờ học ngoại khóa tại thư viện huyện" in text and "37" in text
    client.force_login(giamdoc_vhttdl)
    text = client.get(reverse("core:home")).content.decode()
    assert "lượt học sinh ngoại khóa" in text
