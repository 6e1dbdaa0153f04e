"""The REST API: thin views over the apps' selectors (what a user may see, 404 outside it) and
services (what a user may do, 403 when forbidden, 400 with field errors for bad input)."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from circulation import selectors as circulation_selectors
from circulation import services as circulation_services
from circulation.models import Item, RotatingCollection, Rotation
from core import paging, versioned
from directory import selectors as directory_selectors
from directory.filters import OrganisationFilter
from directory.models import AdministrativeUnit, Organisation
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from notifications.models import Notification
from programs import selectors as program_selectors
from programs import services as program_services
from programs.models import AnnualPlan, Commitment, PlanActivity, Programme
from reports import access as report_access
from reports import exchange
from reports import selectors as report_selectors
from reports import services as report_services
from reports.models import Indicator, Report, ReportingPeriod
from training import selectors as training_selectors
from training import services as training_services
from training.models import Course, Nomination, Session

from . import filters, presenters, serializers
from . import selectors as token_selectors
from . import services as token_services
from .models import ApiToken
from .throttling import CertificateRateThrottle

ERRORS = {
    400: OpenApiResponse(description=gettext_lazy("Dữ liệu không hợp lệ: lỗi theo từng trường.")),
    401: OpenApiResponse(description=gettext_lazy("Chưa xác thực, hoặc khóa API không hợp lệ.")),
    403: OpenApiResponse(description=gettext_lazy("Không có quyền thực hiện thao tác.")),
    404: OpenApiResponse(description=gettext_lazy("Không tìm thấy, hoặc ngoài phạm vi của bạn.")),
    409: OpenApiResponse(description=gettext_lazy("Báo cáo vừa được người khác lưu (phiên bản lệch).")),
    429: OpenApiResponse(description=gettext_lazy("Quá nhiều yêu cầu; thử lại sau.")),
}
READ_ERRORS = {k: ERRORS[k] for k in (401, 404, 429)}
LIST_TIMEOUT = 300  # what depends on the clock rather than the data is at most this old


def _errors(*codes):
    return {code: ERRORS[code] for code in codes}


def _valid(serializer_class, request) -> dict:
    """The request's input checked by `serializer_class` (400 with field errors when not)."""
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _created(serializer_class, row) -> Response:
    return Response(serializer_class(row).data, status=status.HTTP_201_CREATED)


def _report_detail(user, pk) -> Report:
    """A report with its values, as the detail endpoints answer after a write."""
    return report_selectors.reports_for_user(user).prefetch_related("values__indicator").get(pk=pk)


def _kept(request, name: str, compute):
    """What `compute` returns for this caller and this exact address (filters, page, the
    host of the next/previous links), kept until the data changes (core.versioned.DATA):
    only for answers read from the tables DATA follows."""
    return versioned.kept_for(request.user, f"api:{name}", compute, request.build_absolute_uri(), timeout=LIST_TIMEOUT)


class ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    # A read-only list and detail whose queryset comes from the app's selector. (No
    # docstring: drf-spectacular would publish it as every operation's description.)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return self.queryset
        return self.selector(self.request.user)

    def list(self, request, *args, **kwargs):
        # A page of a list, serialised, is kept for the caller and the exact address (filters,
        # page, host of the next/previous links) until the data changes (core.versioned.DATA),
        # for the lists whose rows DATA follows; the others are read every time.
        if not versioned.follows(self.get_queryset().model):
            return super().list(request, *args, **kwargs)
        return Response(_kept(request, type(self).__name__, lambda: super(ScopedReadViewSet, self).list(request).data))

    @staticmethod
    def selector(user):
        raise NotImplementedError


class OrderedIdsMixin:
    # Lists a country makes long and whose order no index gives: the ids in order are kept
    # under the data versions (core.paging), a page is its rows read by primary key.

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(paging.OrderedIds(queryset))


