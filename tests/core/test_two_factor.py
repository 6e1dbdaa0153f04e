"""Two-factor sign-in: a focal officer enrols an authenticator from a QR code and gets
recovery codes; later sign-ins ask for a code; the admin site can require it for staff."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "mat-khau-thu-vien-2026"


def code_for(device, at=None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user):
    user.set_password(PASSWORD)
    user.save()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def enrol(client, user) -> list[str]:
    page = client.get(reverse("two-factor-setup"))
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and 'data-testid="totp-secret"' in body
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("two-factor-setup"), {"action": "confirm", "token": "000000"})
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    done = client.post(reverse("two-factor-setup"), {"action": "confirm", "token": code_for(device)})
    assert done.status_code == 200
    codes = re.findall(r'<li class="col mb-2">([a-z0-9]+)</li>', done.content.decode())
    assert len(codes) == 10
    return codes


def test_focal_officer_enrols_and_is_asked_for_a_code_at_the_next_sign_in(client, thuvien):
    sign_in(client, thuvien)
    home = client.get("/")
    assert "Xác thực hai bước" in home.content.decode()  # in the user menu
    codes = enrol(client, thuvien)
    device = TOTPDevice.objects.get(user=thuvien, confirmed=True)
    assert client.get("/").status_code == 200  # the session that enrolled is verified
    client.logout()

    sign_in(client, thuvien)
    asked = client.get("/reports/")
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("two-factor-verify"))
    assert client.get(reverse("notifications:inbox")).status_code == 302
    bad = client.post(reverse("two-factor-verify") + "?next=/reports/", {"token": "123456"})
    assert bad.status_code == 400 and "Mã không đúng" in bad.content.decode()
    later = timezone.now() + datetime.timedelta(seconds=90)
    with time_machine.travel(later, tick=False):
        ok = client.post(reverse("two-factor-verify"), {"token": code_for(device, later), "next": "/reports/"})
        assert ok.status_code == 302 and ok["Location"] == "/reports/"
        assert client.get("/reports/").status_code == 200
    client.logout()

    # A recovery code works once (a few minutes later: wrong codes slow further tries down).
    with time_machine.travel(later + datetime.timedelta(minutes=5), tick=False):
        sign_in(client, thuvien)
        assert client.post(reverse("two-factor-verify"), {"token": codes[0]}).status_code == 302
        assert client.get("/").status_code == 200
        client.logout()
        sign_in(client, thuvien)
        assert client.post(reverse("two-factor-verify"), {"token": codes[0]}).status_code == 400
        assert client.get("/").status_code == 302


def test_district_officers_are_not_offered_two_factor(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    assert "Xác thực hai bước" not in client.get("/").content.decode()
    assert client.get(reverse("two-factor-setup")).status_code == 403


@pytest.mark.parametrize("required", [True, False])
def test_the_admin_site_requires_two_factor_for_staff_when_set(client, giamdoc_sgddt, settings, required):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMIN = required
    sign_in(client, giamdoc_sgddt)
    response = client.get("/admin/")
    if not required:  # the demo (DEBUG on): accounts work without an authenticator
        assert response.status_code == 200
        return
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor-setup"))
    assert client.get("/").status_code == 200  # the rest of the portal is not blocked
    enrol(client, giamdoc_sgddt)
    assert client.get("/admin/").status_code == 200


def test_required_in_production_by_default():
    import subprocess
    import sys

    from django.conf import settings

    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "thuvien.hoabinh.gov.vn",
        "PORTAL_VAR_DIR": str(settings.VAR_DIR),
    }
    code = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED_FOR_ADMIN)"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "True", out.stderr
    assert settings.TWO_FACTOR_REQUIRED_FOR_ADMIN is False  # tests and the demo run with DEBUG on
