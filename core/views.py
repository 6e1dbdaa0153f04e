import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from directory import selectors as directory_selectors
from directory.models import Organisation

from .health import health
from .navigation import home_panels


@login_required
def home(request):
    user = request.user
    scope = directory_selectors.user_scope(user)
    context = {
        "organisation": user.organisation,
        "colleagues": directory_selectors.colleagues(user).select_related("organisation")[:12],
        "panels": home_panels(request),
    }
    if scope.everything:
        context["district_rows"] = directory_selectors.province_overview()
    elif user.organisation and user.organisation.district_id:
        district_id = user.organisation.district_id
        visible = directory_selectors.organisations_for_user(user).filter(district_id=district_id)
        context["district"] = user.organisation.district
        if scope.district_id:
            # Offices and libraries by name; schools are many, so they are counted.
            context["district_organisations"] = visible.exclude(kind__in=["school", "school_library"])
            context["district_school_count"] = visible.filter(kind="school").count()
        else:
            context["own_organisations"] = visible
            context["district_contacts"] = Organisation.objects.filter(
                district_id=district_id, kind=Organisation.Kind.EDUCATION_OFFICE
            )
    return render(request, "core/home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Database, broker, beat's last sweep and e-mails, for load balancers and operators:
    503 when the database or the broker is down, "degraded" when beat or e-mail lag."""
    status, body = health()
    return JsonResponse(body, status=status)


def server_error(request):
    """handler500. When the database does not answer (restarting, overloaded) the request is
    refused with 503, a message to try again and Retry-After; nothing was saved, since every
    change is one transaction. Rendered without the request's context: no query is made."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
