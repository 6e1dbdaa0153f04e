"""A district officer sees the bell count, reads a reminder and opens the object it links to."""

import pytest

from notifications import services
from tests.conftest import org
from tests.e2e.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bell_inbox_mark_read_and_open(page, reference_data):
    user = UserFactory(username="gddt.lac-son", full_name="Bùi Thị Hằng", organisation=org("GDDT-157"))
    services.notify(
        user=user, title="Còn 3 ngày: Báo cáo 6 tháng cuối năm 2026", url="/directory/organisations/", email=False
    )
    services.notify(user=user, title="Họp trao đổi thông tin 6 tháng", email=False)
    login(page, "gddt.lac-son")
    assert page.get_by_test_id("unread-count").inner_text() == "2"
    page.goto("/notifications/")
    items = page.get_by_test_id("notification")
    assert items.count() == 2
    items.filter(has_text="Họp trao đổi").get_by_role("button", name="Đã đọc").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_test_id("unread-count").inner_text() == "1"
    page.get_by_test_id("notification").filter(has_text="Báo cáo 6 tháng").get_by_role("button", name="Mở").click()
    page.wait_for_url("**/directory/organisations/")
    assert page.get_by_test_id("unread-count").count() == 0
