from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirculationConfig(AppConfig):
    name = "circulation"
    verbose_name = _("Luân chuyển sách, báo")
    # The Provincial Library (a focal unit) corrects catalogue records in the admin.
    focal_admin_models = ["rotatingcollection", "item", "route", "routestage"]
