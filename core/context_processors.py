from django.conf import settings

from .navigation import nav_items


def portal(request):
    user = getattr(request, "user", None)
    context = {"portal_name": settings.PORTAL_NAME}
    if user is not None and user.is_authenticated:
        context["nav_items"] = nav_items(request)
        try:
            from notifications.selectors import unread_count
        except ImportError:
            unread = None
        else:
            unread = unread_count(user)
        context["unread_notifications"] = unread
        from .services import two_factor_offered

        context["two_factor_offered"] = two_factor_offered(user)
    return context
