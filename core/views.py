import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from . import offline
from .health import health


@never_cache
@require_GET
def healthz(request):
    """Database, broker, beat's last sweep and e-mails, for load balancers and operators:
    503 when the database or the broker is down, "degraded" when beat or e-mail lag."""
    status, body = health()
    return JsonResponse(body, status=status)


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


@login_required
@require_GET
def object_history(request, kind: str, pk: int):
    """ "Lịch sử thay đổi" of a plan, activity, meeting, report, course, collection or rotation,
    for whoever may see the object."""
    from .history import history_page

    return render(request, "core/history.html", history_page(request.user, kind, pk))
