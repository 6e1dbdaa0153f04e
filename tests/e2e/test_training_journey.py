"""gddt.mai-chau nominates two staff; thuvien approves one and the course (one place) fills, so
the other waits; attendance is taken with one tap; an anonymous visitor verifies the certificate."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.models import Organisation, User
from tests.e2e.conftest import login, logout
from tests.factories import SchoolFactory, UserFactory, district
from training.models import Certificate, Course, Nomination, Session, StaffMember


@pytest.mark.browser
def test_training_journey(page, reference_data):
    office = Organisation.objects.get(code="GDDT-156")
    school = SchoolFactory(name="Trường Tiểu học Chiềng Châu", district=district("156"), parent=office)
    UserFactory(username="gddt.mai-chau", full_name="Hà Thị Mai", organisation=office)
    UserFactory(
        username="thuvien",
        full_name="Quách Thị Lan Hương",
        role=User.Role.FOCAL_OFFICER,
        organisation=Organisation.objects.get(code="TVT"),
    )
    for name in ("Lò Thị Xuân", "Hà Văn Khiêm"):
        StaffMember.objects.create(full_name=name, school=school)
    course = Course.objects.create(
        title="Tập huấn nghiệp vụ thư viện trường học năm 2026",
        organiser=Organisation.objects.get(code="TVT"),
        capacity=1,
        status=Course.Status.OPEN,
        nomination_deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    # A session already held today, so that attendance can be taken in the journey.
    session = Session.objects.create(
        course=course,
        date=timezone.localdate(),
        start_time=dt.time(0, 0),
        end_time=dt.time(23, 59),
        place="Hội trường Thư viện tỉnh",
    )

    login(page, "gddt.mai-chau")
    page.goto(f"/training/courses/{course.pk}/")
    page.get_by_role("link", name="Đề cử nhân viên").click()
    page.get_by_label(re.compile("Lò Thị Xuân")).check()
    page.get_by_label(re.compile("Hà Văn Khiêm")).check()
    page.get_by_role("button", name="Gửi đề cử").click()
    page.get_by_text("Đã đề cử: ").wait_for()
    assert Nomination.objects.filter(course=course, state="requested").count() == 2
    logout(page)

    login(page, "thuvien")
    page.goto(f"/training/courses/{course.pk}/")
    row = page.locator("tr", has_text="Lò Thị Xuân")
    row.get_by_role("button", name="Duyệt").click()
    page.get_by_text("Đã duyệt và ghi danh Lò Thị Xuân").wait_for()
    page.locator("tr", has_text="Hà Văn Khiêm").get_by_role("button", name="Duyệt").click()
    page.get_by_text("Khóa học đã đủ chỗ").wait_for()
    assert page.get_by_test_id("places").inner_text().startswith("1/1")
    states = dict(Nomination.objects.filter(course=course).values_list("staff__full_name", "state"))
    assert states == {"Lò Thị Xuân": "booked", "Hà Văn Khiêm": "waitlisted"}

    # Attendance: one tap on the person's row saves it at once (no save button with JavaScript).
    page.get_by_role("link", name="Điểm danh", exact=True).click()
    page.wait_for_url("**/attendance/")
    expect(page.get_by_role("button", name="Lưu điểm danh")).to_be_hidden()
    page.get_by_label("Lò Thị Xuân").check()
    page.locator("[data-nomination][data-saved='1']").wait_for()
    assert page.get_by_test_id("present-count").inner_text() == "1"
    assert session.attendance.get().present

    page.goto(f"/training/courses/{course.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kết thúc và cấp chứng nhận").click()
    page.get_by_text("1 người hoàn thành").wait_for()
    certificate = Certificate.objects.get()
    logout(page)

    page.goto("/training/verify/")
    page.get_by_label("Nhập mã xác thực").fill(certificate.code.lower())
    page.get_by_role("button", name="Kiểm tra").click()
    assert page.get_by_test_id("verify-status").inner_text() == "Giấy chứng nhận hợp lệ"
    assert page.get_by_test_id("verify-holder").inner_text() == "Lò Thị Xuân"
    assert "Tập huấn nghiệp vụ thư viện trường học năm 2026" in page.content()
