from django.utils.translation import gettext_lazy as _

from core import registry


class ApiConfig(registry.PortalAppConfig):
    name = "api"
    verbose_name = _("API và khóa API")
    # What the app provides to the shell (see core.registry); None: provides none.
    nav_items = None
    home_panels = None
    home_panels_cached = False
    home_view = None
    shell_context = None
    deadlines = None
    report_figures = None
    health_checks = {}
    history_kinds = {}
    notify = None
    demo_seed = None
    demo_order = None

    def ready(self):
        super().ready()
        from . import schema  # noqa: F401  registers the token authentication in the OpenAPI schema
