from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import paging
from core.navigation import home_panels

from . import selectors
from .filters import OrganisationFilter


@login_required
def home(request):
    user = request.user
    context = {
        "organisation": user.organisation,
        "colleagues": selectors.colleagues(user).select_related("organisation")[:12],
        "panels": home_panels(request),
        # Read when the page draws it: the part kept rendered ({% datacache %}) does not.
        "directory": SimpleLazyObject(lambda: selectors.home_directory(user)),
    }
    return render(request, "core/home.html", context)


@login_required
@require_GET
def organisation_list(request):
    visible = selectors.organisations_for_user(request.user)
    filterset = OrganisationFilter(request.GET or None, queryset=visible)
    organisations = filterset.qs if not filterset.is_bound or filterset.is_valid() else visible
    if filterset.is_bound and not filterset.is_valid():
        messages.warning(request, _("Bộ lọc không hợp lệ, đang hiển thị tất cả đơn vị."))
    # Read when the page draws them: a list kept rendered does not.
    page = paging.lazy_page(lambda: selectors.DirectoryOrder(organisations), 30, request.GET.get("page"))
    return render(
        request,
        "directory/organisation_list.html",
        {"form": filterset.form, "page": page, "show_reorganisations": selectors.sees_everything(request.user)},
    )


@login_required
@require_GET
def organisation_detail(request, pk: int):
    organisation = selectors.get_organisation_for_user(request.user, pk)
    members = organisation.members.filter(is_active=True).order_by("-is_head", "full_name")
    children = selectors.organisations_for_user(request.user).filter(parent=organisation).order_by("kind", "name")
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "children": children,
            "changes": list(organisation.changes.prefetch_related("successors").order_by("effective_date", "pk")),
            "inherited": list(selectors.inherited_changes(organisation)),
        },
    )


@login_required
@require_GET
def reorganisation_list(request):
    if not selectors.sees_whole_province(request.user):
        raise PermissionDenied
    return render(request, "directory/reorganisation_list.html", {"reorganisations": list(selectors.reorganisations())})


@login_required
@require_GET
def reorganisation_detail(request, code: str):
    reorganisation = selectors.get_reorganisation_for_user(request.user, code)
    summary = selectors.reorganisation_summary(reorganisation)
    return render(request, "directory/reorganisation_detail.html", {"summary": summary, "r": reorganisation})
