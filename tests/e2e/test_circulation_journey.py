"""Book rotation in Chromium: the Provincial Library imports a collection from a MARC file,
dispatches it to a Lạc Sơn school; the school's librarian confirms receipt with one item
missing; the Provincial Library sees the discrepancy."""

from pathlib import Path

import pytest

from circulation.models import Item, RotatingCollection, Rotation
from directory.models import Organisation, User
from directory.services import school_library_ensure
from tests.conftest import org
from tests.e2e.conftest import login, logout
from tests.factories import SchoolFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARC = Path(__file__).resolve().parent.parent / "circulation" / "data" / "marc.dat"


@pytest.fixture
def people(reference_data):
    UserFactory(
        username="thuvien", full_name="Quách Thị Lan Hương", role=User.Role.FOCAL_OFFICER, organisation=org("TVT")
    )
    school = SchoolFactory(name="Trường Tiểu học Vụ Bản", code="TH-157-01", parent=org("GDDT-157"))
    library = school_library_ensure(school=school)
    UserFactory(username="tv.lac-son", full_name="Xa Thị Oanh", role=User.Role.SCHOOL_LIBRARIAN, organisation=library)
    RotatingCollection.objects.create(owner=org("TVT"), code="TVT-LC-09", name="Tủ sách tin học cho học sinh")
    return library


def test_import_dispatch_receive_with_one_missing(page, people):
    library = people
    login(page, "thuvien")
    page.goto("/circulation/")
    page.get_by_role("link", name="Tủ sách tin học cho học sinh").click()
    page.get_by_role("link", name="Nhập danh mục sách").click()
    page.get_by_label("Tệp danh mục sách").set_input_files(str(MARC))
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    page.get_by_test_id("import-ok").wait_for()
    assert "The pragmatic programmer : from journeyman to master" in page.get_by_test_id("preview").inner_text()
    assert Item.objects.count() == 0  # nothing written before confirmation
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.get_by_text("Đã nhập 20 tên sách vào bộ sách.").wait_for()

    page.get_by_role("link", name="Lập đợt luân chuyển").click()
    page.get_by_label("Thư viện trường nhận").select_option(str(library.pk))
    page.get_by_role("button", name="Lập kế hoạch").click()
    page.get_by_role("button", name="Gửi sách").click()
    page.get_by_text("Đã ghi nhận gửi sách").wait_for()
    assert page.get_by_test_id("rotation-status").inner_text() == "Đã gửi đi"
    rotation = Rotation.objects.get()
    assert rotation.copies_sent == 20
    logout(page)

    login(page, "tv.lac-son")
    page.get_by_test_id("panel-to-confirm").get_by_role("link", name="Tủ sách tin học cho học sinh").click()
    page.get_by_role("link", name="Xác nhận nhận sách").click()
    page.get_by_test_id("received-2").fill("0")
    page.get_by_role("button", name="Xác nhận theo danh mục").click()
    page.get_by_text("Đã xác nhận nhận sách.").wait_for()
    assert "thiếu 1 bản" in page.get_by_test_id("lines").inner_text()
    logout(page)

    login(page, "thuvien")
    page.goto("/circulation/discrepancies/")
    missing = page.get_by_test_id("missing")
    assert "Tủ sách tin học cho học sinh" in missing.inner_text()
    assert f"{rotation.lines.get(position=2).title} (1)" in missing.inner_text()
    rotation.refresh_from_db()
    assert (rotation.status, rotation.copies_missing) == (Rotation.Status.RECEIVED, 1)
    assert Organisation.objects.get(pk=library.pk).kind == Organisation.Kind.SCHOOL_LIBRARY
