from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from directory import selectors as directory_selectors

from .health import broker_status
from .navigation import home_panels


@login_required
def home(request):
    user = request.user
    context = {
        "organisation": user.organisation,
        "colleagues": directory_selectors.colleagues(user).select_related("organisation")[:12],
        "panels": home_panels(request),
        **directory_selectors.home_directory(user),
    }
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


def ratelimited(request, exception=None):
    """RATELIMIT_VIEW: too many requests from this address, in Vietnamese, with 429."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "900"
    return response
