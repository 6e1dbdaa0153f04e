"""Collections and items edited in the portal by the owning library's staff (no admin needed),
and the accent-insensitive search on the collection list and detail."""

from datetime import date

import pytest
from django.urls import reverse

from circulation import services
from circulation.models import Item, RotatingCollection, Route
from tests.conftest import org

from .factories import CollectionFactory, ItemFactory, collection_with_items, isbn13


def url(name, *args):
    return reverse(f"circulation:{name}", args=args)


ITEM = {
    "title": "Dế Mèn phiêu lưu ký",
    "authors": "Tô Hoài",
    "publisher": "NXB Kim Đồng",
    "year": "2021",
    "isbn": "",
    "call_number": "895.9223 T450H",
    "barcode": "DM-0001",
    "copies": "3",
    "condition": "good",
}


@pytest.fixture
def out(district_collection, school_library, ttvh_lac_son):
    """The district library's collection, dispatched to a Lạc Sơn school."""
    rotation = services.rotation_plan(
        collection=district_collection,
        school_library=school_library,
        planned_dispatch_date=date(2026, 11, 25),
        by=ttvh_lac_son,
    )
    services.rotation_dispatch(rotation=rotation, by=ttvh_lac_son)
    return district_collection


def _item_data(**overrides):
    return {**ITEM, **overrides}


def _snapshot(collection):
    return list(collection.items.order_by("pk").values_list("title", "isbn", "barcode", "copies", "condition"))


# --- Collection edit ---------------------------------------------------------------------------


def test_district_staff_edit_their_collection(client, ttvh_lac_son, district_collection):
    client.force_login(ttvh_lac_son)
    page = client.get(url("collection-edit", district_collection.pk))
    assert page.status_code == 200 and "Sửa thông tin bộ sách" in page.content.decode()
    response = client.post(
        url("collection-edit", district_collection.pk),
        {"name": "Tủ sách văn hóa Mường – bổ sung", "theme": "Văn hóa Mường", "target_level": "lower_secondary"},
    )
    assert response.status_code == 302
    district_collection.refresh_from_db()
    assert district_collection.name == "Tủ sách văn hóa Mường – bổ sung"
    assert district_collection.target_level == "lower_secondary"
    assert district_collection.history.count() == 2


def test_collection_edit_readonly_403(client, giamdoc_vhttdl, district_collection):
    client.force_login(giamdoc_vhttdl)
    assert client.get(url("collection-edit", district_collection.pk)).status_code == 403
    assert client.post(url("collection-edit", district_collection.pk), {"name": "X"}).status_code == 403
    district_collection.refresh_from_db()
    assert district_collection.name != "X"


def test_collection_edit_outsider_404(client, outsider, district_collection):
    client.force_login(outsider)
    assert client.get(url("collection-edit", district_collection.pk)).status_code == 404


def test_collection_edit_wrong_method_405(client, ttvh_lac_son, district_collection):
    client.force_login(ttvh_lac_son)
    assert client.put(url("collection-edit", district_collection.pk)).status_code == 405


def test_provincial_staff_cannot_edit_district_collection(client, thuvien, district_collection):
    client.force_login(thuvien)
    assert client.get(url("collection-edit", district_collection.pk)).status_code == 403


def test_collection_edit_requires_a_name(client, ttvh_lac_son, district_collection):
    client.force_login(ttvh_lac_son)
    name = district_collection.name
    response = client.post(url("collection-edit", district_collection.pk), {"name": "  "})
    assert response.status_code == 200
    district_collection.refresh_from_db()
    assert district_collection.name == name


def test_collection_name_can_change_while_out(out, ttvh_lac_son):
    services.collection_update(collection=out, name="Tủ sách đổi tên", by=ttvh_lac_son)
    out.refresh_from_db()
    assert out.name == "Tủ sách đổi tên"


# --- Retire / restore --------------------------------------------------------------------------


