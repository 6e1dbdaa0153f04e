"""Admin-site groups that follow the roles.

- "Lãnh đạo Sở" (leadership): view permission on every model.
- "Cán bộ đầu mối" (focal officers): view on every model, and add/change/delete on the models
  each app lists in its AppConfig's `focal_admin_models` (e.g. the indicator catalogue).
- "Quản trị hệ thống" (system administrators): every permission.

Kept in sync after every migrate, so a new app's models are covered without a data migration.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

LEADERSHIP_GROUP = "Lãnh đạo Sở"
FOCAL_GROUP = "Cán bộ đầu mối"
SYSADMIN_GROUP = "Quản trị hệ thống"

STAFF_ROLES = {"leadership", "focal_officer", "sysadmin"}
ROLE_GROUPS = {"leadership": LEADERSHIP_GROUP, "focal_officer": FOCAL_GROUP, "sysadmin": SYSADMIN_GROUP}


def sync_role_groups(**kwargs):
    perms = Permission.objects.select_related("content_type")
    view = [p for p in perms if p.codename.startswith("view_")]
    focal_models = set()
    for config in apps.get_app_configs():
        for model_name in getattr(config, "focal_admin_models", []):
            focal_models.add((config.label, model_name))
    focal_edit = [p for p in perms if (p.content_type.app_label, p.content_type.model) in focal_models]

    Group.objects.get_or_create(name=LEADERSHIP_GROUP)[0].permissions.set(view)
    Group.objects.get_or_create(name=FOCAL_GROUP)[0].permissions.set({*view, *focal_edit})
    Group.objects.get_or_create(name=SYSADMIN_GROUP)[0].permissions.set(list(perms))


def apply_role(user) -> None:
    """Give the user the admin access and group their role calls for (callers save)."""
    user.is_staff = user.is_superuser or user.role in STAFF_ROLES
    group_name = ROLE_GROUPS.get(user.role)
    groups = [Group.objects.get_or_create(name=group_name)[0]] if group_name else []
    user.groups.set(groups)
