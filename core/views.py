from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from directory import selectors as directory_selectors

from . import offline
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


@require_safe
def service_worker(request):
    """/sw.js: the service worker, at the root so that its scope is the whole portal."""
    response = render(
        request, "core/sw.js", {"config": offline.service_worker_config()}, content_type="text/javascript"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def web_manifest(request):
    data = offline.manifest(
        name=str(settings.PORTAL_NAME),
        short_name=_("Cổng Thư viện HB"),
        description=_("Báo cáo, luân chuyển sách và tập huấn của chương trình phối hợp thư viện tỉnh Hòa Bình."),
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_safe
def offline_page(request):
    """Shown by the service worker for a page that was never kept and cannot be fetched."""
    return render(request, "core/offline.html")


def ratelimited(request, exception=None):
    """RATELIMIT_VIEW: too many requests from this address, in Vietnamese, with 429."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "900"
    return response
