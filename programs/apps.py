from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Chương trình và kế hoạch")
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
