from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from directory import selectors as directory_selectors
from directory.models import Organisation

from .health import broker_status
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
    """Database and broker status for load balancers and operators: 200 when both answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure means "down", reported, never raised
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    checks["broker"] = broker_status()
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


@login_required
@require_GET
def object_history(request, kind: str, pk: int):
    """ "Lịch sử thay đổi" of a plan, activity, meeting, report, course, collection or rotation,
    for whoever may see the object."""
    from .history import HISTORY_KINDS, detail_url, get_object_for_history, history_entries

    obj = get_object_for_history(request.user, kind, pk)
    return render(
        request,
        "core/history.html",
        {
            "object": obj,
            "kind_label": HISTORY_KINDS[kind][2],
            "back_url": detail_url(kind, obj),
            "entries": history_entries(obj),
        },
    )