# --- Directory -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Đơn vị hành chính", description="Tỉnh, huyện, xã với mã thống kê.", tags=["Danh bạ"]),
    retrieve=extend_schema(
        summary="Một đơn vị hành chính", tags=["Danh bạ"], responses={200: serializers.UnitSerializer, **READ_ERRORS}
    ),
)
class UnitViewSet(ScopedReadViewSet):
    queryset = AdministrativeUnit.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.UnitSerializer
    filterset_class = filters.UnitFilter

    selector = staticmethod(directory_selectors.units_for_user)


@extend_schema_view(
    list=extend_schema(
        summary="Cơ quan, đơn vị",
        description="Các cơ quan, đơn vị trong phạm vi của người dùng cùng các đơn vị cấp tỉnh.",
        tags=["Danh bạ"],
    ),
    retrieve=extend_schema(
        summary="Một cơ quan, đơn vị",
        tags=["Danh bạ"],
        responses={200: serializers.OrganisationSerializer, **READ_ERRORS},
    ),
)
class OrganisationViewSet(ScopedReadViewSet):
    queryset = Organisation.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.OrganisationSerializer
    filterset_class = OrganisationFilter
    selector = staticmethod(directory_selectors.organisations_for_user)

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(directory_selectors.DirectoryOrder(queryset))


# --- Programme and plans ---------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Chương trình phối hợp", tags=["Chương trình"]),
    retrieve=extend_schema(
        summary="Một chương trình",
        tags=["Chương trình"],
        responses={200: serializers.ProgrammeSerializer, **READ_ERRORS},
    ),
)
class ProgrammeViewSet(ScopedReadViewSet):
    queryset = Programme.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.ProgrammeSerializer
    filterset_class = filters.ProgrammeFilter
    selector = staticmethod(lambda user: program_selectors.programmes_for_user(user).order_by("-signed_on", "pk"))


@extend_schema_view(
    list=extend_schema(summary="Điều khoản cam kết của chương trình", tags=["Chương trình"]),
    retrieve=extend_schema(
        summary="Một điều khoản",
        tags=["Chương trình"],
        responses={200: serializers.CommitmentSerializer, **READ_ERRORS},
    ),
)
class CommitmentViewSet(ScopedReadViewSet):
    queryset = Commitment.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.CommitmentSerializer
    filterset_class = filters.CommitmentFilter

    selector = staticmethod(program_selectors.commitments_for_user)


@extend_schema_view(
    list=extend_schema(summary="Kế hoạch năm", tags=["Chương trình"]),
    retrieve=extend_schema(
        summary="Một kế hoạch năm", tags=["Chương trình"], responses={200: serializers.PlanSerializer, **READ_ERRORS}
    ),
)
class PlanViewSet(ScopedReadViewSet):
    queryset = AnnualPlan.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter
    selector = staticmethod(lambda user: program_selectors.plans_for_user(user).order_by("-year", "-revision", "pk"))


