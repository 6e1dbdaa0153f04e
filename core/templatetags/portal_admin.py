"""The admin site's sidebar, kept rendered.

The sidebar lists every model the person may open (some sixty) and marks the one being
shown: a third of the work of every admin page. What it shows depends only on who asks (the
site's list of apps, core.admin_site), the language and which model's pages are open, so it
is drawn once for each and kept.
"""

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

SIDEBAR_TIMEOUT = 600


@register.simple_tag(takes_context=True)
def nav_sidebar(context):
    from django.contrib import admin

    request = context["request"]
    site = admin.site
    # /admin/<app>/<model>/…: the sidebar marks the app and the model, nothing deeper.
    index = reverse("admin:index")
    section = index + "/".join(request.path[len(index) :].split("/")[:2]) if request.path.startswith(index) else ""
    key = f"admin-sidebar:{site.registry_digest}:{site.who(request.user)}:{get_language()}:{section}"
    found = cache.get(key)
    if found is None:
        found = str(render_to_string("admin/nav_sidebar_drawn.html", context.flatten()))
        cache.set(key, found, SIDEBAR_TIMEOUT)
    return mark_safe(found)
