"""The annual plan's happy path in Chromium: draft, submit, one approval, a return with a
comment, the fix, resubmission and both approvals; the plan is then in force."""

import re

import pytest
from django.utils import timezone

from directory.models import User
from programs.models import AnnualPlan
from tests.conftest import org
from tests.e2e.conftest import login, logout
from tests.factories import UserFactory
from tests.programs.factories import current_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(reference_data):
    UserFactory(
        username="thuvien", full_name="Quách Thị Lan Hương", role=User.Role.FOCAL_OFFICER, organisation=org("TVT")
    )
    UserFactory(
        username="giamdoc.vhttdl", full_name="Bùi Văn Thành", role=User.Role.LEADERSHIP, organisation=org("SVHTTDL")
    )
    UserFactory(
        username="giamdoc.sgddt", full_name="Đinh Thị Thu Hà", role=User.Role.LEADERSHIP, organisation=org("SGDDT")
    )
    return current_programme()


def _open_plan(page):
    page.goto("/programs/plans/")
    page.get_by_role("link", name=re.compile("Kế hoạch năm \\d{4}")).first.click()


def _decide(page, username, decision, comment=""):
    login(page, username)
    _open_plan(page)
    if comment:
        page.get_by_label(re.compile("Ý kiến của")).fill(comment)
    page.get_by_role("button", name=decision, exact=True).click()
    page.wait_for_load_state()
    logout(page)


def test_plan_happy_path(page, people):
    year = timezone.localdate().year
    login(page, "thuvien")
    page.goto("/programs/plans/")
    page.get_by_role("link", name="Lập kế hoạch mới").click()
    page.get_by_label("Tên kế hoạch").fill(f"Kế hoạch năm {year}")
    page.get_by_role("button", name="Tạo dự thảo").click()
    page.get_by_role("link", name="Thêm hoạt động").click()
    page.get_by_label("Tên hoạt động").fill("Luân chuyển sách tới thư viện trường học")
    page.get_by_label(re.compile("IV\\.2\\.b –")).check()
    page.get_by_label(re.compile("IV\\.1\\.b –")).check()
    page.get_by_label("Đơn vị chủ trì").select_option(label="Thư viện tỉnh Hòa Bình")
    page.get_by_label("Chỉ tiêu").fill("500")
    page.get_by_label("Đơn vị tính").fill("cuốn sách")
    page.get_by_role("button", name="Lưu hoạt động").click()
    activities = page.get_by_test_id("activities")
    assert "IV.2.b" in activities.inner_text() and "IV.1.b" in activities.inner_text()
    page.get_by_role("button", name="Trình phê duyệt").click()
    assert page.get_by_test_id("plan-status").inner_text() == "Chờ phê duyệt"
    logout(page)

    _decide(page, "giamdoc.vhttdl", "Phê duyệt")
    _decide(page, "giamdoc.sgddt", "Trả lại", comment="Đề nghị tăng chỉ tiêu luân chuyển lên 600 cuốn.")

    login(page, "thuvien")
    _open_plan(page)
    assert page.get_by_test_id("plan-status").inner_text() == "Dự thảo"
    assert "tăng chỉ tiêu luân chuyển lên 600" in page.get_by_test_id("return-comment").inner_text()
    page.get_by_role("link", name="Sửa", exact=True).click()
    page.get_by_label("Chỉ tiêu").fill("600")
    page.get_by_role("button", name="Lưu hoạt động").click()
    page.get_by_role("button", name="Trình phê duyệt").click()
    assert page.get_by_test_id("plan-status").inner_text() == "Chờ phê duyệt"
    logout(page)

    _decide(page, "giamdoc.sgddt", "Phê duyệt")
    login(page, "giamdoc.vhttdl")
    _open_plan(page)
    page.get_by_role("button", name="Phê duyệt", exact=True).click()
    assert page.get_by_test_id("plan-status").inner_text() == "Đang thực hiện"
    assert "Hai Sở đã cùng phê duyệt" in page.content()
    plan = AnnualPlan.objects.get(year=year)
    assert plan.status == AnnualPlan.Status.IN_FORCE and plan.submission_round == 2
    assert plan.activities.get().target_value == 600
