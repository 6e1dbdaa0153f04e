"""Who is knocking: the normalised user name and the client address, as django-axes (login
lockout) and django-ratelimit (password reset, certificate verification) count them.

A lockout that counts "ThuVien", " thuvien" and "thuvien" separately is no lockout, so the
name is normalised the same way before authentication and in the lockout key. The client
address comes from `X-Forwarded-For` only when the request arrives from a proxy listed in
`TRUSTED_PROXIES`; anyone else could write that header themselves.
"""

import ipaddress
import unicodedata

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def normalise_username(value) -> str:
    """NFC, trimmed, case-folded: the one spelling of a user name."""
    return unicodedata.normalize("NFC", str(value or "")).strip().casefold()


def axes_username(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: the normalised name from the credentials or the form."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field)
    if value is None and request is not None:
        value = request.POST.get(field, "")
    return normalise_username(value)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request) -> str:
    """The address of the client: REMOTE_ADDR, or — when REMOTE_ADDR is a trusted proxy —
    the last address in X-Forwarded-For that is not itself a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not _is_trusted(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return remote  # a forged or broken header: fall back to the proxy itself
        if not _is_trusted(address):
            return address
    return remote


def axes_client_ip(request) -> str:
    return client_ip(request)


class PortalAxesHandler(AxesDatabaseHandler):
    """Locks a user name after AXES_FAILURE_LIMIT failures from anywhere, and an address
    after AXES_IP_FAILURE_LIMIT failures on any names (an office behind one address must not
    be locked out by a few colleagues' typos, a password-spraying address must be)."""

    def get_failures(self, request, credentials=None) -> int:
        by_username, by_ip = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        user_limit = settings.AXES_FAILURE_LIMIT
        ip_limit = settings.AXES_IP_FAILURE_LIMIT
        # Axes compares one number with AXES_FAILURE_LIMIT: scale the address count so it
        # reaches that limit exactly when the address reaches its own.
        scaled_ip = by_ip * user_limit // ip_limit if ip_limit else 0
        return max(by_username, scaled_ip)
