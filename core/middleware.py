import unicodedata

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _


class UploadSizeLimitMiddleware:
    """Refuse a request body larger than MAX_UPLOAD_SIZE before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_SIZE:
            limit_mb = settings.MAX_UPLOAD_SIZE // (1024 * 1024)
            message = _("Tệp tải lên quá lớn: tối đa %(mb)s MB.") % {"mb": limit_mb}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


# Characters no one types on purpose and that attackers use: C0 controls but tab and line
# breaks (NUL breaks PostgreSQL text and some parsers), and the bidirectional overrides and
# isolates that make "tai-lieu‮fdp.exe" read as "tai-lieuexe.pdf".
_STRIP = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])  # fmt: skip


def clean_text(value: str) -> str:
    """What the portal stores of any text a person sends: NFC (so "Nguyễn" typed on a phone
    in decomposed form is the same "Nguyễn" everywhere: search, sorting, uniqueness, exports),
    without control characters or bidirectional overrides."""
    return unicodedata.normalize("NFC", value.translate(_STRIP))


class CleanInputMiddleware:
    """Every GET and POST text value is cleaned (clean_text) once, before any form sees it;
    uploaded files are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.GET:
            request.GET = self._cleaned(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = self._cleaned(request.POST)
        return self.get_response(request)

    @staticmethod
    def _cleaned(data: QueryDict) -> QueryDict:
        cleaned = QueryDict(mutable=True)
        for key, values in data.lists():
            if "password" in key:  # compared with a stored hash as typed: never rewritten
                cleaned.setlist(key, values)
            else:
                cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
        cleaned._mutable = False
        return cleaned


SESSION_NEEDS_CODE = "two_factor_pending"
TWO_FACTOR_EXEMPT = ("/accounts/2fa/verify/", "/accounts/logout/", "/accounts/login/", "/static/", "/i18n/", "/healthz")


class TwoFactorMiddleware:
    """After the password, a person with an authenticator enters its code before anything else
    (the need is noted in the session at sign-in: no query per request). With
    TWO_FACTOR_REQUIRED_FOR_ADMIN, staff reach the admin site only with a verified session,
    after enrolling if they have not. Runs after django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from urllib.parse import quote

        from django.shortcuts import redirect
        from django.urls import reverse

        user = getattr(request, "user", None)
        path = request.path_info
        if user is not None and user.is_authenticated and not path.startswith(TWO_FACTOR_EXEMPT):
            verified = user.is_verified()
            back = quote(request.get_full_path())
            if not verified and request.session.get(SESSION_NEEDS_CODE):
                return redirect(f"{reverse('two-factor-verify')}?next={back}")
            if (
                not verified
                and settings.TWO_FACTOR_REQUIRED_FOR_ADMIN
                and path.startswith("/admin/")
                and (user.is_staff or user.is_superuser)
            ):
                return redirect(f"{reverse('two-factor-setup')}?next={back}")
        return self.get_response(request)
