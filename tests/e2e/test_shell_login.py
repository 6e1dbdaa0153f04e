"""Each role signs in through the real login form in Chromium and lands on its home page."""

import pytest

from directory.models import User
from tests.conftest import org
from tests.e2e.conftest import login, logout
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

ROLES = [
    ("giamdoc.vhttdl", User.Role.LEADERSHIP, "SVHTTDL", "Các huyện, thành phố tham gia chương trình"),
    ("thuvien", User.Role.FOCAL_OFFICER, "TVT", "Các huyện, thành phố tham gia chương trình"),
    ("vanphong", User.Role.FOCAL_OFFICER, "VPSGD", "Các huyện, thành phố tham gia chương trình"),
    ("gddt.lac-son", User.Role.DISTRICT_OFFICER, "GDDT-157", "Các đơn vị tại Huyện Lạc Sơn"),
]


def test_every_role_signs_in_and_sees_its_home(page, reference_data, lac_son_school):
    for username, role, org_code, _heading in ROLES:
        UserFactory(username=username, role=role, organisation=org(org_code))
    library = lac_son_school.children.get(kind="school_library")
    UserFactory(username="tv.lac-son", role=User.Role.SCHOOL_LIBRARIAN, organisation=library)
    admin = UserFactory(username="admin", role=User.Role.SYSADMIN, organisation=None, is_superuser=True)

    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "vi"

    for username, _role, org_code, heading in [*ROLES, ("tv.lac-son", None, None, "Trường Tiểu học Vụ Bản")]:
        login(page, username)
        assert page.locator("h1").inner_text().startswith("Xin chào")
        assert heading in page.content()
        if org_code:
            assert page.get_by_test_id("home-organisation").inner_text() == org(org_code).name
        logout(page)

    login(page, admin.username)
    page.goto("/admin/")
    assert page.locator("#site-name").count() == 1
    logout_form = page.locator("#logout-form")
    assert logout_form.count() == 1


def test_wrong_password_keeps_the_visitor_on_the_login_page(page, reference_data):
    UserFactory(username="thuvien", role=User.Role.FOCAL_OFFICER, organisation=org("TVT"))
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("thuvien")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng").is_visible()
    assert "/accounts/login/" in page.url


def test_navigation_collapses_into_a_menu_on_a_phone(page, reference_data):
    UserFactory(username="gddt.lac-son", organisation=org("GDDT-157"))
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "gddt.lac-son")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert not page.get_by_role("link", name="Danh bạ").is_visible()
    toggler.click()
    page.get_by_role("link", name="Danh bạ").click()
    page.wait_for_url("**/directory/organisations/")
    assert "Phòng Giáo dục và Đào tạo huyện Lạc Sơn" in page.content()
