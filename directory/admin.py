from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import BoundedRelatedFilter, PortalAdmin, PortalAdminMixin

from .forms import OrganisationImportForm
from .models import (
    AccountMove,
    AdministrativeUnit,
    Organisation,
    OrganisationChange,
    Reorganisation,
    UnitSuccession,
    User,
)
from .roles import apply_role
from .services import organisations_import


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(PortalAdmin):
    list_display = ["code", "name_with_type", "level", "parent", "valid_from", "valid_to", "merged_into"]
    list_filter = ["level", ("parent", BoundedRelatedFilter)]
    search_fields = ["code", "name__unaccent"]
    list_select_related = ["parent", "merged_into"]
    raw_id_fields = ["parent", "merged_into"]


@admin.register(Organisation)
class OrganisationAdmin(PortalAdmin):
    list_display = ["code", "name", "kind", "sector", "district", "school_level", "valid_to"]
    # No district filter: a country's 700 districts are found through the search box.
    list_filter = ["kind", "sector", "school_level"]
    # By code (unique, indexed): the model's order (district code, kind, name) sorts every
    # organisation of the country for each page.
    ordering = ["code"]
    search_fields = ["code", "name__unaccent", "short_name__unaccent", "district__name__unaccent"]
    list_select_related = ["district"]
    raw_id_fields = ["parent", "commune"]
    change_list_template = "admin/directory/organisation/change_list.html"
    actions = ["import_from_file"]

    def get_urls(self):
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="directory_organisation_import",
            )
        ]
        return custom + super().get_urls()

    @admin.action(description=_("Nhập trường học, thư viện từ tệp Excel/CSV"))
    def import_from_file(self, request, queryset):
        return redirect("admin:directory_organisation_import")

    def import_view(self, request):
        if not self.has_add_permission(request):
            messages.error(request, _("Bạn không có quyền nhập dữ liệu đơn vị."))
            return redirect("admin:directory_organisation_changelist")
        result = None
        form = OrganisationImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            result = organisations_import(uploaded=upload, filename=upload.name, by=request.user)
            if result.ok:
                messages.success(
                    request,
                    _("Đã nhập: %(c)s đơn vị mới, %(u)s đơn vị cập nhật.") % {"c": result.created, "u": result.updated},
                )
                return redirect("admin:directory_organisation_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "result": result,
            "title": _("Nhập trường học, thư viện từ tệp"),
        }
        return render(request, "admin/directory/organisation/import.html", context)


@admin.register(User)
class PortalUserAdmin(PortalAdminMixin, UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "role", "organisation", "email", "is_head", "is_active"]
    list_filter = ["role", "is_active", "is_head", "organisation__kind"]
    search_fields = ["username", "full_name__unaccent", "email", "organisation__name__unaccent"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "phone", "position")}),
        (_("Vai trò và đơn vị"), {"fields": ("role", "organisation", "is_head")}),
        (_("Trạng thái"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "email", "role", "organisation", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    # Who may hand out power: only a superuser changes a role, the superuser flag, admin
    # access or groups (is_staff and groups follow the role, see directory.roles), and only
    # a superuser edits a superuser's account (its e-mail or password would be a way in).
    PRIVILEGE_FIELDS = ("role", "is_superuser", "is_staff", "groups", "user_permissions")
    STAFF_ROLES_FOR_ADD = {User.Role.LEADERSHIP, User.Role.FOCAL_OFFICER, User.Role.SYSADMIN}

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields += [f for f in self.PRIVILEGE_FIELDS if f not in fields]
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and not request.user.is_superuser and "role" in form.base_fields:
            # A new account made by a non-superuser gets a role without admin access.
            field = form.base_fields["role"]
            field.choices = [(v, label) for v, label in field.choices if v not in self.STAFF_ROLES_FOR_ADD]
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            if change:
                # Whatever was posted, privilege fields keep their stored values.
                stored = User.objects.get(pk=obj.pk)
                obj.role, obj.is_superuser, obj.is_staff = stored.role, stored.is_superuser, stored.is_staff
            else:
                obj.is_superuser = False
                if obj.role in self.STAFF_ROLES_FOR_ADD:
                    obj.role = User.Role.DISTRICT_OFFICER
        super().save_model(request, obj, form, change)

    def get_search_results(self, request, queryset, search_term):
        from core.search import normalise

        return super().get_search_results(request, queryset, normalise(search_term))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        apply_role(user)
        user.save(update_fields=["is_staff"])


class _RecordedByCommand:
    """A reorganisation is applied and undone by `manage.py reorganise` (one reviewed
    transaction); the admin only reads its parts."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnitSuccessionInline(_RecordedByCommand, admin.TabularInline):
    model = UnitSuccession
    fields = ["predecessor", "successor", "valid_from", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(Reorganisation)
class ReorganisationAdmin(_RecordedByCommand, PortalAdmin):
    list_display = ["code", "title", "effective_date", "applied_at", "applied_by"]
    readonly_fields = ["code", "title", "legal_basis", "effective_date", "applied_at", "applied_by"]
    exclude = ["undo_data"]
    inlines = [UnitSuccessionInline]


@admin.register(OrganisationChange)
class OrganisationChangeAdmin(_RecordedByCommand, admin.ModelAdmin):
    list_display = ["organisation", "action", "effective_date", "old_name", "new_name", "new_parent"]
    list_filter = ["action", "reorganisation"]
    search_fields = ["organisation__code", "organisation__name", "old_name"]
    list_select_related = ["organisation", "new_parent"]


@admin.register(AccountMove)
class AccountMoveAdmin(_RecordedByCommand, admin.ModelAdmin):
    list_display = ["user", "from_organisation", "to_organisation", "effective_date"]
    list_filter = ["reorganisation"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user", "from_organisation", "to_organisation"]