def test_archive_collection(client, ttvh_lac_son, district_collection, school_library):
    route = services.route_create(
        collection=district_collection,
        name="Lộ trình Lạc Sơn",
        school_year="2026-2027",
        start_date=date(2027, 1, 4),
        stages=[(school_library, 60)],
        by=ttvh_lac_son,
    )
    client.force_login(ttvh_lac_son)
    response = client.post(url("collection-archive", district_collection.pk), follow=True)
    assert "Đã ngừng sử dụng bộ sách" in response.content.decode()
    district_collection.refresh_from_db()
    assert not district_collection.is_active
    assert not Route.objects.get(pk=route.pk).is_active
    # Hidden from the default list, shown among the retired ones; no new rotation can be planned.
    listing = client.get(url("collection-list")).content.decode()
    assert district_collection.name not in listing
    assert district_collection.name in client.get(url("collection-list") + "?archived=1").content.decode()
    with pytest.raises(Exception, match="ngừng sử dụng"):
        services.rotation_plan(
            collection=district_collection,
            school_library=school_library,
            planned_dispatch_date=date(2026, 12, 1),
            by=ttvh_lac_son,
        )
    client.post(url("collection-restore", district_collection.pk))
    district_collection.refresh_from_db()
    assert district_collection.is_active


def test_archive_refused_while_out(client, ttvh_lac_son, out):
    client.force_login(ttvh_lac_son)
    response = client.post(url("collection-archive", out.pk), follow=True)
    assert "chỉ ngừng sử dụng khi bộ sách đã về thư viện" in response.content.decode()
    out.refresh_from_db()
    assert out.is_active


def test_archive_refused_with_planned_rotation(ttvh_lac_son, district_collection, school_library):
    services.rotation_plan(
        collection=district_collection,
        school_library=school_library,
        planned_dispatch_date=date(2026, 12, 1),
        by=ttvh_lac_son,
    )
    with pytest.raises(Exception, match="hãy hủy đợt đó"):
        services.collection_archive(collection=district_collection, by=ttvh_lac_son)
    district_collection.refresh_from_db()
    assert district_collection.is_active


@pytest.mark.parametrize("name", ["collection-archive", "collection-restore"])
def test_archive_restore_access(client, name, district_collection, ttvh_lac_son, giamdoc_vhttdl, outsider):
    client.force_login(ttvh_lac_son)
    assert client.get(url(name, district_collection.pk)).status_code == 405
    client.force_login(giamdoc_vhttdl)
    assert client.post(url(name, district_collection.pk)).status_code == 403
    client.force_login(outsider)
    assert client.post(url(name, district_collection.pk)).status_code == 404
    district_collection.refresh_from_db()
    assert district_collection.is_active


def test_restore_allowed(client, ttvh_lac_son, district_collection):
    RotatingCollection.objects.filter(pk=district_collection.pk).update(is_active=False)
    client.force_login(ttvh_lac_son)
    response = client.post(url("collection-restore", district_collection.pk), follow=True)
    assert "được sử dụng trở lại" in response.content.decode()
    district_collection.refresh_from_db()
    assert district_collection.is_active


# --- Items: add --------------------------------------------------------------------------------


def test_add_item(client, ttvh_lac_son, district_collection):
    client.force_login(ttvh_lac_son)
    assert "Thêm sách" in client.get(url("collection-detail", district_collection.pk)).content.decode()
    assert client.get(url("item-create", district_collection.pk)).status_code == 200
    response = client.post(url("item-create", district_collection.pk), _item_data(isbn="978-604-2-10553-8"))
    assert response.status_code == 302
    item = Item.objects.get(title="Dế Mèn phiêu lưu ký")
    assert item.collection == district_collection and item.library == org("TVH-157")
    assert (item.isbn, item.copies, item.year) == ("9786042105538", 3, 2021)
    page = client.get(url("collection-detail", district_collection.pk)).content.decode()
    assert "Dế Mèn phiêu lưu ký" in page and "978-604-2-10553-8" in page


