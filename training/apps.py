from django.utils.translation import gettext_lazy as _

from core import registry


class TrainingConfig(registry.PortalAppConfig):
    name = "training"
    verbose_name = _("Đào tạo, bồi dưỡng")
    # What the app provides to the shell (see core.registry); None: provides none.
    nav_items = "training.navigation.nav_items"
    home_panels = "training.navigation.home_panels"
    home_panels_cached = True
    home_view = None
    shell_context = None
    deadlines = "training.deadlines.deadlines"
    report_figures = "training.selectors.report_figures"
    health_checks = {}
    history_kinds = {"course": ("training.selectors.get_course_for_user", "training:course-detail", _("Khóa học"))}
    notify = None
    demo_seed = "training.demo.seed"
    demo_order = 30
    # Focal officers keep the guidance library and may correct course records in the admin.
    focal_admin_models = ["guidancedocument", "guidanceversion", "course", "session", "coursematerial", "staffmember"]
