"""Personal API tokens. Only a hash of each token is stored: the token itself is shown once,
when it is created, and cannot be read back (unlike DRF's authtoken, which keeps it in clear)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("tên khóa"), max_length=80, help_text=_("Dùng để nhận ra khóa, ví dụ: Bảng tính của phòng.")
    )
    prefix = models.CharField(
        _("đầu khóa"), max_length=12, help_text=_("Vài ký tự đầu để nhận ra khóa; không đủ để dùng.")
    )
    key_hash = models.CharField(_("mã băm"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    expires_on = models.DateField(_("hết hạn sau ngày"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | models.Q(revoked_at__gte=models.F("created_at")),
                name="apitoken_revoked_after_created",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is not None and today > self.expires_on

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()
