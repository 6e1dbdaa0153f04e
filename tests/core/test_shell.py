"""The shell a visitor meets: login, home per role, language switch, health, admin."""

import json

import pytest
from django.urls import reverse

from directory.models import User
from tests.factories import UserFactory


def test_anonymous_visitor_is_sent_to_the_login_page_in_vietnamese(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"
    page = client.get(response["Location"])
    body = page.content.decode()
    assert '<html lang="vi">' in body
    assert "Tên đăng nhập" in body and "Mật khẩu" in body


def test_login_with_username_in_any_case_reaches_home(client, thuvien):
    response = client.post(reverse("login"), {"username": "ThuVien", "password": "hoabinh-demo"}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert "Xin chào, Quách Thị Lan Hương" in body
    assert "Thư viện tỉnh Hòa Bình" in body


def test_wrong_password_gives_a_vietnamese_message(client, thuvien):
    response = client.post(reverse("login"), {"username": "thuvien", "password": "sai-mat-khau"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_repeated_failures_lock_the_account(client, thuvien, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "thuvien", "password": "sai"})
    response = client.post(reverse("login"), {"username": "thuvien", "password": "hoabinh-demo"})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "fixture, expected",
    [
        ("giamdoc_vhttdl", "Các huyện, thành phố tham gia chương trình"),
        ("thuvien", "Các huyện, thành phố tham gia chương trình"),
        ("gddt_lac_son", "Các đơn vị tại Huyện Lạc Sơn"),
        ("tv_lac_son", "Trường Tiểu học Vụ Bản"),
    ],
)
def test_home_page_shows_each_role_its_real_data(client, request, fixture, expected):
    user = request.getfixturevalue(fixture)
    colleague = UserFactory(full_name="Đồng Nghiệp Thử", organisation=user.organisation, role=user.role)
    client.force_login(user)
    body = client.get("/").content.decode()
    assert expected in body
    assert user.get_role_display() in body
    assert colleague.full_name in body
    assert str(user.organisation) in body


def test_district_officers_home_does_not_list_other_districts(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    body = client.get("/").content.decode()
    assert "huyện Mai Châu" not in body


def test_home_page_query_count_does_not_grow_with_colleagues(client, thuvien, django_assert_max_num_queries):
    client.force_login(thuvien)
    client.get("/")
    with django_assert_max_num_queries(40):
        client.get("/")
    UserFactory.create_batch(30, organisation=thuvien.organisation, role=User.Role.FOCAL_OFFICER)
    with django_assert_max_num_queries(40):
        client.get("/")


def test_english_is_available_through_the_language_switch(client, thuvien):
    client.force_login(thuvien)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Hello, Quách Thị Lan Hương" in body
    assert "Directory" in body


def test_healthz_reports_database_and_broker(client, db):
    from notifications.tasks import sweep_reminders

    sweep_reminders()  # beat has swept: nothing is stale
    response = client.get("/healthz")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["status"] == "ok"
    assert data["database"]["ok"] and data["broker"]["ok"]


def test_healthz_is_503_when_the_broker_is_down(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["broker"]["ok"] is False


def test_admin_answers_in_vietnamese_and_leadership_can_view_everything(client, giamdoc_sgddt):
    client.force_login(giamdoc_sgddt)
    response = client.get("/admin/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Danh bạ cơ quan, đơn vị" in body
    assert client.get("/admin/directory/organisation/?q=lac+son").status_code == 200
    assert "huyện Lạc Sơn" in client.get("/admin/directory/organisation/?q=lac+son").content.decode()
    # view, not change: the add page is refused
    assert client.get("/admin/directory/organisation/add/").status_code == 403


def test_admin_is_closed_to_district_officers(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_security_headers_and_csp(client, db):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_oversized_upload_is_refused_before_it_is_read(client, thuvien, settings):
    settings.MAX_UPLOAD_SIZE = 1024
    client.force_login(thuvien)
    response = client.post(
        "/admin/directory/organisation/import/", data=b"x" * 4096, content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "Tệp tải lên quá lớn" in response.content.decode()


def test_password_reset_sends_a_vietnamese_email_with_a_working_link(client, thuvien, mailoutbox):
    client.post(reverse("password_reset"), {"email": thuvien.email})
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "Đặt lại mật khẩu" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert "Đặt mật khẩu mới" in response.content.decode()


def test_logout_is_a_post(client, thuvien):
    client.force_login(thuvien)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302
