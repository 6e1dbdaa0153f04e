import json
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from circulation import services
from circulation.models import ImportBatch, Item, RotatingCollection, Rotation, RotationEvent
from circulation.navigation import home_panels

from .factories import collection_with_items, isbn13


@pytest.fixture
def planned(collection, school_library, thuvien):
    return services.rotation_plan(
        collection=collection, school_library=school_library, planned_dispatch_date=date(2026, 11, 25), by=thuvien
    )


@pytest.fixture
def dispatched(planned, thuvien):
    return services.rotation_dispatch(rotation=planned, by=thuvien)


def url(name, *args):
    return reverse(f"circulation:{name}", args=args)


def test_collection_list_and_detail(client, thuvien, collection, django_assert_max_num_queries):
    for _i in range(5):
        collection_with_items(2)
    client.force_login(thuvien)
    with django_assert_max_num_queries(12):
        response = client.get(url("collection-list"))
    assert response.status_code == 200
    assert collection.name in response.content.decode()
    with django_assert_max_num_queries(15):
        response = client.get(url("collection-detail", collection.pk))
    assert response.status_code == 200
    assert "Lập đợt luân chuyển" in response.content.decode()


def test_collection_detail_outsider_404(client, outsider, collection):
    client.force_login(outsider)
    assert client.get(url("collection-detail", collection.pk)).status_code == 404


def test_collection_create(client, thuvien, giamdoc_vhttdl):
    client.force_login(thuvien)
    response = client.post(
        url("collection-create"),
        {"owner": thuvien.organisation_id, "code": "TVT-26-01", "name": "Tủ sách Bác Hồ"},
        follow=True,
    )
    created = RotatingCollection.objects.get(code="TVT-26-01")
    assert response.redirect_chain[-1][0] == url("collection-detail", created.pk)
    assert "Đã tạo bộ sách “Tủ sách Bác Hồ”." in response.content.decode()
    client.force_login(giamdoc_vhttdl)
    assert client.get(url("collection-create")).status_code == 403


def test_import_flow_preview_then_confirm(client, thuvien, collection):
    client.force_login(thuvien)
    data = (
        "Nhan đề,Tác giả,Nhà xuất bản,Năm xuất bản,ISBN,Ký hiệu xếp giá,Mã vạch,Số bản,Tình trạng\n"
        f"Đất rừng phương Nam,Đoàn Giỏi,NXB Kim Đồng,2019,{isbn13(77)},895.9223 Đ406G,DR-01,2,Tốt\n"
    ).encode()
    response = client.post(url("import-upload", collection.pk), {"file": SimpleUploadedFile("sach.csv", data)})
    batch = ImportBatch.objects.get()
    assert response["Location"] == url("import-preview", batch.pk)
    assert not Item.objects.filter(title="Đất rừng phương Nam").exists()
    page = client.get(url("import-preview", batch.pk)).content.decode()
    assert "Đất rừng phương Nam" in page and "Xác nhận nhập" in page
    assert client.get(url("import-confirm", batch.pk)).status_code == 405
    client.post(url("import-confirm", batch.pk))
    assert Item.objects.get(title="Đất rừng phương Nam").collection == collection


def test_import_preview_shows_row_problems(client, thuvien, collection):
    client.force_login(thuvien)
    data = "Nhan đề,ISBN\n,5901234123457\n".encode()
    client.post(url("import-upload", collection.pk), {"file": SimpleUploadedFile("sach.csv", data)})
    batch = ImportBatch.objects.get()
    page = client.get(url("import-preview", batch.pk)).content.decode()
    assert "Thiếu nhan đề" in page and "không phải ISBN" in page and "Xác nhận nhập" not in page
    response = client.post(url("import-confirm", batch.pk), follow=True)
    assert "không nhập dòng nào" in response.content.decode()


