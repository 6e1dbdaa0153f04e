"""django-filter filter sets of the API lists (the organisation list's is the directory page's
own, `directory.filters.OrganisationFilter`). Each narrows a queryset that the app's
selector has already scoped to the user: a filter can only hide rows, never reveal one."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from circulation.models import Item, RotatingCollection, Rotation
from directory.filters import valid_on
from directory.models import AdministrativeUnit, Organisation
from notifications.models import Notification
from programs.models import AnnualPlan, Commitment, PlanActivity, Programme
from reports.exchange import period_lookup
from reports.models import Indicator, Report, ReportingPeriod
from training.models import Course, Nomination, Session


class PeriodRefFilter(filters.CharFilter):
    """A period written `2026S1` or by id; an unreadable one matches nothing."""

    def __init__(self, *args, prefix: str = "period", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("label", _("kỳ báo cáo (2026S1 hoặc mã số)"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        lookup = period_lookup(value)
        if lookup is None:
            return qs.none()
        return qs.filter(**{f"{self.prefix}__{k}": v for k, v in lookup.items()})


class UnitFilter(filters.FilterSet):
    level = filters.ChoiceFilter(choices=AdministrativeUnit.Level.choices, label=_("cấp"))
    parent = filters.CharFilter(field_name="parent__code", label=_("mã đơn vị cấp trên"))
    as_of = filters.DateFilter(method="filter_as_of", label=_("còn hiệu lực ngày (YYYY-MM-DD)"))

    class Meta:
        model = AdministrativeUnit
        fields = ["level", "parent", "as_of"]

    def filter_as_of(self, queryset, name, value):
        return valid_on(queryset, value)


class ProgrammeFilter(filters.FilterSet):
    year = filters.NumberFilter(method="filter_year", label=_("còn hiệu lực trong năm"))

    class Meta:
        model = Programme
        fields = ["year"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(valid_from__lte=value, valid_to__gte=value)


class CommitmentFilter(filters.FilterSet):
    class Meta:
        model = Commitment
        fields = ["programme", "lead_side", "section"]


class PlanFilter(filters.FilterSet):
    class Meta:
        model = AnnualPlan
        fields = ["programme", "year", "status"]


class ActivityFilter(filters.FilterSet):
    lead_unit = filters.CharFilter(field_name="lead_unit__code", label=_("mã đơn vị chủ trì"))
    year = filters.NumberFilter(field_name="plan__year", label=_("năm kế hoạch"))

    class Meta:
        model = PlanActivity
        fields = ["plan", "status", "lead_unit", "year"]


class PeriodFilter(filters.FilterSet):
    class Meta:
        model = ReportingPeriod
        fields = ["year", "half"]


class IndicatorFilter(filters.FilterSet):
    period = PeriodRefFilter()
    sector = filters.CharFilter(field_name="section__sector", label=_("ngành (để trống: mục chung)"))
    code = filters.CharFilter(field_name="code", label=_("mã chỉ tiêu"))

    class Meta:
        model = Indicator
        fields = ["period", "sector", "code", "is_narrative"]


class ReportFilter(filters.FilterSet):
    period = PeriodRefFilter()
    organisation = filters.CharFilter(field_name="organisation__code", label=_("mã đơn vị"))
    district = filters.CharFilter(field_name="organisation__district__code", label=_("mã huyện"))
    sector = filters.ChoiceFilter(
        field_name="organisation__sector", choices=Organisation.Sector.choices, label=_("ngành")
    )

    class Meta:
        model = Report
        fields = ["period", "status", "organisation", "district", "sector"]


class CourseFilter(filters.FilterSet):
    organiser = filters.CharFilter(field_name="organiser__code", label=_("mã đơn vị tổ chức"))

    class Meta:
        model = Course
        fields = ["status", "kind", "organiser"]


class SessionFilter(filters.FilterSet):
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label=_("từ ngày"))
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("đến ngày"))

    class Meta:
        model = Session
        fields = ["course", "date_from", "date_to"]


class NominationFilter(filters.FilterSet):
    class Meta:
        model = Nomination
        fields = ["state"]


class CollectionFilter(filters.FilterSet):
    owner = filters.CharFilter(field_name="owner__code", label=_("mã thư viện sở hữu"))

    class Meta:
        model = RotatingCollection
        fields = ["owner", "is_active", "target_level"]


class ItemFilter(filters.FilterSet):
    class Meta:
        model = Item
        fields = ["collection", "condition"]


class RotationFilter(filters.FilterSet):
    school_library = filters.CharFilter(field_name="school_library__code", label=_("mã thư viện trường"))
    district = filters.CharFilter(field_name="school_library__district__code", label=_("mã huyện"))

    class Meta:
        model = Rotation
        fields = ["status", "collection", "school_library", "district"]


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("chỉ thông báo chưa đọc"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
