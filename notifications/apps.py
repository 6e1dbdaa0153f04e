from django.utils.translation import gettext_lazy as _

from core import registry


class NotificationsConfig(registry.PortalAppConfig):
    name = "notifications"
    verbose_name = _("Thông báo, nhắc việc")
    # What the app provides to the shell (see core.registry); None: provides none.
    nav_items = None
    home_panels = "notifications.navigation.home_panels"
    home_panels_cached = False
    home_view = None
    shell_context = "notifications.selectors.shell_context"
    deadlines = None
    report_figures = None
    health_checks = {"emails": "notifications.selectors.email_status"}
    history_kinds = {}
    notify = "notifications.services.notify"
    demo_seed = "notifications.demo.seed"
    demo_order = 60
    # Focal officers tune when reminders go out.
    focal_admin_models = ["reminderrule"]
