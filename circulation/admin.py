from django.contrib import admin

from core.admin import BoundedRelatedFilter, PortalAdmin, RuleCarryingAdmin, RuleCarryingInline

from .models import ImportBatch, Item, RotatingCollection, Rotation, RotationEvent, RotationLine, Route, RouteStage


class ItemInline(RuleCarryingInline, admin.TabularInline):
    model = Item
    extra = 0
    fields = ["title", "authors", "isbn", "call_number", "barcode", "copies", "condition"]


@admin.register(RotatingCollection)
class RotatingCollectionAdmin(RuleCarryingAdmin):
    list_display = ["code", "name", "owner", "target_level", "is_active"]
    list_filter = [("owner", BoundedRelatedFilter), "is_active", "target_level"]
    search_fields = ["code", "name__unaccent", "theme__unaccent"]
    autocomplete_fields = []
    inlines = [ItemInline]


@admin.register(Item)
class ItemAdmin(RuleCarryingAdmin):
    list_display = ["title", "authors", "isbn", "barcode", "copies", "condition", "collection", "library"]
    list_filter = [("library", BoundedRelatedFilter), "condition"]
    search_fields = ["title__unaccent", "authors__unaccent", "isbn", "barcode", "call_number"]
    raw_id_fields = ["collection"]


class RotationLineInline(RuleCarryingInline, admin.TabularInline):
    model = RotationLine
    extra = 0
    can_delete = False
    readonly_fields = [
        "position",
        "title",
        "barcode",
        "copies_sent",
        "copies_received",
        "copies_back",
        "copies_lost",
        "copies_damaged",
    ]
    exclude = ["item", "call_number"]


class RotationEventInline(RuleCarryingInline, admin.TabularInline):
    model = RotationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "at", "by", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rotation)
class RotationAdmin(RuleCarryingAdmin):
    list_display = [
        "collection",
        "school_library",
        "status",
        "planned_dispatch_date",
        "due_date",
        "copies_sent",
        "copies_missing",
        "copies_lost",
    ]
    list_filter = ["status", ("owner", BoundedRelatedFilter)]
    search_fields = ["collection__name__unaccent", "school_library__name__unaccent"]
    list_select_related = ["collection", "school_library"]
    date_hierarchy = "planned_dispatch_date"
    inlines = [RotationLineInline, RotationEventInline]
    # Steps go through the portal's services (dated, with their author), never through the admin.
    readonly_fields = [f.name for f in Rotation._meta.fields]


@admin.register(RotationEvent)
class RotationEventAdmin(RuleCarryingAdmin):
    """Append-only history: read here, written only by the services."""

    list_display = ["rotation", "kind", "at", "by"]
    list_filter = ["kind"]
    search_fields = ["note__unaccent"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RouteStageInline(RuleCarryingInline, admin.TabularInline):
    model = RouteStage
    extra = 0
    raw_id_fields = ["school_library", "rotation"]


@admin.register(Route)
class RouteAdmin(RuleCarryingAdmin):
    list_display = ["name", "collection", "school_year", "start_date", "is_active"]
    list_filter = ["school_year", "is_active"]
    search_fields = ["name__unaccent"]
    inlines = [RouteStageInline]


@admin.register(RouteStage)
class RouteStageAdmin(RuleCarryingAdmin):
    list_display = ["route", "position", "school_library", "duration_days", "proposed_at"]
    raw_id_fields = ["school_library", "rotation"]


@admin.register(RotationLine)
class RotationLineAdmin(RuleCarryingAdmin):
    list_display = ["rotation", "position", "title", "copies_sent", "copies_received", "copies_lost"]
    search_fields = ["title__unaccent", "barcode"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(PortalAdmin):
    list_display = ["filename", "collection", "source", "status", "created_by", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["filename"]
    readonly_fields = ["rows", "problems"]
