from django.contrib import admin

from directory.models import User

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created by their owner on the profile page and revoked there."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_on", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_view_permission(self, request, obj=None):
        # Leadership and administrators oversee every token; focal officers see only their own,
        # on the profile page.
        user = request.user
        return user.is_superuser or getattr(user, "role", None) in (User.Role.LEADERSHIP, User.Role.SYSADMIN)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
