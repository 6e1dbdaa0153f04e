from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (core.admin_site); named in INSTALLED_APPS
    in place of django.contrib.admin, never the default of "core"."""

    default = False
    default_site = "core.admin_site.PortalAdminSite"


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        from django.contrib import admin

        from . import search  # noqa: F401  registers the unaccent lookup

        admin.site.index_title = _("Quản trị cổng thông tin")

        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_note_two_factor, dispatch_uid="core.two_factor")

        from . import versioned

        versioned.connect()  # the cached figures follow every save of what they count

        from . import registry

        versioned.watch_tables(registry.cached_panel_apps())  # the home panels, every write


def _note_two_factor(sender, request, user, **kwargs):
    """At sign-in, note in the session whether a code must follow the password."""
    from .middleware import SESSION_NEEDS_CODE
    from .services import two_factor_device

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_NEEDS_CODE] = two_factor_device(user) is not None
