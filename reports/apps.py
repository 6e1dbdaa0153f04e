from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo định kỳ 6 tháng")
    # Focal officers configure periods and the catalogue in the admin.
    focal_admin_models = ["reportingperiod", "section", "indicator", "validationrule"]
