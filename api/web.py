"""The "Khóa API" page of the user's profile: create (shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import access, selectors, services
from .forms import TokenForm

ALL_TOKENS_SHOWN = 200


def _page(request, *, form=None, created=None, raw=None, status=200):
    user = request.user
    context = {
        "form": form or TokenForm(),
        "tokens": list(selectors.tokens_of(user)[:100]),
        "created": created,
        "raw_token": raw,
        "manages_all": access.can_manage_all_tokens(user),
    }
    if context["manages_all"]:
        context["all_tokens"] = list(
            selectors.all_tokens(user).filter(revoked_at__isnull=True).exclude(user=user)[:ALL_TOKENS_SHOWN]
        )
        context["all_tokens_limit"] = ALL_TOKENS_SHOWN
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_GET
def token_list(request):
    return _page(request)


@never_cache
@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        token, raw = services.token_create(user=request.user, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _page(request, form=form, status=400)
    # Rendered, not redirected: the secret is in this one response and nowhere else.
    return _page(request, created=token, raw=raw)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.get_token_for_user(request.user, pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(
        request, _("Đã thu hồi khóa “%(name)s”; mọi yêu cầu dùng khóa này từ nay bị từ chối.") % {"name": token.name}
    )
    return redirect("api:token-page")
