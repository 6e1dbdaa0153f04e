from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core import registry


class DirectoryConfig(registry.PortalAppConfig):
    name = "directory"
    verbose_name = _("Danh bạ cơ quan, đơn vị")
    # What the app provides to the shell (see core.registry); None: provides none.
    nav_items = "directory.navigation.nav_items"
    home_panels = None
    home_panels_cached = False
    home_view = "directory.views.home"
    shell_context = None
    deadlines = None
    report_figures = None
    health_checks = {}
    history_kinds = {}
    notify = None
    demo_seed = "directory.demo.seed"
    demo_order = 10
    # Models focal officers maintain in the admin site (see directory.roles).
    focal_admin_models = ["organisation"]

    def ready(self):
        super().ready()
        from .roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="directory.sync_role_groups")
