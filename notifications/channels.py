"""Delivery channels. The in-app inbox is written with the decision itself (it is a row in
the same database); every other channel is *deferred*: a `Delivery` row that a worker sends.

A channel is a class with a `name`, a `label` and `send(delivery) -> bool` (False: nothing to
send, e.g. no address; raise on a failure worth retrying). Add SMS or Zalo by writing a class
and listing it in settings.NOTIFICATION_CHANNELS (dotted paths) — the apps never change.
Which deferred channels a person gets follows their preference mode (`channels_for_mode`).
"""

from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override


def absolute_url(path: str) -> str:
    if not path:
        return settings.SITE_URL + "/"
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + ("" if path.startswith("/") else "/") + path


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """Subject, plain-text body and HTML body from notifications/emails/<name>-*."""
    base = f"notifications/emails/{name}"
    context = {"site_url": settings.SITE_URL, "portal_name": settings.PORTAL_NAME, **context}
    with override("vi"):
        subject = " ".join(render_to_string(f"{base}-subject.txt", context).split())
        text = render_to_string(f"{base}-body.txt", context)
        html = render_to_string(f"{base}-body.html", context)
    return subject, text, html


def send_email(*, to: str, name: str, context: dict) -> None:
    subject, text, html = render_email(name, context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


class Channel:
    name = ""
    label = ""

    def send(self, delivery) -> bool:  # pragma: no cover - interface
        raise NotImplementedError


class EmailChannel(Channel):
    """One e-mail per notification."""

    name = "email"
    label = _("E-mail")

    def send(self, delivery) -> bool:
        user = delivery.user
        if not user.email:
            return False
        notification = delivery.notification
        send_email(
            to=user.email,
            name="notification",
            context={"user": user, "notification": notification, "link": absolute_url(notification.url)},
        )
        return True


class DigestChannel(Channel):
    """One e-mail a day listing every notification the person chose to receive that way."""

    name = "digest"
    label = _("Bản tin e-mail hằng ngày")

    def send(self, delivery) -> bool:
        user = delivery.user
        items = list(delivery.digest_items.order_by("created_at", "pk"))
        if not user.email or not items:
            return False
        for item in items:
            item.link = absolute_url(item.url)
        send_email(
            to=user.email,
            name="digest",
            context={
                "user": user,
                "items": items,
                "day": delivery.digest_date,
                "inbox_link": absolute_url("/notifications/"),
                "now": timezone.localtime(),
            },
        )
        return True


DEFAULT_CHANNELS = ["notifications.channels.EmailChannel", "notifications.channels.DigestChannel"]


@cache
def registry() -> dict[str, Channel]:
    paths = getattr(settings, "NOTIFICATION_CHANNELS", DEFAULT_CHANNELS)
    channels = [import_string(path)() for path in paths]
    return {channel.name: channel for channel in channels}


def get_channel(name: str) -> Channel:
    return registry()[name]


def channels_for_mode(mode: str) -> list[str]:
    """Deferred channels for a preference mode (the inbox is always written)."""
    mapping = getattr(settings, "NOTIFICATION_MODE_CHANNELS", {"immediate": ["email"], "digest": [], "inbox": []})
    return [name for name in mapping.get(mode, []) if name in registry()]