def test_import_bad_file_message(client, thuvien, collection):
    client.force_login(thuvien)
    response = client.post(url("import-upload", collection.pk), {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")})
    assert response.status_code == 200
    assert "Chỉ nhận tệp" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_import_access(client, collection, giamdoc_vhttdl, outsider, tv_lac_son):
    client.force_login(giamdoc_vhttdl)
    assert client.get(url("import-upload", collection.pk)).status_code == 403
    client.force_login(outsider)
    assert client.get(url("import-upload", collection.pk)).status_code == 404
    client.force_login(tv_lac_son)
    assert client.get(url("import-upload", collection.pk)).status_code == 404


def test_template_download(client, thuvien):
    client.force_login(thuvien)
    response = client.get(url("import-template"))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_plan_rotation_view(client, thuvien, collection, school_library):
    client.force_login(thuvien)
    response = client.post(
        url("rotation-create", collection.pk),
        {"school_library": school_library.pk, "planned_dispatch_date": "2027-03-01", "due_date": "2027-06-30"},
    )
    assert response.status_code == 200
    assert "kết thúc năm học" in response.content.decode()
    response = client.post(
        url("rotation-create", collection.pk),
        {"school_library": school_library.pk, "planned_dispatch_date": "2026-12-01"},
    )
    rotation = Rotation.objects.get()
    assert response["Location"] == url("rotation-detail", rotation.pk)
    assert rotation.due_date == date(2027, 3, 1)


def test_dispatch_view_access(client, planned, thuvien, giamdoc_vhttdl, outsider):
    target = url("rotation-dispatch", planned.pk)
    client.force_login(giamdoc_vhttdl)
    assert client.post(target).status_code == 403
    client.force_login(outsider)
    assert client.post(target).status_code == 404
    client.force_login(thuvien)
    assert client.get(target).status_code == 405
    response = client.post(target, follow=True)
    assert "Đã ghi nhận gửi sách" in response.content.decode()
    response = client.post(target, follow=True)
    assert "không thể gửi đi nữa" in response.content.decode()
    assert Rotation.objects.get(pk=planned.pk).status == Rotation.Status.DISPATCHED


def test_receive_view_per_item(client, dispatched, tv_lac_son, thuvien, gddt_lac_son):
    target = url("rotation-receive", dispatched.pk)
    client.force_login(gddt_lac_son)  # sees the district, does not receive
    assert client.get(target).status_code == 403
    client.force_login(tv_lac_son)
    assert client.get(target).status_code == 200
    lines = list(dispatched.lines.order_by("position"))
    data = {"mode": "item", **{f"received_{line.pk}": line.copies_sent for line in lines}}
    data[f"received_{lines[0].pk}"] = 0
    data[f"received_{lines[1].pk}"] = 1
    client.post(target, data)
    rotation = Rotation.objects.get(pk=dispatched.pk)
    assert rotation.copies_missing == 3
    page = client.get(url("rotation-detail", rotation.pk)).content.decode()
    assert "thiếu 2 bản" in page and "thiếu 1 bản" in page
    client.force_login(thuvien)
    page = client.get(url("discrepancy-list")).content.decode()
    assert lines[0].title in page and lines[1].title in page


def test_receive_bad_input_changes_nothing(client, dispatched, tv_lac_son):
    client.force_login(tv_lac_son)
    line = dispatched.lines.first()
    response = client.post(url("rotation-receive", dispatched.pk), {"mode": "item", f"received_{line.pk}": "abc"})
    assert "số bản nhận phải từ 0" in response.content.decode()
    assert Rotation.objects.get(pk=dispatched.pk).status == Rotation.Status.DISPATCHED


def test_other_school_librarian_gets_404(client, dispatched, other_librarian):
    client.force_login(other_librarian)
    for name in ("rotation-detail", "rotation-receive", "handover-pdf"):
        assert client.get(url(name, dispatched.pk)).status_code == 404
    assert client.post(url("rotation-return", dispatched.pk)).status_code == 404
    assert dispatched.collection.name not in client.get(url("rotation-list")).content.decode()


def test_return_and_check_views(client, dispatched, tv_lac_son, thuvien, giamdoc_vhttdl):
    client.force_login(tv_lac_son)
    client.post(url("rotation-receive", dispatched.pk), {"mode": "count", "total": 6})
    assert client.get(url("rotation-return", dispatched.pk)).status_code == 405
    client.post(url("rotation-return", dispatched.pk))
    assert Rotation.objects.get(pk=dispatched.pk).status == Rotation.Status.RETURNED
    assert client.get(url("rotation-check", dispatched.pk)).status_code == 403
    client.force_login(giamdoc_vhttdl)
    assert client.get(url("rotation-check", dispatched.pk)).status_code == 403
    client.force_login(thuvien)
    lines = list(dispatched.lines.order_by("position"))
    data = {}
    for line in lines:
        data.update({f"back_{line.pk}": 2, f"lost_{line.pk}": 0, f"damaged_{line.pk}": 0})
    data.update({f"back_{lines[2].pk}": 1, f"lost_{lines[2].pk}": 1})
    client.post(url("rotation-check", dispatched.pk), data)
    rotation = Rotation.objects.get(pk=dispatched.pk)
    assert rotation.status == Rotation.Status.CLOSED and rotation.copies_lost == 1
    page = client.get(url("rotation-detail", rotation.pk)).content.decode()
    for label in ("Lập kế hoạch", "Gửi sách", "Trường xác nhận nhận sách", "Trường gửi trả", "Kiểm nhận, kết thúc"):
        assert label in page
    assert thuvien.full_name in page and tv_lac_son.full_name in page


def test_handover_documents(client, dispatched, tv_lac_son, planned):
    client.force_login(tv_lac_son)
    pdf = client.get(url("handover-pdf", dispatched.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(url("handover-xlsx", dispatched.pk))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "BIÊN BẢN BÀN GIAO SÁCH LUÂN CHUYỂN" in values
    assert "ĐẠI DIỆN BÊN GIAO" in values and "ĐẠI DIỆN BÊN NHẬN" in values


def test_cancel_only_planned(client, planned, thuvien):
    client.force_login(thuvien)
    client.post(url("rotation-cancel", planned.pk))
    assert Rotation.objects.get(pk=planned.pk).status == Rotation.Status.CANCELLED
    assert planned.events.filter(kind=RotationEvent.Kind.CANCELLED, by=thuvien).exists()


def test_lists_are_bounded(client, thuvien, gddt_lac_son, tv_lac_son, school_library, django_assert_max_num_queries):
    for _i in range(6):
        coll = collection_with_items(2)
        rotation = services.rotation_plan(
            collection=coll, school_library=school_library, planned_dispatch_date=date(2026, 9, 1), by=thuvien
        )
        services.rotation_dispatch(rotation=rotation, by=thuvien)
    for user in (thuvien, gddt_lac_son, tv_lac_son):
        client.force_login(user)
        for name in ("rotation-list", "discrepancy-list", "statistics"):
            with django_assert_max_num_queries(20):
                response = client.get(url(name))
            assert response.status_code == 200
        request = RequestFactory().get("/")
        request.user = user
        with django_assert_max_num_queries(8):
            for panel in home_panels(request):
                render_to_string(panel.template, {"ctx": panel.context})
    page = client.get(url("discrepancy-list")).content.decode()
    assert "Quá hạn trả" in page


def test_statistics_filters(client, thuvien, dispatched):
    client.force_login(thuvien)
    response = client.get(url("statistics"), {"start": "2027-01-01", "end": "2026-01-01"})
    assert "phải trước" in response.content.decode()
    response = client.get(url("statistics"), {"start": "2026-11-01", "end": "2026-11-30"})
    assert response.context["stats"]["totals"]["copies"] == 6
    # The charts draw from the same figures.
    script = re.search(r'id="circulation-chart" type="application/json">(.*?)</script>', response.content.decode())
    assert sum(json.loads(script.group(1))["districts"]["copies"]) == 6
    response = client.get(url("statistics"), {"start": "2026-12-01"})
    assert response.context["stats"]["totals"]["copies"] == 0


def test_home_panels(client, dispatched, tv_lac_son, thuvien, giamdoc_vhttdl):
    client.force_login(tv_lac_son)
    page = client.get("/").content.decode()
    assert "Cần xác nhận nhận sách" in page and dispatched.collection.name in page
    client.force_login(thuvien)
    assert "Bộ sách luân chuyển của thư viện" in client.get("/").content.decode()
    client.force_login(giamdoc_vhttdl)
    assert "Luân chuyển sách: quá hạn, chênh lệch" in client.get("/").content.decode()


def test_route_create_and_detail(client, thuvien, collection, school_library, other_school_library, outsider):
    client.force_login(thuvien)
    response = client.post(
        url("route-create", collection.pk),
        {
            "name": "Lộ trình Lạc Sơn – Mai Châu",
            "school_year": "2026-2027",
            "start_date": "2026-12-01",
            "stage_1_library": school_library.pk,
            "stage_1_days": 60,
            "stage_2_library": other_school_library.pk,
            "stage_2_days": 60,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert school_library.name in page and "30/01/2027" in page
    client.force_login(outsider)
    assert client.get(response["Location"]).status_code == 404


def test_the_cached_home_panel_follows_a_dispatch(client, planned, tv_lac_son, thuvien):
    """The panel is cached for the user and the day (core.versioned): a dispatch is seen on
    the next visit all the same."""
    client.force_login(tv_lac_son)
    assert "Cần xác nhận nhận sách" not in client.get("/").content.decode()
    assert "Cần xác nhận nhận sách" not in client.get("/").content.decode()
    services.rotation_dispatch(rotation=planned, by=thuvien)
    page = client.get("/").content.decode()
    assert "Cần xác nhận nhận sách" in page and planned.collection.name in page


def test_statistics_are_kept_until_a_rotation_changes(client, thuvien, planned, django_assert_num_queries):
    from circulation import selectors

    before = selectors.statistics(thuvien)
    assert before["totals"]["copies"] == 0
    with django_assert_num_queries(0):  # the second look is the cached figures
        assert selectors.statistics(thuvien) == before
    services.rotation_dispatch(rotation=planned, by=thuvien)
    after = selectors.statistics(thuvien)
    assert after["totals"]["copies"] == 6 and after["totals"]["rotations"] == 1
    client.force_login(thuvien)
    assert client.get(url("statistics")).context["stats"]["totals"]["copies"] == 6
    # Each scope and each filter has its own figures.
    assert selectors.statistics(thuvien, start=date(2027, 1, 1))["totals"]["copies"] == 0