@extend_schema_view(
    list=extend_schema(summary="Hoạt động của kế hoạch, kèm tiến độ mới nhất", tags=["Chương trình"]),
    retrieve=extend_schema(
        summary="Một hoạt động", tags=["Chương trình"], responses={200: serializers.ActivitySerializer, **READ_ERRORS}
    ),
)
class ActivityViewSet(ScopedReadViewSet):
    queryset = PlanActivity.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.ActivitySerializer
    filterset_class = filters.ActivityFilter
    selector = staticmethod(program_selectors.activities_for_user)

    @extend_schema(
        summary="Cập nhật tiến độ hoạt động",
        description="Như trên trang kế hoạch: cán bộ đầu mối hoặc đơn vị chủ trì, với kế hoạch đang thực hiện.",
        tags=["Chương trình"],
        request=serializers.ProgressInputSerializer,
        responses={201: serializers.ProgressSerializer, **_errors(400, 401, 403, 404, 429)},
        examples=[
            OpenApiExample(
                "Tiến độ", value={"reported_on": "2026-05-20", "percent": 60, "narrative": "Đã luân chuyển 12 bộ sách."}
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="progress", url_name="progress")
    def progress(self, request, pk=None):
        activity = program_selectors.get_activity_for_user(request.user, pk)
        if not program_services.can_report_progress(request.user, activity):
            raise PermissionDenied(_("Chỉ cán bộ đầu mối hoặc đơn vị chủ trì được cập nhật tiến độ hoạt động này."))
        data = _valid(serializers.ProgressInputSerializer, request)
        progress = program_services.progress_add(activity=activity, by=request.user, **data)
        return _created(serializers.ProgressSerializer, progress)


# --- Reports ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Kỳ báo cáo 6 tháng", tags=["Báo cáo"]),
    retrieve=extend_schema(
        summary="Một kỳ báo cáo", tags=["Báo cáo"], responses={200: serializers.PeriodSerializer, **READ_ERRORS}
    ),
)
class PeriodViewSet(ScopedReadViewSet):
    queryset = ReportingPeriod.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.PeriodSerializer
    filterset_class = filters.PeriodFilter

    selector = staticmethod(lambda user: report_selectors.periods_for_user(user).order_by("-year", "-half"))


@extend_schema_view(
    list=extend_schema(
        summary="Danh mục chỉ tiêu",
        description="Mỗi kỳ có danh mục riêng; mã chỉ tiêu giữ nguyên qua các kỳ.",
        tags=["Báo cáo"],
    ),
    retrieve=extend_schema(
        summary="Một chỉ tiêu", tags=["Báo cáo"], responses={200: serializers.IndicatorSerializer, **READ_ERRORS}
    ),
)
class IndicatorViewSet(ScopedReadViewSet):
    queryset = Indicator.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter

    selector = staticmethod(
        lambda user: report_selectors.indicators_for_user(user).order_by(
            "-period__year", "-period__half", "section__order", "order", "code"
        )
    )


@extend_schema_view(
    list=extend_schema(
        summary="Báo cáo 6 tháng",
        description="Lãnh đạo, cán bộ đầu mối thấy mọi báo cáo; cán bộ cấp huyện chỉ thấy báo cáo của đơn vị mình.",
        tags=["Báo cáo"],
    ),
    retrieve=extend_schema(
        summary="Một báo cáo với các giá trị",
        tags=["Báo cáo"],
        responses={200: serializers.ReportDetailSerializer, **READ_ERRORS},
    ),
)
class ReportViewSet(OrderedIdsMixin, ScopedReadViewSet):
    queryset = Report.objects.none()  # for the schema; rows come from the selector
    filterset_class = filters.ReportFilter
    selector = staticmethod(
        lambda user: report_selectors.reports_for_user(user).order_by(
            "-period__year", "-period__half", "organisation__code"
        )
    )

    def get_serializer_class(self):
        return serializers.ReportSerializer if self.action == "list" else serializers.ReportDetailSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            qs = qs.prefetch_related("values__indicator")
        return qs

    @extend_schema(
        summary="Sửa giá trị của báo cáo đang soạn",
        description=(
            "Chỉ cán bộ của đơn vị báo cáo, khi báo cáo đang soạn hoặc bị trả lại và chưa khóa sổ. "
            "Gửi kèm `version` đã đọc: nếu có người lưu trước, trả 409 và không lưu gì. "
            "Một giá trị sai: 400, không lưu giá trị nào."
        ),
        tags=["Báo cáo"],
        request=serializers.ReportValuesInputSerializer,
        responses={200: serializers.ReportSaveResultSerializer, **_errors(400, 401, 403, 404, 409, 429)},
        examples=[OpenApiExample("Hai giá trị", value={"version": 3, "values": {"GD01": "30", "GD02": "28"}})],
    )
    @action(detail=True, methods=["post"], url_path="values", url_name="values")
    def save_values(self, request, pk=None):
        report = report_selectors.get_report_for_editor(request.user, pk)
        data = _valid(serializers.ReportValuesInputSerializer, request)
        values = {code: ("" if v is None else v) for code, v in data["values"].items()}
        result = report_services.report_save(report=report, version=data["version"], values=values, by=request.user)
        body = {
            "report": _report_detail(request.user, report.pk),
            "changed": result.changed,
            "warnings": result.warnings,
        }
        return Response(serializers.ReportSaveResultSerializer(body).data)

    @extend_schema(
        summary="Nộp báo cáo",
        description="Khóa báo cáo, ghi thời điểm nộp; 400 liệt kê chỉ tiêu còn thiếu hay mâu thuẫn.",
        tags=["Báo cáo"],
        request=serializers.ReportSubmitInputSerializer,
        responses={200: serializers.ReportDetailSerializer, **_errors(400, 401, 403, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"], url_path="submit", url_name="submit")
    def submit(self, request, pk=None):
        report = report_selectors.get_report_for_editor(request.user, pk)
        data = _valid(serializers.ReportSubmitInputSerializer, request)
        report_services.report_submit(report=report, by=request.user, version=data.get("version"))
        return Response(serializers.ReportDetailSerializer(_report_detail(request.user, report.pk)).data)


PERIOD_PARAM = OpenApiParameter(
    "period",
    str,
    required=True,
    description=gettext_lazy("Kỳ báo cáo: 2026S1, 2026S2 hoặc mã số kỳ."),
    examples=[OpenApiExample("Kỳ", value="2026S1")],
)
SECTOR_PARAM = OpenApiParameter(
    "sector", str, enum=["culture", "education"], description=gettext_lazy("Chỉ một ngành.")
)
DISTRICT_PARAM = OpenApiParameter("district", str, description=gettext_lazy("Mã huyện (mã thống kê), ví dụ 157."))
# 12 districts (or communes) a page, with their offices.
UNITS_PAGE_PARAM = OpenApiParameter("page", int, description=gettext_lazy("Số thứ tự trang, từ 1."))


def _province_period(request) -> tuple[ReportingPeriod, str | None, str | None]:
    """The period, sector and district asked for, for users who see the whole province."""
    if not report_access.can_see_province(request.user):
        raise PermissionDenied(_("Chỉ lãnh đạo, cán bộ đầu mối và quản trị hệ thống xem được số liệu toàn tỉnh."))
    raw = request.query_params.get("period", "")
    errors = {}
    if not raw:
        errors["period"] = [_("Hãy chọn kỳ báo cáo (ví dụ 2026S1).")]
    elif exchange.period_lookup(raw) is None:
        errors["period"] = [_("Kỳ báo cáo viết dạng 2026S1 hoặc bằng mã số kỳ.")]
    sector = request.query_params.get("sector") or None
    if sector and sector not in ("culture", "education"):
        errors["sector"] = [_("Ngành là “culture” hoặc “education”.")]
    return _found_period(raw, errors), sector, request.query_params.get("district") or None


def _found_period(raw: str, errors: dict) -> ReportingPeriod:
    """The period `raw` names, once the query's `errors` (400) are none; 404 when none exists."""
    if errors:
        raise ValidationError(errors)
    period = exchange.find_period(raw)
    if period is None:
        raise Http404
    return period


class CompletenessView(APIView):
    @extend_schema(
        summary="Tình hình nộp báo cáo của một kỳ",
        description="Đúng hạn, muộn, đầy đủ theo đơn vị, huyện và ngành. Dành cho lãnh đạo, cán bộ đầu mối.",
        tags=["Báo cáo"],
        parameters=[PERIOD_PARAM, SECTOR_PARAM, DISTRICT_PARAM, UNITS_PAGE_PARAM],
        responses={200: serializers.CompletenessSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    def get(self, request):
        period, sector, district = _province_period(request)

        def answer():
            page = request.query_params.get("page")
            body = presenters.completeness(period, sector=sector, district=district, page=page)
            return serializers.CompletenessSerializer(body).data

        return Response(_kept(request, "completeness", answer))


class ConsolidationView(APIView):
    @extend_schema(
        summary="Tổng hợp số liệu của một kỳ",
        description=(
            "Tổng toàn tỉnh theo chỉ tiêu (từ các báo cáo đã nộp hoặc đã tiếp nhận), theo huyện, so với kỳ trước "
            "và cùng kỳ năm trước. `district` chỉ giữ cột của huyện đó."
        ),
        tags=["Báo cáo"],
        parameters=[PERIOD_PARAM, SECTOR_PARAM, DISTRICT_PARAM],
        responses={200: serializers.ConsolidationSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    def get(self, request):
        period, sector, district = _province_period(request)
        body = presenters.consolidation(period, sector=sector, district=district)
        return Response(serializers.ConsolidationSerializer(body).data)


class CSVParser(parsers.BaseParser):
    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        for encoding in ("utf-8-sig", "cp1258"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ValidationError({"file": [_("Tệp CSV phải được lưu với bảng mã UTF-8.")]})


def _flag(request, name: str, default: bool) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "1", "yes"):
        return True
    if raw.lower() in ("false", "0", "no"):
        return False
    raise ValidationError({name: [_("Giá trị phải là true hoặc false.")]})


def _export_request(request) -> tuple[ReportingPeriod, str]:
    """The period and format (json or csv) an export asks for: 400 when unreadable, 404 when
    no such period exists."""
    raw = request.query_params.get("period", "")
    fmt = request.query_params.get("exportFormat") or "json"
    errors = {}
    if not raw or exchange.period_lookup(raw) is None:
        errors["period"] = [_("Hãy chọn kỳ báo cáo, viết dạng 2026S1 hoặc bằng mã số kỳ.")]
    if fmt not in ("json", "csv"):
        errors["exportFormat"] = [_("Định dạng là json hoặc csv.")]
    return _found_period(raw, errors), fmt


CSV_EXAMPLE = "dataelement,period,orgunit,value\nGD01,2026S1,GDDT-157,30\nGD02,2026S1,GDDT-157,28\n"


class DataValuesView(APIView):
    parser_classes = [parsers.JSONParser, CSVParser]

    @extend_schema(
        summary="Xuất số liệu một kỳ (dataValueSets của DHIS2)",
        description=(
            "Các giá trị đã nhập của những báo cáo bạn được xem, theo mã đơn vị, kỳ (2026S1) và mã chỉ tiêu. "
            "`exportFormat=csv` trả tệp CSV với các cột của DHIS2; nhập lại được đúng bằng POST."
        ),
        tags=["Trao đổi số liệu"],
        parameters=[
            PERIOD_PARAM,
            OpenApiParameter(
                "orgUnit", str, description=gettext_lazy("Chỉ các đơn vị này (mã, cách nhau bởi dấu phẩy).")
            ),
            OpenApiParameter(
                "exportFormat", str, enum=["json", "csv"], description=gettext_lazy("json (mặc định) hoặc csv.")
            ),
        ],
        responses={
            (200, "application/json"): serializers.DataValueSetSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            **_errors(400, 401, 404, 429),
        },
    )
    def get(self, request):
        period, fmt = _export_request(request)
        codes = [c.strip() for c in request.query_params.get("orgUnit", "").split(",") if c.strip()]
        rows = exchange.export_rows(
            report_selectors.period_values_for_user(request.user, period, organisation_codes=codes)
        )
        iso = exchange.period_iso(period)
        if fmt == "csv":
            response = HttpResponse(exchange.to_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="dataValueSets-{iso}.csv"'
            return response
        return Response({"dataSet": exchange.DATA_SET_CODE, "period": iso, "dataValues": rows})

    @extend_schema(
        summary="Nhập hàng loạt giá trị báo cáo (JSON dataValueSets hoặc CSV)",
        description=(
            "Mỗi giá trị ghi theo mã đơn vị (`orgUnit`), kỳ (`period`: 2026S1 hoặc mã số kỳ) và mã chỉ tiêu "
            "(`dataElement`). Chỉ cán bộ của đơn vị báo cáo ghi được, chỉ vào báo cáo đang soạn hoặc bị trả lại "
            "(báo cáo đã nộp bị từ chối). Kết quả cho từng giá trị: imported (trước đó trống), updated, ignored "
            "(giống giá trị đang có) hoặc conflict với lý do. Mặc định `atomic=true`: một xung đột là không ghi "
            "gì (409). `dryRun=true`: kiểm tra và trả kết quả mà không ghi."
        ),
        tags=["Trao đổi số liệu"],
        parameters=[
            OpenApiParameter("dryRun", bool, description=gettext_lazy("Chỉ kiểm tra, không ghi (mặc định false).")),
            OpenApiParameter("atomic", bool, description=gettext_lazy("Một xung đột là không ghi gì (mặc định true).")),
        ],
        request={"application/json": serializers.DataValueSetSerializer, "text/csv": OpenApiTypes.STR},
        responses={
            200: serializers.ImportSummarySerializer,
            409: OpenApiResponse(
                serializers.ImportSummarySerializer, description=gettext_lazy("Có xung đột; xem từng giá trị.")
            ),
            **_errors(400, 401, 429),
        },
        examples=[
            OpenApiExample(
                "Hai giá trị của Phòng GD&ĐT Lạc Sơn",
                value={
                    "dataValues": [
                        {"dataElement": "GD01", "period": "2026S1", "orgUnit": "GDDT-157", "value": "30"},
                        {"dataElement": "GD02", "period": "2026S1", "orgUnit": "GDDT-157", "value": "28"},
                    ]
                },
                request_only=True,
                media_type="application/json",
            ),
            OpenApiExample("CSV", value=CSV_EXAMPLE, request_only=True, media_type="text/csv"),
        ],
    )
    def post(self, request):
        dry_run = _flag(request, "dryRun", False)
        atomic = _flag(request, "atomic", True)
        data = request.data
        rows = exchange.rows_from_csv(data) if isinstance(data, str) else exchange.rows_from_json(data)
        if not rows:
            raise ValidationError({"dataValues": [_("Tài liệu không có giá trị nào.")]})
        summary = report_services.data_values_import(rows=rows, by=request.user, dry_run=dry_run, atomic=atomic)
        body, code = presenters.import_summary(summary)
        return Response(serializers.ImportSummarySerializer(body).data, status=code)


# --- Training --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Khóa đào tạo", tags=["Đào tạo"]),
    retrieve=extend_schema(
        summary="Một khóa đào tạo", tags=["Đào tạo"], responses={200: serializers.CourseSerializer, **READ_ERRORS}
    ),
)
class CourseViewSet(OrderedIdsMixin, ScopedReadViewSet):
    queryset = Course.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.CourseSerializer
    filterset_class = filters.CourseFilter
    selector = staticmethod(lambda user: training_selectors.courses_for_user(user).order_by("-created_at", "pk"))


@extend_schema_view(
    list=extend_schema(summary="Buổi học", tags=["Đào tạo"]),
    retrieve=extend_schema(
        summary="Một buổi học", tags=["Đào tạo"], responses={200: serializers.SessionSerializer, **READ_ERRORS}
    ),
)
class SessionViewSet(ScopedReadViewSet):
    queryset = Session.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.SessionSerializer
    filterset_class = filters.SessionFilter

    selector = staticmethod(
        lambda user: training_selectors.sessions_for_user(user).order_by("date", "start_time", "pk")
    )


COURSE_PARAM = OpenApiParameter("course", int, required=True, description=gettext_lazy("Mã số khóa đào tạo."))


class NominationViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    queryset = Nomination.objects.none()  # for the schema; rows come from the selector
    filterset_class = filters.NominationFilter
    serializer_class = serializers.NominationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if self.action == "retrieve":
            return training_selectors.nominations_for_user(self.request.user, self._course_of_detail())
        raw = self.request.query_params.get("course", "")
        if not raw.isdigit() or len(raw) > 12:
            raise ValidationError({"course": [_("Hãy chọn khóa đào tạo (mã số khóa).")]})
        course = training_selectors.get_course_for_user(self.request.user, int(raw))
        return training_selectors.nominations_for_user(self.request.user, course)

    def _course_of_detail(self):
        nomination = training_selectors.get_nomination_for_user(self.request.user, self.kwargs["pk"])
        return nomination.course

    @extend_schema(
        summary="Đề cử của một khóa",
        tags=["Đào tạo"],
        parameters=[COURSE_PARAM],
        responses={200: serializers.NominationSerializer(many=True), **_errors(400, 401, 404, 429)},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Một đề cử", tags=["Đào tạo"], responses={200: serializers.NominationSerializer, **READ_ERRORS}
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Đề cử nhân viên dự khóa học",
        description="Như trên trang khóa học: phòng GD&ĐT, trường học và cán bộ đầu mối đề cử nhân viên trong phạm vi của mình.",
        tags=["Đào tạo"],
        request=serializers.NominationInputSerializer,
        responses={201: serializers.NominationSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    def create(self, request, *args, **kwargs):
        data = _valid(serializers.NominationInputSerializer, request)
        course = training_selectors.get_course_for_user(request.user, data["course"])
        staff = training_selectors.staff_for_user(request.user).filter(pk=data["staff"]).first()
        if staff is None:
            raise ValidationError({"staff": [_("Không có nhân viên này trong phạm vi quản lý của bạn.")]})
        nomination = training_services.nomination_create(course=course, staff=staff, by=request.user, note=data["note"])
        return _created(serializers.NominationSerializer, nomination)


class CertificateView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [CertificateRateThrottle]

    @extend_schema(
        summary="Xác thực giấy chứng nhận (công khai)",
        description="Ai cũng kiểm tra được mã in trên giấy chứng nhận; giới hạn số lần tra cứu theo địa chỉ.",
        tags=["Đào tạo"],
        auth=[],
        responses={200: serializers.CertificateSerializer, 404: ERRORS[404], 429: ERRORS[429]},
    )
    def get(self, request, code: str):
        certificate = training_selectors.certificate_by_code(code)
        if certificate is None:
            raise Http404
        body = presenters.certificate(certificate)
        return Response(serializers.CertificateSerializer(body).data)


# --- Circulation -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Bộ sách luân chuyển", tags=["Luân chuyển sách"]),
    retrieve=extend_schema(
        summary="Một bộ sách",
        tags=["Luân chuyển sách"],
        responses={200: serializers.CollectionSerializer, **READ_ERRORS},
    ),
)
class CollectionViewSet(ScopedReadViewSet):
    queryset = RotatingCollection.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.CollectionSerializer
    filterset_class = filters.CollectionFilter
    selector = staticmethod(
        lambda user: circulation_selectors.collections_for_user(user).order_by("owner_id", "code", "pk")
    )


@extend_schema_view(
    list=extend_schema(summary="Tên sách của các bộ sách", tags=["Luân chuyển sách"]),
    retrieve=extend_schema(
        summary="Một tên sách", tags=["Luân chuyển sách"], responses={200: serializers.ItemSerializer, **READ_ERRORS}
    ),
)
class ItemViewSet(ScopedReadViewSet):
    queryset = Item.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.ItemSerializer
    filterset_class = filters.ItemFilter

    selector = staticmethod(lambda user: circulation_selectors.items_for_user(user).order_by("collection_id", "pk"))


def _received_lines(lines: dict | None) -> dict[int, int] | None:
    """Copies received per line id, as posted (keys are strings in JSON)."""
    if lines is None:
        return None
    try:
        return {int(k): v for k, v in lines.items()}
    except ValueError:
        raise ValidationError({"lines": [_("Mã dòng phải là số.")]}) from None


@extend_schema_view(
    list=extend_schema(summary="Đợt luân chuyển", tags=["Luân chuyển sách"]),
    retrieve=extend_schema(
        summary="Một đợt luân chuyển",
        tags=["Luân chuyển sách"],
        responses={200: serializers.RotationSerializer, **READ_ERRORS},
    ),
)
class RotationViewSet(OrderedIdsMixin, ScopedReadViewSet):
    queryset = Rotation.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.RotationSerializer
    filterset_class = filters.RotationFilter
    selector = staticmethod(
        lambda user: circulation_selectors.rotations_for_user(user).order_by("-planned_dispatch_date", "-pk")
    )

    @extend_schema(
        summary="Thư viện trường xác nhận đã nhận sách",
        description="Theo tổng số bản (`total`, phải bằng số bản gửi) hoặc theo từng dòng (`lines`).",
        tags=["Luân chuyển sách"],
        request=serializers.ReceiptInputSerializer,
        responses={200: serializers.RotationSerializer, **_errors(400, 401, 403, 404, 429)},
        examples=[OpenApiExample("Nhận đủ", value={"total": 120, "note": "Đã nhận đủ, sách còn tốt."})],
    )
    @action(detail=True, methods=["post"], url_path="receive", url_name="receive")
    def receive(self, request, pk=None):
        rotation = circulation_selectors.get_rotation_for_receiver(request.user, pk)
        data = _valid(serializers.ReceiptInputSerializer, request)
        received = _received_lines(data.get("lines"))
        total = data.get("total") if received is None else None
        rotation = circulation_services.rotation_receive(
            rotation=rotation, by=request.user, received=received, total=total, note=data["note"]
        )
        return Response(
            serializers.RotationSerializer(circulation_selectors.get_rotation_for_user(request.user, rotation.pk)).data
        )


# --- Notifications ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Thông báo của tôi", tags=["Thông báo"]),
    retrieve=extend_schema(
        summary="Một thông báo", tags=["Thông báo"], responses={200: serializers.NotificationSerializer, **READ_ERRORS}
    ),
)
class NotificationViewSet(ScopedReadViewSet):
    queryset = Notification.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.NotificationSerializer
    filterset_class = filters.NotificationFilter
    selector = staticmethod(notification_selectors.inbox)

    @extend_schema(
        summary="Đánh dấu đã đọc",
        tags=["Thông báo"],
        request=None,
        responses={200: serializers.NotificationSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="read", url_name="read")
    def mark_read(self, request, pk=None):
        notification = notification_selectors.get_notification_for_user(request.user, pk)
        notification = notification_services.notification_mark_read(notification=notification, by=request.user)
        return Response(serializers.NotificationSerializer(notification).data)


# --- Tokens ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Khóa API",
        description="Khóa của bạn; lãnh đạo và quản trị hệ thống thêm `all=true` để xem khóa của mọi người.",
        tags=["Khóa API"],
        parameters=[OpenApiParameter("all", bool, description=gettext_lazy("Mọi khóa (lãnh đạo, quản trị)."))],
    ),
    retrieve=extend_schema(
        summary="Một khóa API", tags=["Khóa API"], responses={200: serializers.TokenSerializer, **READ_ERRORS}
    ),
)
class TokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = ApiToken.objects.none()  # for the schema; rows come from the selector
    serializer_class = serializers.TokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        everyone = _flag(self.request, "all", False) if self.action == "list" else None
        return token_selectors.tokens_for_user(self.request.user, everyone=everyone)

    @extend_schema(
        summary="Tạo khóa API",
        description=(
            "Chỉ khi đăng nhập bằng trình duyệt (phiên làm việc), không bằng một khóa khác: khóa bị lộ không tự "
            "sinh thêm khóa. Khóa trả về một lần duy nhất."
        ),
        tags=["Khóa API"],
        request=serializers.TokenCreateSerializer,
        responses={201: serializers.TokenCreatedSerializer, **_errors(400, 401, 403, 429)},
    )
    def create(self, request):
        if request.auth is not None:
            raise PermissionDenied(_("Khóa API chỉ được tạo khi đăng nhập trên cổng, không bằng một khóa API khác."))
        data = _valid(serializers.TokenCreateSerializer, request)
        token, raw = token_services.token_create(user=request.user, by=request.user, **data)
        token.token = raw
        response = Response(serializers.TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"  # the only copy of the secret
        return response

    @extend_schema(
        summary="Thu hồi khóa API",
        description="Người tạo khóa, lãnh đạo hoặc quản trị hệ thống. Khóa bị thu hồi không dùng được nữa.",
        tags=["Khóa API"],
        request=None,
        responses={200: serializers.TokenSerializer, **READ_ERRORS, 403: ERRORS[403]},
    )
    @action(detail=True, methods=["post"], url_path="revoke", url_name="revoke")
    def revoke(self, request, pk=None):
        token = token_selectors.get_token_for_user(request.user, pk)
        token = token_services.token_revoke(token=token, by=request.user)
        return Response(serializers.TokenSerializer(token).data)
