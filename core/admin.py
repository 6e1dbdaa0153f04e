from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
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

    def history_view(self, request, object_id, extra_context=None):
        # A model without simple-history records (deliveries, notifications...) gets
        # Django's own history page instead of an error.
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            return super().history_view(request, object_id, extra_context)
        response = admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        if isinstance(response, TemplateResponse):
            opts = self.model._meta
            response.template_name = [
                f"admin/{opts.app_label}/{opts.model_name}/object_history.html",
                f"admin/{opts.app_label}/object_history.html",
                "admin/object_history.html",
            ]
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


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
