from django.contrib import admin
from django.contrib.admin import helpers
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from . import versioned
from .search import normalise

FILTER_TIMEOUT = 300


class LargeTablePaginator(Paginator):
    """The changelist's paginator: an unfiltered list of a table of more than
    ESTIMATE_ABOVE rows counts from PostgreSQL's statistics (pg_class.reltuples) instead of
    reading every row of the table (600,000 report values, 40,000 notifications) for each
    page; filtered lists and smaller tables count exactly — one query either way."""

    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None or query.where or connection.vendor != "postgresql":
            return super().count
        table = connection.ops.quote_name(query.model._meta.db_table)
        # The exact count is an InitPlan, run only when the estimate is small or missing.
        sql = (
            f"SELECT CASE WHEN reltuples > %s THEN reltuples::bigint ELSE (SELECT COUNT(*) FROM {table}) END "
            "FROM pg_class WHERE oid = %s::regclass"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.ESTIMATE_ABOVE, query.model._meta.db_table])
            return int(cursor.fetchone()[0])


class BoundedRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """A related-object filter for the sidebar while the related rows are few (a province's
    libraries); hidden once they are a country's, where the search box finds them. Reads at
    most LIMIT + 1 of them."""

    LIMIT = 60

    def field_choices(self, field, request, model_admin):
        used = model_admin.get_queryset(request).order_by().values(f"{self.field_path}__pk")
        ordering = self.field_admin_ordering(field, request, model_admin) or ()
        related = field.remote_field.model._default_manager.filter(pk__in=used)

        def choices():
            return [(obj.pk, str(obj)) for obj in related.order_by(*ordering)[: self.LIMIT + 1]]

        # Finding the related rows in use reads the whole table (a country's rotations) for
        # every page: kept per person until the data changes, when both tables are ones
        # versioned.DATA follows.
        if not versioned.follows(model_admin.model, field.remote_field.model):
            return choices()
        kind = f"admin-filter:{model_admin.model._meta.label}:{self.field_path}"
        return versioned.kept_for(request.user, kind, choices, timeout=FILTER_TIMEOUT)

    def has_output(self):
        return 1 < len(self.lookup_choices) <= self.LIMIT


# Django's own message, translated by Django's catalogues (not the portal's).
DJANGO_SELECT_LABEL = "Select this object for an action - {}"


class PortalAdminMixin:
    """What every changelist of the portal shares, whatever the size of the country: pages
    of 25, no second COUNT(*) of the whole table (show_full_result_count), no facet counts,
    and LargeTablePaginator."""

    list_per_page = 25
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = LargeTablePaginator

    def action_checkbox(self, obj):
        """Django's row checkbox, the same markup written at once instead of through a form
        widget's template (a template render for each of the page's rows)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext(DJANGO_SELECT_LABEL), str(obj)),
        )


class PortalAdmin(PortalAdminMixin, SimpleHistoryAdmin):
    """Base admin for domain models: change history, and accent-insensitive search.

    List text fields in `search_fields` as "name__unaccent" to make them match without
    diacritics ("lac son" finds "Lạc Sơn"); the term is normalised the same way.
    """

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
