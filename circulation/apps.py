from django.utils.translation import gettext_lazy as _

from core import registry


class CirculationConfig(registry.PortalAppConfig):
    name = "circulation"
    verbose_name = _("Luân chuyển sách, báo")
    # What the app provides to the shell (see core.registry); None: provides none.
    nav_items = "circulation.navigation.nav_items"
    home_panels = "circulation.navigation.home_panels"
    home_panels_cached = True
    home_view = None
    shell_context = None
    deadlines = "circulation.deadlines.deadlines"
    report_figures = "circulation.selectors.report_figures"
    health_checks = {}
    history_kinds = {
        "collection": ("circulation.selectors.get_collection_for_user", "circulation:collection-detail", _("Bộ sách")),
        "rotation": ("circulation.selectors.get_rotation_for_user", "circulation:rotation-detail", _("Luân chuyển")),
    }
    notify = None
    demo_seed = "circulation.demo.seed"
    demo_order = 40
    # The Provincial Library (a focal unit) corrects catalogue records in the admin.
    focal_admin_models = ["rotatingcollection", "item", "route", "routestage"]
