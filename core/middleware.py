from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _


class UploadSizeLimitMiddleware:
    """Refuse a request body larger than MAX_UPLOAD_SIZE before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_SIZE:
            limit_mb = settings.MAX_UPLOAD_SIZE // (1024 * 1024)
            message = _("Tệp tải lên quá lớn: tối đa %(mb)s MB.") % {"mb": limit_mb}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
