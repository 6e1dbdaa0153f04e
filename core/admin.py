from simple_history.admin import SimpleHistoryAdmin

from .search import normalise


class PortalAdmin(SimpleHistoryAdmin):
    """Base admin for domain models: change history, and accent-insensitive search.

    List text fields in `search_fields` as "name__unaccent" to make them match without
    diacritics ("lac son" finds "Lạc Sơn"); the term is normalised the same way.
    """

    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalise(search_term))


class RuleCarryingAdmin(PortalAdmin):
    """Admin of a model whose changes carry rules a service enforces (two-Director
    amendment, waitlist promotion on a capacity change, state transitions, the rotation
    rule, scoping): everyone but superusers only reads it here and acts in the portal,
    where the service applies the rule. A superuser keeps the raw edit for repairs."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class RuleCarryingInline:
    """Mixin for inlines of rule-carrying models: read-only for everyone but superusers."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)
