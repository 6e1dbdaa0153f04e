"""Writes of the shell."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Heartbeat

SWEEP = "reminders-sweep"


def heartbeat_record(*, name: str) -> Heartbeat:
    """Note that the periodic job `name` has just finished (one UPSERT)."""
    beat, _created = Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
    return beat


# --- Two-factor sign-in (django-otp: TOTP + one-time recovery codes) -------------------------

RECOVERY_CODES = 10


def two_factor_device(user):
    """The user's confirmed authenticator, or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def two_factor_enrolment_start(*, user):
    """An unconfirmed authenticator for `user` (the one in progress, or a new secret)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)


@transaction.atomic
def two_factor_enrolment_confirm(*, user, token: str) -> list[str]:
    """Confirm the authenticator with a code it shows; returns fresh recovery codes (shown once).
    Raises ValidationError when the code is wrong: nothing changes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    token = "".join(ch for ch in token if ch.isdigit())
    if device is None or not device.verify_token(token):
        raise ValidationError(_("Mã không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng."))
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODES new ones (each works once)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_disable(*, user) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def two_factor_verify(*, request, token: str) -> bool:
    """Check a code from the authenticator or a recovery code (used up); on success the
    session is verified. Returns False when no device accepts it."""
    from django_otp import login as otp_login
    from django_otp import match_token

    token = token.strip().replace(" ", "")
    device = match_token(request.user, token)
    if device is None:
        return False
    otp_login(request, device)
    return True


def two_factor_verify_device(*, request, device) -> None:
    """Mark the session verified by `device` (just confirmed by its code)."""
    from django_otp import login as otp_login

    otp_login(request, device)
