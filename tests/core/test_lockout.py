"""A lockout that holds: every spelling of a name counts as one, from any address; an address
that sprays many names is locked too; X-Forwarded-For is believed only from the proxy.
Password reset and the public certificate check are throttled per address with a
Vietnamese 429 page."""

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.security import client_ip, normalise_username

PASSWORD = "hoabinh-demo"


def login(client, username, password, ip="203.113.1.10", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_name_is_trimmed_nfc_and_case_folded():
    assert normalise_username("  ThuVien ") == "thuvien"
    assert normalise_username("Tha\u0300nh") == normalise_username("THÀNH") == "thành"


def test_five_wrong_passwords_lock_every_spelling_from_every_address(client, thuvien):
    spellings = ["thuvien", "THUVIEN", " ThuVien", "thuVIEN ", "Thuvien"]
    for n, name in enumerate(spellings):
        response = login(client, name, "sai-mat-khau", ip=f"203.113.1.{n + 1}")
        assert not signed_in(client)
    assert response.status_code == 429  # the fifth failure locks
    for name in ["thuvien", "THUVIEN", "ThuVien", " thuvien "]:
        for ip in ["203.113.1.1", "14.160.2.2"]:
            response = login(client, name, PASSWORD, ip=ip)
            assert response.status_code == 429 and not signed_in(client), (name, ip)
            assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    # The lockout ends after 30 minutes; then the right password works again.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        response = login(client, "THUVIEN", PASSWORD)
        assert response.status_code == 302 and signed_in(client)


def test_four_failures_do_not_lock(client, thuvien):
    for name in ["thuvien", "THUVIEN", "ThuVien", "thuvien"]:
        login(client, name, "sai")
    assert login(client, "ThuVien", PASSWORD).status_code == 302 and signed_in(client)


def test_an_address_spraying_names_is_locked_and_others_are_not(client, thuvien, settings):
    settings.AXES_IP_FAILURE_LIMIT = 8
    for n in range(8):
        login(client, f"khong-ton-tai-{n}", "sai", ip="198.51.100.7")
    # Right name and password, from the sprayer's address: refused.
    response = login(client, "thuvien", PASSWORD, ip="198.51.100.7")
    assert response.status_code == 429 and not signed_in(client)
    # The account itself is not locked: from the office it signs in.
    assert login(client, "thuvien", PASSWORD, ip="203.113.1.10").status_code == 302 and signed_in(client)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    rf = RequestFactory()
    forged = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(forged) == "198.51.100.7"
    proxied = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.113.1.10")
    assert client_ip(proxied) == "203.113.1.10"  # the last hop the proxy saw, not what the client wrote
    broken = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")
    assert client_ip(broken) == "10.0.0.2"


def test_a_client_cannot_dodge_the_lockout_by_writing_forwarded_for(client, thuvien, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    for n in range(5):
        login(client, "thuvien", "sai", ip="198.51.100.7", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}")
    assert login(client, "thuvien", PASSWORD, ip="198.51.100.7").status_code == 429
    assert not signed_in(client)


def test_password_reset_is_throttled_per_address_with_a_vietnamese_page(client, thuvien, settings, mailoutbox):
    settings.RATELIMIT_PASSWORD_RESET = "3/15m"
    url = reverse("password_reset")
    for _ in range(3):
        assert client.post(url, {"email": thuvien.email}, REMOTE_ADDR="203.113.1.10").status_code == 302
    response = client.post(url, {"email": thuvien.email}, REMOTE_ADDR="203.113.1.10")
    assert response.status_code == 429 and "Quá nhiều yêu cầu" in response.content.decode()
    assert len(mailoutbox) == 3
    assert client.post(url, {"email": thuvien.email}, REMOTE_ADDR="14.160.2.2").status_code == 302
    assert client.get(url, REMOTE_ADDR="203.113.1.10").status_code == 200  # the form itself stays readable


@pytest.mark.django_db
def test_certificate_verification_is_throttled_per_address(client, settings):
    settings.RATELIMIT_VERIFY = "5/m"
    url = reverse("training:verify", args=["KHONG-CO"])
    for _ in range(5):
        assert client.get(url, REMOTE_ADDR="198.51.100.9").status_code == 404
    response = client.get(url, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429 and "vui lòng chờ vài phút rồi thử lại" in response.content.decode()
    assert client.get(url, REMOTE_ADDR="203.113.1.10").status_code == 404
