"""One thumb at 360 px: the report form and the attendance sheet fit the width, use numeric
keypads for figures, and their targets are large enough to hit (at least 44 px high)."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from directory.models import Organisation, User
from reports import services as report_services
from tests.e2e.conftest import login
from tests.factories import SchoolFactory, UserFactory, district
from training import services as training_services
from training.models import Course, Session, StaffMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"width": 360, "height": 740}
SMALLEST = 44


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url, viewport=PHONE, is_mobile=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _heights(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getBoundingClientRect().height)")


def test_report_form_fits_a_phone(phone, reference_data):
    today = dt.date.today()
    period = report_services.period_create(year=today.year, half="H1", lock_date=today + dt.timedelta(days=30))
    office = Organisation.objects.get(code="GDDT-150")
    officer = UserFactory(username="gddt.da-bac", full_name="Đinh Văn Thắng", organisation=office)
    report = report_services.report_start(period=period, organisation=office, by=officer)
    login(phone, "gddt.da-bac")
    phone.goto(f"/reports/{report.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    modes = phone.eval_on_selector_all("#report-form input[name^='v_']", "els => els.map(e => e.inputMode)")
    assert modes and set(modes) == {"numeric"}
    assert min(_heights(phone, "#report-form input[name^='v_'], .save-bar .btn, #submit-form .btn")) >= SMALLEST
    phone.locator("#f-GD01").fill("31")
    phone.get_by_test_id("save-status").filter(has_text="Đã lưu nháp").wait_for()
    phone.screenshot(path=str(SHOTS / "report-entry-360.png"))


def test_attendance_sheet_fits_a_phone(phone, reference_data):
    office = Organisation.objects.get(code="GDDT-156")
    school = SchoolFactory(name="Trường Tiểu học Chiềng Châu", district=district("156"), parent=office)
    nominator = UserFactory(username="gddt.mai-chau", full_name="Hà Thị Mai", organisation=office)
    thuvien = UserFactory(
        username="thuvien", role=User.Role.FOCAL_OFFICER, organisation=Organisation.objects.get(code="TVT")
    )
    course = Course.objects.create(
        title="Tập huấn nghiệp vụ thư viện trường học năm 2026",
        organiser=Organisation.objects.get(code="TVT"),
        capacity=10,
        status=Course.Status.OPEN,
        nomination_deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    session = Session.objects.create(
        course=course,
        date=timezone.localdate(),
        start_time=dt.time(0, 0),
        end_time=dt.time(23, 59),
        place="Hội trường Thư viện tỉnh",
    )
    for name in ("Lò Thị Xuân", "Hà Văn Khiêm", "Sa Thị Nguyệt Ánh"):
        staff = StaffMember.objects.create(full_name=name, school=school)
        nomination = training_services.nomination_create(course=course, staff=staff, by=nominator)
        training_services.nomination_approve(nomination=nomination, by=thuvien)
    login(phone, "thuvien")
    phone.goto(f"/training/sessions/{session.pk}/attendance/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert min(_heights(phone, ".attendance-row")) >= SMALLEST
    phone.get_by_label("Hà Văn Khiêm").check()
    phone.locator("[data-nomination][data-saved='1']").wait_for()
    assert session.attendance.get().present
    phone.screenshot(path=str(SHOTS / "attendance-360.png"))
