"""What the API returns and accepts. Serializers only shape data: every rule is in the apps'
services and selectors."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from circulation.models import Item, RotatingCollection, Rotation
from directory.models import AdministrativeUnit, Organisation
from notifications.models import Notification
from programs.models import ActivityProgress, AnnualPlan, Commitment, PlanActivity, Programme
from reports.exchange import period_iso
from reports.models import Indicator, Report, ReportingPeriod, ReportValue
from training.models import Course, Nomination, Session

from .models import ApiToken

# --- Directory -------------------------------------------------------------------------------


# The integer ranges of PostgreSQL, production's database, whatever database runs: DRF takes
# a model field's bounds from the connection (SQLite allows 64 bits everywhere), so without
# this the API would accept on SQLite what PostgreSQL refuses, and the schema would differ.
PORTABLE_INTEGER_RANGES = {
    "SmallIntegerField": (-32768, 32767),
    "IntegerField": (-2147483648, 2147483647),
    "PositiveSmallIntegerField": (0, 32767),
    "PositiveIntegerField": (0, 2147483647),
}


class PortalModelSerializer(serializers.ModelSerializer):
    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        bounds = PORTABLE_INTEGER_RANGES.get(model_field.get_internal_type())
        if bounds and not kwargs.get("read_only"):
            low, high = bounds
            kwargs["min_value"] = max(kwargs.get("min_value", low), low)
            kwargs["max_value"] = min(kwargs.get("max_value", high), high)
        return field_class, kwargs


class UnitSerializer(PortalModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)
    merged_into_code = serializers.CharField(source="merged_into.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = AdministrativeUnit
        fields = [
            "id",
            "code",
            "name",
            "name_with_type",
            "level",
            "parent",
            "parent_code",
            "valid_from",
            "valid_to",
            "merged_into_code",
        ]


class OrganisationSerializer(PortalModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True, allow_null=True, default=None)
    district_name = serializers.CharField(source="district.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "sector",
            "district",
            "district_code",
            "district_name",
            "parent",
            "school_level",
            "address",
            "phone",
            "email",
            "valid_from",
            "valid_to",
        ]


# --- Programme and plans ---------------------------------------------------------------------


class ProgrammeSerializer(PortalModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "number", "title", "signed_on", "valid_from", "valid_to", "place", "version", "renewal_of"]


class CommitmentSerializer(PortalModelSerializer):
    class Meta:
        model = Commitment
        fields = ["id", "programme", "code", "section", "heading", "text", "lead_side", "responsible_units", "position"]


class PlanSerializer(PortalModelSerializer):
    n_activities = serializers.IntegerField(read_only=True)

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "programme",
            "year",
            "title",
            "summary",
            "status",
            "revision",
            "submitted_at",
            "in_force_at",
            "closed_at",
            "n_activities",
        ]


class ProgressSerializer(PortalModelSerializer):
    author_name = serializers.CharField(source="author.get_full_name", read_only=True)

    class Meta:
        model = ActivityProgress
        fields = ["id", "reported_on", "percent", "achieved_value", "narrative", "author_name", "created_at"]


class ActivitySerializer(PortalModelSerializer):
    lead_unit_code = serializers.CharField(source="lead_unit.code", read_only=True, allow_null=True, default=None)
    commitment_codes = serializers.SerializerMethodField()
    latest_percent = serializers.IntegerField(read_only=True, allow_null=True)
    latest_achieved = serializers.DecimalField(max_digits=10, decimal_places=0, read_only=True, allow_null=True)
    latest_reported_on = serializers.DateField(read_only=True, allow_null=True)
    n_updates = serializers.IntegerField(read_only=True)

    class Meta:
        model = PlanActivity
        fields = [
            "id",
            "plan",
            "position",
            "title",
            "description",
            "lead_unit",
            "lead_unit_code",
            "commitment_codes",
            "start_date",
            "end_date",
            "target_value",
            "target_unit",
            "funding_side",
            "status",
            "latest_percent",
            "latest_achieved",
            "latest_reported_on",
            "n_updates",
        ]

    def get_commitment_codes(self, obj) -> list[str]:
        return [c.code for c in obj.commitments.all()]


class ProgressInputSerializer(serializers.Serializer):
    reported_on = serializers.DateField(label=_("ngày cập nhật"))
    narrative = serializers.CharField(label=_("mô tả kết quả"), max_length=5000)
    percent = serializers.IntegerField(label=_("tỷ lệ hoàn thành (%)"), min_value=0, max_value=100, required=False)
    achieved_value = serializers.DecimalField(
        label=_("kết quả đạt được"), max_digits=10, decimal_places=0, min_value=0, required=False
    )


# --- Reports ---------------------------------------------------------------------------------


class PeriodSerializer(PortalModelSerializer):
    iso = serializers.SerializerMethodField(help_text=_("Kỳ theo cách viết của DHIS2: 2026S1, 2026S2."))

    class Meta:
        model = ReportingPeriod
        fields = ["id", "iso", "year", "half", "data_start", "data_end", "due_date", "lock_date", "note"]

    def get_iso(self, obj) -> str:
        return period_iso(obj)


class IndicatorSerializer(PortalModelSerializer):
    section_code = serializers.CharField(source="section.code", read_only=True)
    section_title = serializers.CharField(source="section.title", read_only=True)
    sector = serializers.CharField(source="section.sector", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "period",
            "code",
            "label",
            "unit",
            "section_code",
            "section_title",
            "sector",
            "is_narrative",
            "required",
            "min_value",
            "max_value",
            "help_text",
            "prefill",
        ]


class ReportValueSerializer(PortalModelSerializer):
    code = serializers.CharField(source="indicator.code", read_only=True)

    class Meta:
        model = ReportValue
        fields = ["code", "number", "text", "source"]


class ReportSerializer(PortalModelSerializer):
    period_iso = serializers.SerializerMethodField()
    organisation_code = serializers.CharField(source="organisation.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    district_code = serializers.CharField(
        source="organisation.district.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "period",
            "period_iso",
            "organisation",
            "organisation_code",
            "organisation_name",
            "district_code",
            "status",
            "version",
            "submitted_at",
            "is_late",
            "reviewed_at",
            "updated_at",
        ]

    def get_period_iso(self, obj) -> str:
        return period_iso(obj.period)


class ReportDetailSerializer(ReportSerializer):
    values = ReportValueSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "values"]


class ReportValuesInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        label=_("phiên bản"), min_value=0, help_text=_("Phiên bản của báo cáo khi đọc; lệch là bị từ chối (409).")
    )
    values = serializers.DictField(
        label=_("giá trị"),
        child=serializers.CharField(allow_blank=True, allow_null=True, max_length=20000),
        help_text=_('Mã chỉ tiêu → giá trị, ví dụ {"GD01": "30"}. Để trống là xóa giá trị.'),
        allow_empty=False,
    )


class ReportSaveResultSerializer(serializers.Serializer):
    report = ReportDetailSerializer()
    changed = serializers.IntegerField()
    warnings = serializers.DictField(child=serializers.CharField())


class ReportSubmitInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(label=_("phiên bản"), min_value=0, required=False)


class TallySerializer(serializers.Serializer):
    label = serializers.CharField()
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    complete = serializers.IntegerField()
    accepted = serializers.IntegerField()
    awaiting = serializers.IntegerField()
    missing = serializers.IntegerField()
    completeness_rate = serializers.FloatField()
    timeliness_rate = serializers.FloatField()
    submission_rate = serializers.FloatField()


class CompletenessRowSerializer(serializers.Serializer):
    organisation_code = serializers.CharField()
    organisation_name = serializers.CharField()
    district_code = serializers.CharField(allow_null=True)
    sector = serializers.CharField()
    report_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    is_late = serializers.BooleanField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    complete = serializers.BooleanField()


class CompletenessSerializer(serializers.Serializer):
    period = serializers.CharField()
    total = TallySerializer()
    by_district = TallySerializer(many=True)
    by_sector = TallySerializer(many=True)
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    districts = serializers.IntegerField()
    rows = CompletenessRowSerializer(many=True)


class ConsolidationDistrictSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.IntegerField(allow_null=True)


class ConsolidationIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    total = serializers.IntegerField(allow_null=True)
    previous = serializers.IntegerField(allow_null=True)
    same_period_last_year = serializers.IntegerField(allow_null=True)
    districts = ConsolidationDistrictSerializer(many=True)


class ConsolidationSerializer(serializers.Serializer):
    period = serializers.CharField()
    previous_period = serializers.CharField(allow_null=True)
    last_year_period = serializers.CharField(allow_null=True)
    sector = serializers.CharField(allow_null=True)
    reports_counted = serializers.IntegerField()
    indicators = ConsolidationIndicatorSerializer(many=True)


# --- Data values (DHIS2 dataValueSets) -------------------------------------------------------


class DataValueSerializer(serializers.Serializer):
    dataElement = serializers.CharField(help_text=_("Mã chỉ tiêu, ví dụ GD01."))  # noqa: N815
    period = serializers.CharField(help_text=_("Kỳ: 2026S1 (6 tháng đầu năm), 2026S2, hoặc mã số kỳ của cổng."))
    orgUnit = serializers.CharField(help_text=_("Mã đơn vị báo cáo, ví dụ GDDT-157."))  # noqa: N815
    value = serializers.CharField(allow_blank=True, allow_null=True)
    lastUpdated = serializers.DateTimeField(required=False, read_only=True)  # noqa: N815


class DataValueSetSerializer(serializers.Serializer):
    dataSet = serializers.CharField(required=False, default="BC6T")  # noqa: N815
    period = serializers.CharField(required=False, help_text=_("Kỳ áp dụng cho các giá trị không ghi kỳ."))
    orgUnit = serializers.CharField(required=False, help_text=_("Đơn vị áp dụng cho các giá trị không ghi đơn vị."))  # noqa: N815
    dataValues = DataValueSerializer(many=True)  # noqa: N815


class ImportValueSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Thứ tự của giá trị trong tài liệu (dòng dữ liệu của CSV)."))
    orgUnit = serializers.CharField(source="org_unit")  # noqa: N815
    period = serializers.CharField()
    dataElement = serializers.CharField(source="data_element")  # noqa: N815
    value = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["imported", "updated", "ignored", "conflict"])
    reason = serializers.CharField(allow_blank=True)


class ImportCountSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    updated = serializers.IntegerField()
    ignored = serializers.IntegerField()
    conflicts = serializers.IntegerField()


class ImportSummarySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["SUCCESS", "WARNING", "ERROR"])
    description = serializers.CharField()
    dryRun = serializers.BooleanField(source="dry_run")  # noqa: N815
    atomic = serializers.BooleanField()
    written = serializers.BooleanField(help_text=_("Có giá trị nào đã được ghi vào cổng hay không."))
    importCount = ImportCountSerializer(source="*")  # noqa: N815
    reports = serializers.ListField(child=serializers.IntegerField())
    values = ImportValueSerializer(many=True)


# --- Training --------------------------------------------------------------------------------


class CourseSerializer(PortalModelSerializer):
    organiser_code = serializers.CharField(source="organiser.code", read_only=True)
    n_sessions = serializers.IntegerField(read_only=True)
    first_date = serializers.DateField(read_only=True, allow_null=True)
    last_date = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "kind",
            "school_level",
            "organiser",
            "organiser_code",
            "audience",
            "description",
            "capacity",
            "nomination_deadline",
            "status",
            "n_sessions",
            "first_date",
            "last_date",
        ]


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "08:00"})
class ClockTimeField(serializers.TimeField):
    """A local clock time "08:00" (OpenAPI's `format: time` would demand a UTC offset)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class SessionSerializer(PortalModelSerializer):
    start_time = ClockTimeField(read_only=True)
    end_time = ClockTimeField(read_only=True)

    class Meta:
        model = Session
        fields = ["id", "course", "date", "start_time", "end_time", "place", "trainer"]


class NominationSerializer(PortalModelSerializer):
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)
    school_code = serializers.CharField(source="staff.school.code", read_only=True)

    class Meta:
        model = Nomination
        fields = ["id", "course", "staff", "staff_name", "school_code", "state", "note", "created_at"]


