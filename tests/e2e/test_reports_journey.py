"""gddt.lac-son fills the H1 report of the current year in Chromium and submits it;
vanphong finds it on the completeness page and accepts it."""

import datetime

import pytest

from directory.models import Organisation, User
from reports import services
from reports.models import Report
from tests.e2e.conftest import login, logout
from tests.factories import UserFactory

from ..reports.factories import GD_VALUES

pytestmark = pytest.mark.browser


def test_district_officer_submits_and_focal_officer_accepts(page, reference_data):
    today = datetime.date.today()
    period = services.period_create(year=today.year, half="H1", lock_date=today + datetime.timedelta(days=30))
    office = Organisation.objects.get(code="GDDT-157")
    UserFactory(username="gddt.lac-son", full_name="Bùi Thị Hằng", organisation=office)
    UserFactory(username="vanphong", role=User.Role.FOCAL_OFFICER, organisation=Organisation.objects.get(code="VPSGD"))

    login(page, "gddt.lac-son")
    page.goto("/reports/")
    page.get_by_role("link", name="Lập báo cáo").first.click()
    page.get_by_role("button", name="Lập báo cáo").click()
    for code, value in GD_VALUES.items():
        page.locator(f"#f-{code}").fill(str(value))
    page.get_by_test_id("save-status").filter(has_text="Đã lưu nháp").wait_for()
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_test_id("report-status").filter(has_text="Đã nộp").wait_for()
    report = Report.objects.get(period=period, organisation=office)
    assert report.status == Report.Status.SUBMITTED
    assert report.values.get(indicator__code="GD08").number == 5200
    logout(page)

    login(page, "vanphong")
    page.goto(f"/reports/ky/{period.pk}/tien-do/")
    row = page.locator("tr[data-org='GDDT-157']")
    row.get_by_text("Đã nộp").wait_for()
    row.get_by_role("link", name="Xem xét").click()
    page.get_by_role("button", name="Tiếp nhận báo cáo").click()
    page.get_by_test_id("report-status").filter(has_text="Đã tiếp nhận").wait_for()
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED

    # The consolidation page draws both charts from the local Chart.js, without a CSP error.
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"/reports/ky/{period.pk}/tong-hop/")
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 2")
    title = page.evaluate("() => Chart.getChart('chart-districts').options.plugins.title.text.join(' ')")
    assert title.startswith("LC01 – Số bộ sách")  # the indicator's name, not a bare code
    assert problems == []
