"""A district officer opens Khóa API from the user menu, creates a token, uses it, and
revokes it: from then on the API refuses it."""

import pytest

from tests.conftest import org
from tests.e2e.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_use_and_revoke_a_token(page, live_server, reference_data):
    UserFactory(username="gddt.lac-son", full_name="Bùi Thị Hằng", organisation=org("GDDT-157"))
    login(page, "gddt.lac-son")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Khóa API").click()
    page.wait_for_url("**/api/tokens/")
    page.get_by_label("Tên khóa").fill("Bảng tính tổng hợp của phòng")
    page.get_by_role("button", name="Tạo khóa").click()
    raw = page.get_by_test_id("token-value").input_value()
    assert raw.startswith("hbp_")
    api = page.context.request
    headers = {"Authorization": f"Bearer {raw}"}
    assert api.get(f"{live_server.url}/api/v1/notifications/", headers=headers).status == 200
    page.goto("/api/tokens/")
    assert raw not in page.content()
    row = page.get_by_test_id("my-tokens").locator("tr", has_text="Bảng tính tổng hợp của phòng")
    assert "Chưa dùng" not in row.inner_text()  # the last use is shown
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Thu hồi").click()
    page.wait_for_selector("text=Đã thu hồi khóa")
    refused = api.get(f"{live_server.url}/api/v1/notifications/", headers=headers)
    assert refused.status == 401
