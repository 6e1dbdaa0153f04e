"""After `reorganise phutho-2025 --apply`: a commune officer, on a phone, opens the current
period, fills the report for both sectors and submits it; their former district office's
report stays readable, not editable; the DoET office accepts the commune's report and
compares it with the district period by former district territory."""

import datetime

import pytest
from django.core.management import call_command

from directory.models import Organisation, User
from reports import services
from reports.models import Report
from tests.e2e.conftest import login, logout
from tests.factories import UserFactory

from ..reports.factories import CULTURE_VALUES, GD_VALUES, filled_report

pytestmark = pytest.mark.browser


def test_commune_officer_reports_on_a_phone_and_the_province_compares_by_territory(page, reference_data):
    today = datetime.date.today()
    lock = today + datetime.timedelta(days=30)
    district_office = Organisation.objects.get(code="VHTT-157")
    officer = UserFactory(username="vhtt.lac-son", full_name="Đinh Văn Khánh", organisation=district_office)
    UserFactory(username="vanphong", role=User.Role.FOCAL_OFFICER, organisation=Organisation.objects.get(code="VPSGD"))
    before = services.period_create(year=2024, half="H2", lock_date=lock)
    old_report = filled_report(before, district_office, officer, submit=True, values={**CULTURE_VALUES})
    call_command("reorganise", "phutho-2025", "--apply")
    period = services.period_create(year=today.year, half="H1", lock_date=lock)

    page.set_viewport_size({"width": 360, "height": 780})
    login(page, "vhtt.lac-son")
    page.goto("/reports/")
    page.get_by_test_id("history-list").get_by_text("Phòng Văn hóa và Thông tin huyện Lạc Sơn").click()
    page.get_by_test_id("history-note").wait_for()
    assert page.locator("#f-VH01").count() == 0  # read only
    page.goto("/reports/")
    page.get_by_role("link", name="Lập báo cáo").first.click()
    page.get_by_role("button", name="Lập báo cáo").click()
    for code, value in {**GD_VALUES, **CULTURE_VALUES}.items():
        page.locator(f"#f-{code}").fill(str(value))
    page.get_by_test_id("save-status").filter(has_text="Đã lưu nháp").wait_for()
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_test_id("report-status").filter(has_text="Đã nộp").wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    report = Report.objects.get(period=period, organisation__code="VHXH-05266")
    assert report.status == Report.Status.SUBMITTED
    old_report.refresh_from_db()
    assert old_report.organisation == district_office
    page.set_viewport_size({"width": 1280, "height": 900})  # the user menu is in the collapsed bar on phones
    logout(page)

    login(page, "vanphong")
    page.goto(f"/reports/{report.pk}/")
    page.get_by_role("button", name="Tiếp nhận báo cáo").click()
    page.get_by_test_id("report-status").filter(has_text="Đã tiếp nhận").wait_for()
    page.goto(f"/reports/ky/{period.pk}/theo-dia-ban/?so_sanh={before.pk}&chi_tieu=VH01")
    row = page.locator("tr[data-district='157']")
    assert row.locator("td").nth(0).inner_text() == "14" and row.locator("td").nth(1).inner_text() == "14"
