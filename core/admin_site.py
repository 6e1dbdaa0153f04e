"""The portal's admin site: Django's own, with the list of apps and models kept per kind of
user instead of built for every page.

Every admin page draws that list (the sidebar and the index). Building it asks every
registered model admin for its four permissions and translates and sorts some sixty names;
what it holds depends only on who asks (superuser or not, and their permissions) and the
language, so it is kept under that and read back in one cache look-up.
"""

import hashlib

from django.contrib import admin
from django.core.cache import cache
from django.utils.functional import cached_property
from django.utils.translation import get_language

APP_LIST_TIMEOUT = 600


class PortalAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        if app_label is not None:
            return super().get_app_list(request, app_label)
        key = f"admin-app-list:{self.registry_digest}:{self.who(request.user)}:{get_language()}"
        found = cache.get(key)
        if found is None:
            found = super().get_app_list(request)
            # The names are lazy translations: kept as the text of this key's language.
            for app in found:
                app["name"] = str(app["name"])
                for model in app["models"]:
                    model["name"] = str(model["name"])
            cache.set(key, found, APP_LIST_TIMEOUT)
        return found

    @staticmethod
    def who(user) -> str:
        if not user.is_active:
            return "inactive"
        if user.is_superuser:
            return "superuser"
        # The same permissions the model admins ask about (cached on the user for the request).
        perms = ",".join(sorted(user.get_all_permissions()))
        return f"staff-{hashlib.blake2b(perms.encode(), digest_size=12).hexdigest()}"

    @cached_property
    def registry_digest(self) -> str:
        """Which models this process's site holds: a deployment that registers another
        model does not read the lists of the one before."""
        labels = ",".join(sorted(model._meta.label for model in self._registry))
        return hashlib.blake2b(labels.encode(), digest_size=8).hexdigest()
