"""One shape for every error the API answers, in the request's language:

- 400 `{"field": ["message", …], …}` (`non_field_errors` for the whole request), from DRF's
  serializer errors and from the services' `ValidationError`s alike;
- 401 / 403 / 404 / 405 / 429 `{"detail": "message"}`;
- 409 `{"detail": "message"}` when someone saved the report since the client read it.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from reports.services import ConflictError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def validation_detail(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            (key if key and key != "__all__" else "non_field_errors"): [str(m) for e in errors for m in e.messages]
            for key, errors in error.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        exc = Conflict(" ".join(exc.messages))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Không tìm thấy, hoặc bạn không có quyền xem."))
    elif isinstance(exc, PermissionDenied):
        message = str(exc) if exc.args else _("Bạn không có quyền thực hiện thao tác này.")
        exc = exceptions.PermissionDenied(message)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError) and isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    return response


def error_response(status_code: int, detail: str) -> Response:
    return Response({"detail": detail}, status=status_code)
