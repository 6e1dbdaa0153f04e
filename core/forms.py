from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .security import normalise_username


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def clean_username(self):
        # One spelling per account, here and in the lockout key (core.security).
        return normalise_username(self.cleaned_data.get("username"))

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống."),
    }


class PortalPasswordResetForm(PasswordResetForm):
    def save(self, **kwargs):
        # Links in the e-mail point to the configured public address, not the request's Host.
        domain = settings.SITE_URL.split("://", 1)[-1]
        kwargs.setdefault("domain_override", domain)
        kwargs.setdefault("use_https", settings.SITE_URL.startswith("https"))
        return super().save(**kwargs)
