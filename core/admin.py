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


class SuperuserOnlyAdmin:
    """Mixin for models holding secrets (authenticator devices): only superusers see or touch
    them in the admin, whatever view permissions the role groups hand out."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


def _restrict_otp_admin():
    """django-otp registers its device admins for anyone with view permission; a device's key
    is a second factor, so they are re-registered for superusers only (a person resets their
    own authenticator on the portal's two-factor page)."""
    from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model, base in ((TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, type(f"Restricted{base.__name__}", (SuperuserOnlyAdmin, base), {}))


_restrict_otp_admin()