def test_add_item_readonly_403(client, giamdoc_vhttdl, district_collection):
    client.force_login(giamdoc_vhttdl)
    assert client.get(url("item-create", district_collection.pk)).status_code == 403
    assert client.post(url("item-create", district_collection.pk), _item_data()).status_code == 403
    assert not Item.objects.filter(title=ITEM["title"]).exists()


def test_add_item_outsider_404(client, outsider, district_collection):
    client.force_login(outsider)
    assert client.post(url("item-create", district_collection.pk), _item_data()).status_code == 404
    assert not Item.objects.filter(title=ITEM["title"]).exists()


def test_add_item_wrong_method_405(client, ttvh_lac_son, district_collection):
    client.force_login(ttvh_lac_son)
    assert client.delete(url("item-create", district_collection.pk)).status_code == 405


@pytest.mark.parametrize(
    ("isbn", "message"),
    [
        ("5901234123457", "là mã vạch EAN của hàng hóa, không phải ISBN"),
        ("978-604-2-10553-5", "sai số kiểm tra (chữ số cuối)"),
        ("12345", "không phải là ISBN hợp lệ"),
    ],
)
def test_add_item_invalid_isbn_refused(client, ttvh_lac_son, district_collection, isbn, message):
    before = _snapshot(district_collection)
    client.force_login(ttvh_lac_son)
    response = client.post(url("item-create", district_collection.pk), _item_data(isbn=isbn))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _snapshot(district_collection) == before


def test_add_item_duplicate_barcode_refused(client, ttvh_lac_son, district_collection):
    existing = district_collection.items.first()
    before = _snapshot(district_collection)
    client.force_login(ttvh_lac_son)
    response = client.post(url("item-create", district_collection.pk), _item_data(barcode=existing.barcode))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Mã vạch {existing.barcode} đã có trong thư viện" in page and existing.title in page
    assert _snapshot(district_collection) == before


def test_same_barcode_allowed_in_another_library(ttvh_lac_son, district_collection):
    provincial = ItemFactory(barcode="CHUNG-01")  # a Provincial Library item
    item = services.item_create(
        collection=district_collection, title="Sách mới", barcode=provincial.barcode, by=ttvh_lac_son
    )
    assert item.barcode == "CHUNG-01"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("copies", "0", "Số bản phải từ 1 đến 999."), ("year", "1500", "Năm xuất bản 1500 không hợp lý.")],
)
def test_add_item_bad_numbers_refused(client, ttvh_lac_son, district_collection, field, value, message):
    client.force_login(ttvh_lac_son)
    response = client.post(url("item-create", district_collection.pk), _item_data(**{field: value}))
    assert message in response.content.decode()
    assert not Item.objects.filter(title=ITEM["title"]).exists()


def test_add_item_refused_while_out(client, ttvh_lac_son, out):
    before = _snapshot(out)
    client.force_login(ttvh_lac_son)
    response = client.post(url("item-create", out.pk), _item_data())
    assert "Bộ sách đang được luân chuyển" in response.content.decode()
    assert _snapshot(out) == before


# --- Items: edit and remove ----------------------------------------------------------------------


def test_edit_item(client, ttvh_lac_son, district_collection):
    item = district_collection.items.first()
    client.force_login(ttvh_lac_son)
    page = client.get(url("item-edit", item.pk)).content.decode()
    assert item.title in page and item.isbn_display in page
    data = _item_data(title="Dế Mèn phiêu lưu ký (tái bản)", isbn=isbn13(500), barcode=item.barcode, condition="worn")
    response = client.post(url("item-edit", item.pk), data)
    assert response["Location"] == url("collection-detail", district_collection.pk)
    item.refresh_from_db()
    assert (item.title, item.isbn, item.condition, item.copies) == (
        "Dế Mèn phiêu lưu ký (tái bản)",
        isbn13(500),
        "worn",
        3,
    )


