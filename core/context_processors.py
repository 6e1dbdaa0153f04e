from django.conf import settings

from . import registry
from .navigation import nav_items


def portal(request):
    user = getattr(request, "user", None)
    context = {"portal_name": settings.PORTAL_NAME}
    if user is not None and user.is_authenticated:
        context["nav_items"] = nav_items(request)
        for _app, shell_context in registry.providers("shell_context"):
            context.update(shell_context(user))
        from .access import two_factor_offered

        context["two_factor_offered"] = two_factor_offered(user)
    return context
