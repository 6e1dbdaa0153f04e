"""Book rotation in Chromium: a district culture centre's staff member (ttvh.lac-son) adds a
book to the district library's collection on a phone-sized screen — an EAN typed as ISBN is
refused with the import's message and nothing is saved — corrects it, finds it again by
searching without accents, edits it and takes it out of the collection."""

import pytest

from circulation.models import Item, RotatingCollection
from tests.conftest import org
from tests.e2e.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def collection(reference_data):
    UserFactory(username="ttvh.lac-son", full_name="Bùi Văn Thịnh", organisation=org("TTVH-157"))
    collection = RotatingCollection.objects.create(
        owner=org("TVH-157"), code="TVH157-LC-09", name="Tủ sách thiếu nhi Lạc Sơn"
    )
    Item.objects.create(library=org("TVH-157"), collection=collection, title="Đất rừng phương Nam", barcode="LS-1")
    return collection


def test_district_staff_add_search_edit_remove(page, collection):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "ttvh.lac-son")
    page.goto("/circulation/")
    page.get_by_role("link", name="Tủ sách thiếu nhi Lạc Sơn").click()
    page.get_by_role("link", name="Thêm sách").click()

    page.get_by_label("Nhan đề").fill("Dế Mèn phiêu lưu ký")
    page.get_by_label("Tác giả").fill("Tô Hoài")
    page.get_by_label("ISBN").fill("5901234123457")
    page.get_by_label("Mã vạch").fill("LS-2")
    page.get_by_label("Số bản").fill("3")
    page.get_by_role("button", name="Thêm sách", exact=True).click()
    assert page.get_by_text("là mã vạch EAN của hàng hóa, không phải ISBN").is_visible()
    assert not Item.objects.filter(title="Dế Mèn phiêu lưu ký").exists()

    page.get_by_label("ISBN").fill("978-604-2-10553-8")
    page.get_by_role("button", name="Thêm sách", exact=True).click()
    page.wait_for_url(f"**/circulation/collections/{collection.pk}/")
    assert page.get_by_text("Đã thêm “Dế Mèn phiêu lưu ký” vào bộ sách.").is_visible()

    page.get_by_label("Tìm trong bộ sách").fill("de men")
    page.get_by_role("button", name="Tìm").click()
    items = page.get_by_test_id("items")
    assert items.get_by_text("Dế Mèn phiêu lưu ký").is_visible()
    assert items.get_by_text("Đất rừng phương Nam").count() == 0

    items.get_by_role("link", name="Sửa “Dế Mèn phiêu lưu ký”").click()
    page.get_by_label("Số bản").fill("4")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**/circulation/collections/{collection.pk}/")
    assert Item.objects.get(title="Dế Mèn phiêu lưu ký").copies == 4

    page.get_by_test_id("items").get_by_role("link", name="Sửa “Dế Mèn phiêu lưu ký”").click()
    page.get_by_role("button", name="Gỡ khỏi bộ sách").click()
    page.wait_for_url(f"**/circulation/collections/{collection.pk}/")
    assert page.get_by_text("vẫn còn trong kho của thư viện").is_visible()
    assert Item.objects.get(title="Dế Mèn phiêu lưu ký").collection is None
