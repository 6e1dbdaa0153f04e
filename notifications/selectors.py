"""Reads of the notifications app: the inbox, a person's upcoming deadlines, calendar events."""

import logging
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone, translation

from core.deadlines import Deadline, collect_deadlines

from .models import CalendarFeed, Delivery, Notification, Preference, Reminder, kind_label

logger = logging.getLogger(__name__)


def unread_count(user) -> int:
    """Number of unread inbox items of `user` (0 for anonymous); one query."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def shell_context(user) -> dict:
    """What every page shows of the inbox: the number of unread items (the bell's badge)."""
    return {"unread_notifications": unread_count(user)}


def email_status() -> dict:
    """E-mails waiting to go (pending or being sent) and failed for good (retry from the admin)."""
    rows = dict(
        Delivery.objects.filter(status__in=["pending", "sending", "failed"])
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    failing = rows.get("failed", 0)
    return {"ok": failing == 0, "waiting": rows.get("pending", 0) + rows.get("sending", 0), "failing": failing}


def calendar_feed_of(user) -> CalendarFeed | None:
    """The user's own calendar feed, if they made one."""
    return CalendarFeed.objects.filter(user=user).first()


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user).order_by("-created_at", "-pk")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def get_notification_for_user(user, pk) -> Notification:
    """The user's own notification, or 404 (someone else's is never revealed)."""
    try:
        return Notification.objects.get(pk=pk, user=user)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def preference_modes(user) -> dict[str, str]:
    """{kind: mode} for the kinds `user` changed (others are immediate)."""
    return dict(Preference.objects.filter(user=user).values_list("kind", "mode"))


def upcoming_reminders(user, *, limit: int = 6) -> list[Reminder]:
    """The user's next deadlines as the sweep recorded them (one row per deadline), soonest
    first — two queries at most, whatever the data size."""
    rows = (
        Reminder.objects.filter(recipient=user, due_at__gte=timezone.now())
        .order_by("due_at", "deadline_key", "-offset_days")
        .only("deadline_key", "due_at", "kind", "subject", "url", "offset_days")[: limit * 6]
    )
    seen, result = set(), []
    for row in rows:
        key = (row.deadline_key, row.due_at)
        if key in seen:
            continue
        seen.add(key)
        result.append(row)
        if len(result) >= limit:
            break
    return result


UPCOMING_CACHE_SECONDS = 300
UPCOMING_PER_USER = 20


def _upcoming_rows(user_id: int, days: int) -> list[dict]:
    """The next deadlines of `user_id` (at most UPCOMING_PER_USER) among every deadline of
    the next `days` days. Every app is asked once every five minutes, for everyone, and each
    person's first few are cached under their own key: a home page reads its own short list,
    not the country's. Titles are written in the active language, so each language has its
    own entries."""
    now = timezone.now()
    bucket = int(now.timestamp() // UPCOMING_CACHE_SECONDS)
    base = f"notifications:upcoming:{translation.get_language() or ''}:{days}:{bucket}"
    built, mine = f"{base}:built", f"{base}:{user_id}"
    found = cache.get_many([built, mine])
    if built in found:
        return found.get(mine, [])
    everyone = sorted(collect_deadlines(start=now, end=now + timedelta(days=days)), key=lambda d: (d.due_at, d.key))
    per_user: dict[int, list[dict]] = {}
    for d in everyone:
        row = {"title": d.title, "url": d.url, "kind": d.kind, "due_at": d.due_at}
        for uid in {*d.recipients, *d.escalate_to}:
            rows = per_user.setdefault(uid, [])
            if len(rows) < UPCOMING_PER_USER:
                rows.append(row)
    cache.set_many({f"{base}:{uid}": rows for uid, rows in per_user.items()}, UPCOMING_CACHE_SECONDS)
    cache.set(built, True, UPCOMING_CACHE_SECONDS)
    return per_user.get(user_id, [])


def upcoming_deadlines(user, *, limit: int = 6, days: int = 30) -> list[dict]:
    """The user's next deadlines, meetings and sessions (soonest first, at most
    UPCOMING_PER_USER) as {title, url, kind, kind_label, due_at}. Falls back to the
    reminders already recorded when an app's deadlines cannot be read, so a home page never
    breaks because of one app."""
    try:
        rows = [dict(row) for row in _upcoming_rows(user.pk, days)[:limit]]
    except Exception:
        logger.exception("Upcoming deadlines unavailable; showing recorded reminders")
        rows = [
            {"title": r.subject, "url": r.url, "kind": r.kind, "due_at": r.due_at}
            for r in upcoming_reminders(user, limit=limit)
        ]
    for row in rows:
        row["kind_label"] = kind_label(row["kind"])
    return rows


def deadlines_for_user(user, *, start: datetime, end: datetime) -> list[Deadline]:
    """Every deadline, meeting or session in [start, end] that `user` must act on or attend
    (or is told about when overdue), soonest first."""
    found = [d for d in collect_deadlines(start=start, end=end) if user.pk in d.recipients or user.pk in d.escalate_to]
    return sorted(found, key=lambda d: (d.due_at, d.key))


def calendar_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now - timedelta(days=60), now + timedelta(days=366)


def get_feed_by_token(token: str) -> CalendarFeed:
    if not token or len(token) > 64:
        raise Http404
    try:
        return CalendarFeed.objects.select_related("user").get(token=token, user__is_active=True)
    except CalendarFeed.DoesNotExist:
        raise Http404 from None
