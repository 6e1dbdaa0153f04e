from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        from django.contrib import admin

        from . import search  # noqa: F401  registers the unaccent lookup

        admin.site.index_title = _("Quản trị cổng thông tin")
