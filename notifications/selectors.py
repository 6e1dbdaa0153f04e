"""Reads of the notifications app: the inbox, a person's upcoming deadlines, calendar events."""

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from core.deadlines import Deadline, collect_deadlines

from .models import CalendarFeed, Notification, Preference, Reminder


def unread_count(user) -> int:
    """Number of unread inbox items of `user` (0 for anonymous); one query."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


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