def test_edit_item_readonly_403(client, giamdoc_vhttdl, district_collection):
    item = district_collection.items.first()
    client.force_login(giamdoc_vhttdl)
    assert client.get(url("item-edit", item.pk)).status_code == 403
    assert client.post(url("item-edit", item.pk), _item_data()).status_code == 403
    item.refresh_from_db()
    assert item.title != ITEM["title"]


def test_edit_item_outsider_404(client, outsider, district_collection):
    item = district_collection.items.first()
    client.force_login(outsider)
    assert client.get(url("item-edit", item.pk)).status_code == 404
    assert client.get(url("item-edit", 999999)).status_code == 404


def test_edit_item_wrong_method_405(client, ttvh_lac_son, district_collection):
    client.force_login(ttvh_lac_son)
    assert client.put(url("item-edit", district_collection.items.first().pk)).status_code == 405


def test_edit_item_ean_refused_nothing_changed(client, ttvh_lac_son, district_collection):
    item = district_collection.items.first()
    before = _snapshot(district_collection)
    client.force_login(ttvh_lac_son)
    response = client.post(url("item-edit", item.pk), _item_data(isbn="8934567890120", barcode=item.barcode))
    assert "là mã vạch EAN của hàng hóa, không phải ISBN" in response.content.decode()
    assert _snapshot(district_collection) == before


def test_edit_item_duplicate_barcode_refused(client, ttvh_lac_son, district_collection):
    first, second = district_collection.items.order_by("pk")[:2]
    client.force_login(ttvh_lac_son)
    response = client.post(url("item-edit", second.pk), _item_data(barcode=first.barcode))
    assert f"Mã vạch {first.barcode} đã có trong thư viện" in response.content.decode()
    second.refresh_from_db()
    assert second.barcode != first.barcode and second.title != ITEM["title"]


def test_edit_item_keeps_own_barcode(ttvh_lac_son, district_collection):
    item = district_collection.items.first()
    services.item_update(item=item, title="Tên mới", barcode=item.barcode, isbn=item.isbn, by=ttvh_lac_son)
    item.refresh_from_db()
    assert item.title == "Tên mới"


def test_edit_item_refused_while_out(client, ttvh_lac_son, out):
    item = out.items.first()
    before = _snapshot(out)
    client.force_login(ttvh_lac_son)
    page = client.get(url("item-edit", item.pk)).content.decode()
    assert "Bộ sách đang được luân chuyển" in page
    response = client.post(url("item-edit", item.pk), _item_data(barcode=item.barcode))
    assert "chỉ sửa danh mục sách khi bộ sách đã về thư viện" in response.content.decode()
    assert _snapshot(out) == before


def test_remove_item(client, ttvh_lac_son, district_collection):
    item = district_collection.items.first()
    client.force_login(ttvh_lac_son)
    response = client.post(url("item-remove", item.pk), follow=True)
    assert "vẫn còn trong kho của thư viện" in response.content.decode()
    item.refresh_from_db()
    assert item.collection is None and item.library == org("TVH-157")
    assert district_collection.items.count() == 1
    # Still editable by the library's staff, out of any collection.
    assert client.get(url("item-edit", item.pk)).status_code == 200


def test_remove_item_refused_while_out(client, ttvh_lac_son, out):
    item = out.items.first()
    client.force_login(ttvh_lac_son)
    response = client.post(url("item-remove", item.pk), follow=True)
    assert "chỉ gỡ sách khỏi bộ sách khi bộ sách đã về thư viện" in response.content.decode()
    item.refresh_from_db()
    assert item.collection == out


def test_remove_item_access(client, district_collection, ttvh_lac_son, giamdoc_vhttdl, outsider):
    item = district_collection.items.first()
    client.force_login(ttvh_lac_son)
    assert client.get(url("item-remove", item.pk)).status_code == 405
    client.force_login(giamdoc_vhttdl)
    assert client.post(url("item-remove", item.pk)).status_code == 403
    client.force_login(outsider)
    assert client.post(url("item-remove", item.pk)).status_code == 404
    item.refresh_from_db()
    assert item.collection == district_collection


