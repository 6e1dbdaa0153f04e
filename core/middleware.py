from django.conf import settings
from django.http import HttpResponse
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
