from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Đào tạo, bồi dưỡng")
    # Focal officers keep the guidance library and may correct course records in the admin.
    focal_admin_models = ["guidancedocument", "guidanceversion", "course", "session", "coursematerial", "staffmember"]