class NominationInputSerializer(serializers.Serializer):
    course = serializers.IntegerField(label=_("khóa học"))
    staff = serializers.IntegerField(label=_("nhân viên"))
    note = serializers.CharField(label=_("ghi chú"), max_length=300, required=False, allow_blank=True, default="")


class CertificateSerializer(serializers.Serializer):
    code = serializers.CharField()
    valid = serializers.BooleanField(help_text=_("Còn giá trị hôm nay (chưa thu hồi, chưa hết hạn)."))
    holder_name = serializers.CharField()
    holder_organisation = serializers.CharField()
    course_title = serializers.CharField()
    course_start = serializers.DateField()
    course_end = serializers.DateField()
    issuer_name = serializers.CharField()
    issued_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    revoked = serializers.BooleanField()


# --- Circulation -----------------------------------------------------------------------------


class CollectionSerializer(PortalModelSerializer):
    owner_code = serializers.CharField(source="owner.code", read_only=True)

    class Meta:
        model = RotatingCollection
        fields = ["id", "code", "name", "theme", "target_level", "description", "is_active", "owner", "owner_code"]


class ItemSerializer(PortalModelSerializer):
    class Meta:
        model = Item
        fields = [
            "id",
            "collection",
            "title",
            "authors",
            "publisher",
            "year",
            "isbn",
            "call_number",
            "barcode",
            "copies",
            "condition",
        ]


