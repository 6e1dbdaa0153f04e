from django.utils.translation import gettext_lazy as _

from core import registry


class ReportsConfig(registry.PortalAppConfig):
    name = "reports"
    verbose_name = _("Báo cáo định kỳ 6 tháng")
    # What the app provides to the shell (see core.registry); None: provides none.
    nav_items = "reports.navigation.nav_items"
    home_panels = "reports.navigation.home_panels"
    home_panels_cached = True
    home_view = None
    shell_context = None
    deadlines = "reports.deadlines.deadlines"
    report_figures = None
    health_checks = {}
    history_kinds = {"report": ("reports.selectors.get_report_for_user", "reports:report-detail", _("Báo cáo"))}
    notify = None
    demo_seed = "reports.demo.seed"
    demo_order = 50
    # Focal officers configure periods and the catalogue in the admin.
    focal_admin_models = ["reportingperiod", "section", "indicator", "validationrule"]
