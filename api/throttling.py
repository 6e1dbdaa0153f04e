"""Rate limits: per personal token (or per signed-in user on the session) and per client
address, whatever the credentials. Rates are read from the settings on every request, so a
test or an operator's change of `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` takes effect."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenRateThrottle(_SettingsRate):
    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"t{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AddressRateThrottle(_SettingsRate):
    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class CertificateRateThrottle(AddressRateThrottle):
    """The public certificate check: by address, tighter, so codes cannot be enumerated."""

    scope = "certificate"