class RotationSerializer(PortalModelSerializer):
    collection_code = serializers.CharField(source="collection.code", read_only=True)
    owner_code = serializers.CharField(source="owner.code", read_only=True)
    school_library_code = serializers.CharField(source="school_library.code", read_only=True)

    class Meta:
        model = Rotation
        fields = [
            "id",
            "collection",
            "collection_code",
            "owner",
            "owner_code",
            "school_library",
            "school_library_code",
            "status",
            "planned_dispatch_date",
            "due_date",
            "dispatched_at",
            "received_at",
            "returned_at",
            "checked_at",
            "titles_sent",
            "copies_sent",
            "copies_received",
            "copies_missing",
            "copies_back",
            "copies_lost",
            "copies_damaged",
        ]


class ReceiptInputSerializer(serializers.Serializer):
    total = serializers.IntegerField(
        label=_("tổng số bản nhận"),
        min_value=0,
        required=False,
        help_text=_("Xác nhận theo tổng số: phải bằng số bản gửi."),
    )
    lines = serializers.DictField(
        label=_("số bản nhận theo dòng"),
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text=_("Mã dòng → số bản nhận; dòng không ghi được coi là nhận đủ."),
    )
    note = serializers.CharField(label=_("ghi chú"), max_length=1000, required=False, allow_blank=True, default="")


# --- Notifications and tokens ----------------------------------------------------------------


class NotificationSerializer(PortalModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class TokenSerializer(PortalModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "username",
            "created_at",
            "last_used_at",
            "expires_on",
            "revoked_at",
            "active",
        ]
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("tên khóa"), max_length=80)
    expires_on = serializers.DateField(label=_("hết hạn sau ngày"), required=False, allow_null=True)


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text=_("Khóa API: chỉ hiện một lần, hãy lưu lại ngay."))

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]
        read_only_fields = fields
