"""Reads of the api app: tokens and who may see them."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .access import can_manage_all_tokens
from .models import ApiToken
from .services import TOKEN_PREFIX, token_hash


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked ones included, for the record)."""
    return ApiToken.objects.filter(user=user).select_related("revoked_by")


def all_tokens(user) -> QuerySet[ApiToken]:
    """Every token of every user, for leadership and administrators; none for anyone else."""
    qs = ApiToken.objects.select_related("user", "user__organisation", "revoked_by")
    return qs if can_manage_all_tokens(user) else qs.none()


def tokens_for_user(user, *, everyone: bool | None = None) -> QuerySet[ApiToken]:
    """The tokens a user reads: their own, or with `everyone` every user's (leadership and
    administrators only: PermissionDenied for anyone else). By default every token for those
    who may manage them all, their own for anyone else."""
    if everyone is None:
        everyone = can_manage_all_tokens(user)
    if not everyone:
        return tokens_of(user)
    if not can_manage_all_tokens(user):
        raise PermissionDenied(_("Chỉ lãnh đạo và quản trị hệ thống xem được khóa của mọi người."))
    return all_tokens(user)


def get_token_for_user(user, pk) -> ApiToken:
    """The user's own token, or anyone's for leadership and administrators; 404 otherwise."""
    qs = ApiToken.objects.select_related("user")
    if not can_manage_all_tokens(user):
        qs = qs.filter(user=user)
    try:
        return qs.get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token whose secret is `raw`, with its user; None when unknown, revoked,
    expired or when its user is inactive. One indexed query."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user", "user__organisation").filter(key_hash=token_hash(raw)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    return token
