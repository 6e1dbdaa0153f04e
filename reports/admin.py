from django.contrib import admin

from core.admin import PortalAdmin, RuleCarryingAdmin, RuleCarryingInline

from . import services
from .models import (
    Indicator,
    Report,
    ReportEvent,
    ReportingPeriod,
    ReportSubmission,
    ReportValue,
    ReviewComment,
    Section,
    ValidationRule,
)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(PortalAdmin):
    list_display = ["__str__", "data_start", "data_end", "due_date", "lock_date"]
    list_filter = ["year", "half"]
    filter_horizontal = ["required_organisations"]
    search_fields = ["note__unaccent"]

    def get_changeform_initial_data(self, request):
        # A new period starts from the national default dates for the next half-year.
        from django.utils import timezone

        today = timezone.localdate()
        half = "H1" if today.month <= 6 else "H2"
        return {"year": today.year, "half": half, **ReportingPeriod.default_dates(today.year, half)}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        period = form.instance
        services.catalogue_ensure(period=period)
        if not change and not period.required_organisations.exists():
            period.required_organisations.set(
                services.reporting_organisations(start=period.data_start, end=period.data_end)
            )


class FrozenCatalogueMixin:
    """Once a period has submitted reports its catalogue is read-only: editing it must never
    change a past report."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and services.catalogue_is_frozen(obj.period):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.catalogue_is_frozen(obj.period):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Section)
class SectionAdmin(FrozenCatalogueMixin, PortalAdmin):
    list_display = ["code", "title", "sector", "period", "order"]
    list_filter = ["period", "sector"]
    search_fields = ["title__unaccent", "code"]


@admin.register(Indicator)
class IndicatorAdmin(FrozenCatalogueMixin, PortalAdmin):
    list_display = ["code", "label", "unit", "section", "period", "aggregation", "required", "prefill", "is_active"]
    list_filter = ["period", "section__sector", "aggregation", "is_narrative", "required", "is_active"]
    search_fields = ["label__unaccent", "code"]
    list_select_related = ["section", "period"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(FrozenCatalogueMixin, PortalAdmin):
    list_display = ["__str__", "message", "period"]
    list_filter = ["period"]
    search_fields = ["message__unaccent", "left"]


class ReportValueInline(RuleCarryingInline, admin.TabularInline):
    model = ReportValue
    extra = 0
    fields = ["indicator", "number", "text", "source", "prefilled_number"]
    readonly_fields = fields
    can_delete = False


@admin.register(Report)
class ReportAdmin(RuleCarryingAdmin):
    list_display = ["organisation", "period", "status", "submitted_at", "is_late"]
    list_filter = ["period", "status", "is_late", "organisation__sector"]
    search_fields = ["organisation__name__unaccent", "organisation__code"]
    list_select_related = ["organisation", "period"]
    # Newest first along the primary key: the model's order (period, then district and kind
    # of office) sorts a whole period's reports of the country for each page of 25.
    ordering = ["-pk"]
    readonly_fields = ["version", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "updated_by"]
    inlines = [ReportValueInline]


@admin.register(ReportValue)
class ReportValueAdmin(RuleCarryingAdmin):
    list_display = ["report", "indicator", "number", "source"]
    list_filter = ["report__period", "source"]
    search_fields = ["report__organisation__name__unaccent", "indicator__code"]
    list_select_related = ["report__organisation", "report__period", "indicator"]


@admin.register(ReportSubmission)
class ReportSubmissionAdmin(RuleCarryingAdmin):
    list_display = ["report", "number", "submitted_at", "is_late", "outcome"]
    list_filter = ["outcome", "is_late"]
    search_fields = ["report__organisation__name__unaccent"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(RuleCarryingAdmin):
    list_display = ["submission", "section", "indicator", "author", "created_at"]
    search_fields = ["text__unaccent"]


@admin.register(ReportEvent)
class ReportEventAdmin(RuleCarryingAdmin):
    list_display = ["report", "action", "by", "at"]
    list_filter = ["action"]
    search_fields = ["report__organisation__name__unaccent", "note__unaccent"]
