"""Writes of the api app: creating, using and revoking personal API tokens."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import User

from .access import can_manage_all_tokens
from .models import ApiToken

TOKEN_PREFIX = "hbp_"
MAX_ACTIVE_TOKENS = 20


def token_hash(raw: str) -> str:
    """SHA-256 of the token. Tokens are 256 random bits, so a fast hash is enough: there is
    nothing to guess, and the look-up stays one indexed query per request."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, expires_on: datetime.date | None = None, by: User) -> tuple[ApiToken, str]:
    """A new token for `user`: returns the stored token and the only copy of its secret.
    Raises ValidationError for an empty name, a past expiry date or too many active tokens,
    PermissionDenied when `by` creates a token for someone else."""
    if by.pk != user.pk:
        raise PermissionDenied(_("Mỗi người tự tạo khóa API của mình."))
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Hãy đặt tên cho khóa để sau này nhận ra nó.")
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = _("Ngày hết hạn không được ở quá khứ.")
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(expires_on__lt=timezone.localdate())
    if active.count() >= MAX_ACTIVE_TOKENS:
        errors["name"] = _("Bạn đã có %(n)s khóa đang dùng; hãy thu hồi khóa không còn cần trước khi tạo thêm.") % {
            "n": MAX_ACTIVE_TOKENS
        }
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:80], prefix=raw[: len(TOKEN_PREFIX) + 6], key_hash=token_hash(raw))
    token.expires_on = expires_on
    token.full_clean()
    token.save()
    return token, raw


def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token (idempotent): its owner, leadership or an administrator."""
    if token.user_id != by.pk and not can_manage_all_tokens(by):
        raise PermissionDenied(_("Bạn không được thu hồi khóa của người khác."))
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=by)
    token.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return token


def token_touch(*, token: ApiToken) -> None:
    """Record that the token was used, at most once a minute (a conditional UPDATE, no read)."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.API_TOKEN_TOUCH_SECONDS)
    updated = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale))
        .update(last_used_at=now)
    )
    if updated:
        token.last_used_at = now
