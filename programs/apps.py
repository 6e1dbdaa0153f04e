from django.utils.translation import gettext_lazy as _

from core import registry


class ProgramsConfig(registry.PortalAppConfig):
    name = "programs"
    verbose_name = _("Chương trình và kế hoạch")
    # What the app provides to the shell (see core.registry); None: provides none.
    nav_items = "programs.navigation.nav_items"
    home_panels = "programs.navigation.home_panels"
    home_panels_cached = True
    home_view = None
    shell_context = None
    deadlines = "programs.deadlines.deadlines"
    report_figures = "programs.selectors.report_figures"
    health_checks = {}
    history_kinds = {
        "plan": ("programs.selectors.get_plan_for_user", "programs:plan-detail", _("Kế hoạch")),
        "activity": ("programs.selectors.get_activity_for_user", "programs:activity-detail", _("Hoạt động")),
        "meeting": ("programs.selectors.get_meeting_for_user", "programs:meeting-detail", _("Cuộc họp")),
    }
    notify = None
    demo_seed = "programs.demo.seed"
    demo_order = 20
    # Focal officers keep these in the admin site too (see directory.roles).
    focal_admin_models = [
        "programme",
        "legalbasis",
        "commitment",
        "meeting",
        "actionitem",
        "inspection",
        "recommendation",
        "proposal",
    ]
