"""An amendment in Chromium: a focal officer proposes a new text for a clause, each Director
agrees, and the programme page then shows the new version with the old text one click away."""

import pytest

from directory.models import User
from tests.conftest import org
from tests.e2e.conftest import login, logout
from tests.factories import UserFactory
from tests.programs.factories import current_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TEXT = "Luân chuyển sách hằng quý tới thư viện trường học vùng sâu, vùng xa."


@pytest.fixture
def people(reference_data):
    UserFactory(
        username="vanphong", full_name="Nguyễn Minh Tuấn", role=User.Role.FOCAL_OFFICER, organisation=org("VPSGD")
    )
    UserFactory(
        username="giamdoc.vhttdl", full_name="Bùi Văn Thành", role=User.Role.LEADERSHIP, organisation=org("SVHTTDL")
    )
    UserFactory(
        username="giamdoc.sgddt", full_name="Đinh Thị Thu Hà", role=User.Role.LEADERSHIP, organisation=org("SGDDT")
    )
    return current_programme()


def _open_amendment(page, programme):
    page.goto(f"/programs/programmes/{programme.pk}/")
    page.get_by_test_id("amendments").get_by_role("link", name="IV.2.b").click()


def test_amendment_through_both_directors(page, people):
    programme = people
    login(page, "vanphong")
    page.goto(f"/programs/programmes/{programme.pk}/")
    page.get_by_role("link", name="Đề xuất sửa đổi", exact=True).click()
    page.get_by_label("Điều khoản sửa đổi").select_option(label="IV.2.b – Nội dung IV.2.b")
    page.get_by_label("Nội dung mới").fill(NEW_TEXT)
    page.get_by_label("Lý do sửa đổi, bổ sung").fill("Tăng tần suất luân chuyển theo đề nghị của các huyện.")
    page.get_by_role("button", name="Gửi đề xuất").click()
    assert page.get_by_test_id("amendment-status").inner_text() == "Đang chờ hai bên thống nhất"
    assert "hằng quý" in " ".join(page.locator("ins.diff-added").all_inner_texts())
    logout(page)

    login(page, "giamdoc.vhttdl")
    _open_amendment(page, programme)
    page.get_by_role("button", name="Đồng ý", exact=True).click()
    assert "đang chờ Giám đốc Sở còn lại" in page.locator(".alert").first.inner_text()
    assert page.get_by_test_id("amendment-decision-form").count() == 0
    logout(page)

    login(page, "giamdoc.sgddt")
    _open_amendment(page, programme)
    page.get_by_role("button", name="Đồng ý", exact=True).click()
    assert page.get_by_test_id("amendment-status").inner_text() == "Đã áp dụng"

    page.goto(f"/programs/programmes/{programme.pk}/")
    assert "phiên bản 2" in page.locator(".page-header").inner_text()
    row = page.locator("#c-IV\\.2\\.b")
    assert NEW_TEXT in row.inner_text()
    row.get_by_test_id("amended-IV.2.b").click()
    assert page.get_by_test_id("old-text").inner_text() == "Nội dung IV.2.b"
    assert page.locator("del.diff-removed").first.is_visible()
