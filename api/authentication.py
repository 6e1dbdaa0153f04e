"""`Authorization: Bearer <token>` with a personal API token."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import selectors, services


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization phải có dạng: Bearer <khóa API>."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Khóa API không hợp lệ.")) from None
        token = selectors.token_authenticate(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Khóa API không hợp lệ, đã bị thu hồi hoặc đã hết hạn."))
        services.token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
