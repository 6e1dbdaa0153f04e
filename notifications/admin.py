from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from core.admin import PortalAdmin

from . import services
from .models import CalendarFeed, Delivery, Notification, Preference, Reminder, ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(PortalAdmin):
    list_display = ["kind", "offsets", "escalate_overdue", "enabled"]
    list_editable = ["offsets", "escalate_overdue", "enabled"]
    list_filter = ["enabled", "escalate_overdue"]


class DeliveryStatusFilter(admin.SimpleListFilter):
    title = _("trạng thái gửi e-mail")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [*Delivery.Status.choices, ("none", _("Chỉ trong ứng dụng / bản tin"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(notification__deliveries__isnull=True)
        if value in Delivery.Status.values:
            return queryset.filter(notification__deliveries__status=value).distinct()
        return queryset


@admin.register(Reminder)
class ReminderAdmin(PortalAdmin):
    """Every reminder the sweep decided: who, what, which offset, and how its e-mail fared."""

    list_display = [
        "fire_at",
        "recipient",
        "subject",
        "kind",
        "offset_display",
        "escalation",
        "status_display",
        "attempts_display",
        "sent_display",
        "read_display",
    ]
    list_filter = ["kind", "offset_days", "escalation", DeliveryStatusFilter, "fire_at"]
    search_fields = ["subject__unaccent", "recipient__full_name__unaccent", "recipient__username", "deadline_key"]
    list_select_related = ["recipient", "notification"]
    date_hierarchy = "fire_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def get_queryset(self, request):
        deliveries = Delivery.objects.filter(notification__reminder=OuterRef("pk")).order_by("pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                delivery_status=Subquery(deliveries.values("status")[:1]),
                delivery_attempts=Subquery(deliveries.values("attempts")[:1]),
                delivery_sent_at=Subquery(deliveries.values("sent_at")[:1]),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("mốc"), ordering="offset_days")
    def offset_display(self, obj):
        return obj.offset_label

    @admin.display(description=_("trạng thái e-mail"))
    def status_display(self, obj):
        if obj.delivery_status:
            return Delivery.Status(obj.delivery_status).label
        notification = getattr(obj, "notification", None)
        if notification is not None and notification.in_digest:
            return _("Trong bản tin ngày") if notification.digest_id else _("Chờ bản tin ngày")
        return _("Chỉ trong ứng dụng")

    @admin.display(description=_("số lần thử"))
    def attempts_display(self, obj):
        return obj.delivery_attempts if obj.delivery_attempts is not None else "–"

    @admin.display(description=_("đã gửi lúc"))
    def sent_display(self, obj):
        return obj.delivery_sent_at or "–"

    @admin.display(description=_("đã đọc"), boolean=True)
    def read_display(self, obj):
        notification = getattr(obj, "notification", None)
        return bool(notification and notification.read_at)


@admin.register(Delivery)
class DeliveryAdmin(PortalAdmin):
    list_display = [
        "created_at",
        "user",
        "channel",
        "subject_display",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "created_at"]
    search_fields = ["user__full_name__unaccent", "user__username", "notification__title__unaccent"]
    list_select_related = ["user", "notification"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("nội dung"))
    def subject_display(self, obj):
        if obj.notification_id:
            return obj.notification.title
        return _("Bản tin ngày %(d)s") % {"d": obj.digest_date.strftime("%d/%m/%Y")}

    @admin.action(description=_("Gửi lại ngay"))
    def retry_now(self, request, queryset):
        done = 0
        for delivery in queryset:
            try:
                services.delivery_retry_now(delivery=delivery, by=request.user)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(
                    request, f"{delivery}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.WARNING
                )
            else:
                done += 1
        if done:
            self.message_user(request, _("Đã xếp lại %(n)d lượt gửi.") % {"n": done}, messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(PortalAdmin):
    list_display = ["created_at", "user", "title", "kind", "read_at", "in_digest"]
    ordering = ["-pk"]  # newest first along the primary key (no index on created_at alone)
    list_filter = ["kind", "in_digest", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["title__unaccent", "user__full_name__unaccent", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "reminder", "digest"]


@admin.register(Preference)
class PreferenceAdmin(PortalAdmin):
    list_display = ["user", "kind", "mode"]
    list_filter = ["kind", "mode"]
    search_fields = ["user__full_name__unaccent", "user__username"]
    raw_id_fields = ["user"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(PortalAdmin):
    list_display = ["user", "created_at", "last_used_at"]
    search_fields = ["user__full_name__unaccent", "user__username"]
    exclude = ["token"]
    readonly_fields = ["user", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
