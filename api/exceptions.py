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
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
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


# DRF's own messages by error code, in the portal's catalogue (DRF's Vietnamese one is nearly
# empty): Vietnamese by default, English with Accept-Language: en.
BY_CODE = {
    "required": gettext_lazy("Trường này là bắt buộc."),
    "null": gettext_lazy("Trường này không được để trống (null)."),
    "blank": gettext_lazy("Trường này không được để trống."),
    "max_length": gettext_lazy("Nội dung dài quá mức cho phép."),
    "min_length": gettext_lazy("Nội dung ngắn hơn mức tối thiểu."),
    "max_value": gettext_lazy("Giá trị lớn hơn mức cho phép."),
    "min_value": gettext_lazy("Giá trị nhỏ hơn mức cho phép."),
    "max_digits": gettext_lazy("Số có quá nhiều chữ số."),
    "max_whole_digits": gettext_lazy("Số có quá nhiều chữ số."),
    "max_decimal_places": gettext_lazy("Số có quá nhiều chữ số thập phân."),
    "invalid_choice": gettext_lazy("Giá trị không nằm trong các lựa chọn cho phép."),
    "not_a_list": gettext_lazy("Phải là một danh sách."),
    "not_a_dict": gettext_lazy("Phải là một đối tượng JSON."),
    "empty": gettext_lazy("Không được để trống."),
    "parse_error": gettext_lazy("Không đọc được nội dung gửi lên (JSON hoặc CSV không hợp lệ)."),
    "not_authenticated": gettext_lazy("Chưa xác thực: hãy gửi khóa API trong tiêu đề Authorization: Bearer <khóa>."),
    "method_not_allowed": gettext_lazy("Phương thức này không dùng được ở địa chỉ này."),
    "not_acceptable": gettext_lazy("Không trả được định dạng ghi trong tiêu đề Accept."),
    "unsupported_media_type": gettext_lazy("Kiểu nội dung không được hỗ trợ; hãy gửi application/json hoặc text/csv."),
    "not_found": gettext_lazy("Không tìm thấy, hoặc bạn không có quyền xem."),
}
# "invalid" says different things for different field types: told apart by DRF's text.
INVALID = [
    (("A valid integer",), gettext_lazy("Phải là một số nguyên.")),
    (("A valid number",), gettext_lazy("Phải là một số.")),
    (("Must be a valid boolean",), gettext_lazy("Phải là true hoặc false.")),
    (
        ("Datetime has wrong format",),
        gettext_lazy("Thời điểm sai định dạng; viết theo ISO 8601, ví dụ 2026-06-14T08:00:00+07:00."),
    ),
    (("Date has wrong format", "Ngày sai định dạng"), gettext_lazy("Ngày sai định dạng; hãy viết YYYY-MM-DD.")),
    (("Time has wrong format",), gettext_lazy("Giờ sai định dạng; hãy viết HH:MM.")),
    (("Not a valid string",), gettext_lazy("Phải là một chuỗi ký tự.")),
    (("Invalid data. Expected a dictionary", "Expected a dictionary"), gettext_lazy("Phải là một đối tượng JSON.")),
    (("Expected a list",), gettext_lazy("Phải là một danh sách.")),
]


def _localise(detail):
    if isinstance(detail, dict):
        return {key: _localise(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_localise(item) for item in detail]
    if isinstance(detail, ErrorDetail):
        code = detail.code
        if code in BY_CODE:
            return ErrorDetail(str(BY_CODE[code]), code=code)
        if code in ("invalid", "incorrect_type", "not_a_dict"):
            for prefixes, message in INVALID:
                if str(detail).startswith(prefixes):
                    return ErrorDetail(str(message), code=code)
    return detail


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
    if isinstance(exc, exceptions.Throttled):
        exc.detail = ErrorDetail(
            _("Quá nhiều yêu cầu; hãy thử lại sau %(s)s giây.") % {"s": int(exc.wait or 1)}, code="throttled"
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = _localise(response.data)
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    return response
