"""Personal API tokens: hashed, shown once, last-used time, expiry, revocation; the profile
page; leadership and administrators manage everyone's tokens."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import token_create, token_hash

ME = "/api/v1/notifications/"


def bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.mark.django_db
def test_only_a_hash_of_the_token_is_stored(gddt_lac_son):
    token, raw = token_create(user=gddt_lac_son, name="Phần mềm quản lý trường", by=gddt_lac_son)
    stored = ApiToken.objects.values_list("key_hash", "prefix", "name").get(pk=token.pk)
    assert raw.startswith("hbp_") and len(raw) > 40
    assert stored[0] == token_hash(raw) and raw not in stored[0]
    assert raw.startswith(stored[1]) and len(stored[1]) < 12


@pytest.mark.django_db
def test_a_token_authenticates_and_records_its_last_use(gddt_lac_son):
    token, raw = token_create(user=gddt_lac_son, name="Bảng tính", by=gddt_lac_son)
    assert token.last_used_at is None
    response = bearer(raw).get(ME)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_no_credentials_or_a_wrong_token_is_401(gddt_lac_son):
    assert APIClient().get(ME).status_code == 401
    response = bearer("hbp_not-a-real-token").get(ME)
    assert response.status_code == 401
    assert "Khóa API không hợp lệ" in response.json()["detail"]


@pytest.mark.django_db
def test_a_revoked_token_is_refused(gddt_lac_son):
    token, raw = token_create(user=gddt_lac_son, name="Bảng tính", by=gddt_lac_son)
    client = bearer(raw)
    assert client.get(ME).status_code == 200
    response = client.post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert response.status_code == 200 and response.json()["active"] is False
    refused = client.get(ME)
    assert refused.status_code == 401
    assert "thu hồi" in refused.json()["detail"]


@pytest.mark.django_db
def test_an_expired_token_is_refused(gddt_lac_son):
    today = timezone.localdate()
    _token, raw = token_create(user=gddt_lac_son, name="Tạm thời", expires_on=today, by=gddt_lac_son)
    response = bearer(raw).get(ME)
    assert response.status_code == 200 and "results" in response.json()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, hours=1)):
        assert bearer(raw).get(ME).status_code == 401


@pytest.mark.django_db
def test_a_token_of_a_deactivated_user_is_refused(gddt_lac_son):
    _token, raw = token_create(user=gddt_lac_son, name="Bảng tính", by=gddt_lac_son)
    gddt_lac_son.is_active = False
    gddt_lac_son.save(update_fields=["is_active"])
    assert bearer(raw).get(ME).status_code == 401


@pytest.mark.django_db
def test_a_past_expiry_date_is_refused_with_a_field_error(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(reverse("api:token-page-create"), {"name": "Cũ", "expires_on": yesterday.isoformat()})
    assert response.status_code == 400
    assert "Ngày hết hạn không được ở quá khứ" in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_profile_page_shows_the_new_token_once(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    response = client.post(reverse("api:token-page-create"), {"name": "Bảng tính tổng hợp"})
    assert response.status_code == 200
    page = response.content.decode()
    token = ApiToken.objects.get(user=gddt_lac_son)
    raw = page.split('data-testid="token-value"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert token_hash(raw) == token.key_hash
    assert bearer(raw).get(ME).status_code == 200
    again = client.get(reverse("api:token-page")).content.decode()
    assert "Bảng tính tổng hợp" in again and raw not in again and token.prefix in again


@pytest.mark.django_db
def test_owner_revokes_on_the_profile_page(client, gddt_lac_son):
    token, raw = token_create(user=gddt_lac_son, name="Bảng tính", by=gddt_lac_son)
    client.force_login(gddt_lac_son)
    response = client.post(reverse("api:token-page-revoke", args=[token.pk]), follow=True)
    assert "Đã thu hồi khóa" in response.content.decode()
    assert bearer(raw).get(ME).status_code == 401


@pytest.mark.django_db
def test_profile_page_refuses_get_on_revoke(client, gddt_lac_son):
    token, _raw = token_create(user=gddt_lac_son, name="Bảng tính", by=gddt_lac_son)
    client.force_login(gddt_lac_son)
    assert client.get(reverse("api:token-page-revoke", args=[token.pk])).status_code == 405


@pytest.mark.django_db
def test_nobody_else_sees_or_revokes_an_officers_token(client, gddt_lac_son, gddt_mai_chau, thuvien):
    token, raw = token_create(user=gddt_lac_son, name="Kết nối SMAS", by=gddt_lac_son)
    for other in (gddt_mai_chau, thuvien):
        client.force_login(other)
        assert client.post(reverse("api:token-page-revoke", args=[token.pk])).status_code == 404
        assert "Kết nối SMAS" not in client.get(reverse("api:token-page")).content.decode()
        api = APIClient()
        api.force_authenticate(other)
        assert api.post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 404
        assert api.get("/api/v1/tokens/", {"all": "true"}).status_code == 403
    assert bearer(raw).get(ME).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("manager", ["giamdoc_vhttdl", "admin_user"])
def test_leadership_and_administrators_list_and_revoke_any_token(request, client, gddt_lac_son, manager):
    boss = request.getfixturevalue(manager)
    token, raw = token_create(user=gddt_lac_son, name="Phần mềm của phòng", by=gddt_lac_son)
    client.force_login(boss)
    page = client.get(reverse("api:token-page")).content.decode()
    assert "Phần mềm của phòng" in page and gddt_lac_son.username in page
    api = APIClient()
    api.force_authenticate(boss)
    listed = api.get("/api/v1/tokens/", {"all": "true"}).json()["results"]
    assert [t["username"] for t in listed] == [gddt_lac_son.username]
    assert "token" not in listed[0] and "key_hash" not in listed[0]
    client.post(reverse("api:token-page-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_by == boss
    assert bearer(raw).get(ME).status_code == 401


@pytest.mark.django_db
def test_api_creates_a_token_on_the_session_but_not_with_another_token(gddt_lac_son):
    session = APIClient(enforce_csrf_checks=False)
    session.force_login(gddt_lac_son)
    created = session.post("/api/v1/tokens/", {"name": "Từ dòng lệnh"}, format="json")
    assert created.status_code == 201
    raw = created.json()["token"]
    assert bearer(raw).get(ME).status_code == 200
    refused = bearer(raw).post("/api/v1/tokens/", {"name": "Khóa con"}, format="json")
    assert refused.status_code == 403
    assert ApiToken.objects.filter(user=gddt_lac_son).count() == 1


@pytest.mark.django_db
def test_per_token_throttle_answers_429(settings, gddt_lac_son):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "3/minute"},
    }
    _t, raw = token_create(user=gddt_lac_son, name="A", by=gddt_lac_son)
    _t, other = token_create(user=gddt_lac_son, name="B", by=gddt_lac_son)
    client = bearer(raw)
    assert [client.get(ME).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert bearer(other).get(ME).status_code == 200  # counted per token


@pytest.mark.django_db
def test_per_address_throttle_counts_every_token_of_the_address(settings, gddt_lac_son, thuvien):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "address": "3/minute"},
    }
    _t, a = token_create(user=gddt_lac_son, name="A", by=gddt_lac_son)
    _t, b = token_create(user=thuvien, name="B", by=thuvien)
    codes = [bearer(a).get(ME).status_code, bearer(b).get(ME).status_code, bearer(a).get(ME).status_code]
    assert codes == [200, 200, 200]
    assert bearer(b).get(ME).status_code == 429


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_address_throttle(settings, gddt_lac_son):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "address": "2/minute"},
    }
    _t, raw = token_create(user=gddt_lac_son, name="A", by=gddt_lac_son)
    client = bearer(raw)
    codes = [client.get(ME, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code for i in range(3)]
    assert codes == [200, 200, 429]
