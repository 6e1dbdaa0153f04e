from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Danh bạ cơ quan, đơn vị")
    # Models focal officers maintain in the admin site (see directory.roles).
    focal_admin_models = ["organisation"]

    def ready(self):
        from .roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="directory.sync_role_groups")