def test_removed_item_hidden_from_other_libraries(client, thuvien, ttvh_lac_son, district_collection):
    item = district_collection.items.first()
    services.item_remove(item=item, by=ttvh_lac_son)
    client.force_login(thuvien)
    assert client.get(url("item-edit", item.pk)).status_code == 404


# --- Search --------------------------------------------------------------------------------------


@pytest.fixture
def searchable(db):
    collection = CollectionFactory(name="Tủ sách thiếu nhi Lạc Sơn")
    ItemFactory(collection=collection, title="Dế Mèn phiêu lưu ký", authors="Tô Hoài", isbn=isbn13(901))
    ItemFactory(collection=collection, title="Đất rừng phương Nam", authors="Đoàn Giỏi")
    other = CollectionFactory(name="Tủ sách khoa học", theme="Khoa học")
    ItemFactory(collection=other, title="Mười vạn câu hỏi vì sao")
    return collection, other


def test_collection_list_search_without_accents(client, thuvien, searchable):
    collection, other = searchable
    client.force_login(thuvien)
    page = client.get(url("collection-list"), {"q": "de men"}).content.decode()
    assert collection.name in page and other.name not in page
    page = client.get(url("collection-list"), {"q": "KHOA HOC"}).content.decode()
    assert other.name in page and collection.name not in page
    page = client.get(url("collection-list"), {"q": "không có gì như thế"}).content.decode()
    assert "Không tìm thấy bộ sách hay tên sách nào khớp" in page


def test_collection_detail_search_without_accents(client, thuvien, searchable):
    collection, _other = searchable
    client.force_login(thuvien)
    page = client.get(url("collection-detail", collection.pk), {"q": "de men phieu"}).content.decode()
    assert "Dế Mèn phiêu lưu ký" in page and "Đất rừng phương Nam" not in page
    page = client.get(url("collection-detail", collection.pk), {"q": "doan gioi"}).content.decode()
    assert "Đất rừng phương Nam" in page and "Dế Mèn phiêu lưu ký" not in page
    isbn = isbn13(901)
    typed = f"{isbn[:3]}-{isbn[3:6]}-{isbn[6:]}"
    page = client.get(url("collection-detail", collection.pk), {"q": typed}).content.decode()
    assert "Dế Mèn phiêu lưu ký" in page and "Đất rừng phương Nam" not in page


def test_search_ignores_case_and_spacing(client, thuvien, searchable):
    collection, _other = searchable
    client.force_login(thuvien)
    page = client.get(url("collection-detail", collection.pk), {"q": "  DẾ   MEN "}).content.decode()
    assert "Dế Mèn phiêu lưu ký" in page and "Đất rừng phương Nam" not in page


# --- Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n_items", [3, 150])
def test_collection_detail_queries_bounded(client, ttvh_lac_son, n_items, django_assert_max_num_queries):
    collection = collection_with_items(n_items, copies=1, owner=org("TVH-157"))
    client.force_login(ttvh_lac_son)
    with django_assert_max_num_queries(14):
        response = client.get(url("collection-detail", collection.pk))
    assert response.status_code == 200
    assert f"{n_items} tên sách" in response.content.decode()
    with django_assert_max_num_queries(14):
        response = client.get(url("collection-detail", collection.pk), {"q": "truyen co tich", "page": "2"})
    assert response.status_code == 200


@pytest.mark.parametrize("n_collections", [2, 40])
def test_collection_list_search_queries_bounded(client, thuvien, n_collections, django_assert_max_num_queries):
    collections = [collection_with_items(2) for _i in range(n_collections)]
    client.force_login(thuvien)
    with django_assert_max_num_queries(10):
        response = client.get(url("collection-list"), {"q": "truyen co tich"})
    assert response.status_code == 200
    page = response.content.decode()
    shown = [c for c in collections if f'{url("collection-detail", c.pk)}">{c.name}</a>' in page]
    assert len(shown) == min(n_collections, 30)  # every title matches; the list shows 30 a page
