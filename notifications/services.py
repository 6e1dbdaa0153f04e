"""Writes of the notifications app: the reminder sweep, immediate messages, delivery, the
inbox, preferences and calendar feed tokens.

Exactly once, in short: a reminder is *decided* by inserting a row under a unique key (ON
CONFLICT DO NOTHING) in the transaction that also writes its inbox item and its pending
deliveries; it is *sent* after commit by a task that claims the delivery with a conditional
UPDATE. Nothing is scheduled ahead in the broker: times live in the database (`fire_at`,
`next_attempt_at`) and every sweep re-enqueues what is due, so a lost task message, a killed
worker or a restarted broker only delays a delivery.
"""

import logging
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.deadlines import Deadline, DeadlineKind, collect_deadlines
from directory.models import User

from .channels import channels_for_mode, get_channel
from .models import (
    KIND_CHOICES,
    MESSAGE_KIND,
    CalendarFeed,
    Delivery,
    Notification,
    Preference,
    Reminder,
    ReminderRule,
    new_feed_token,
)

logger = logging.getLogger(__name__)

# Deadlines are computed on Hòa Bình's calendar whatever the server's or beat's clock (UTC).
REMINDER_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_OFFSETS = [-7, -3, -1, 0, 1, 7]
# Events have no "overdue": a meeting that took place is not late.
EVENT_KINDS = {DeadlineKind.MEETING, DeadlineKind.TRAINING_SESSION}
EVENT_OFFSETS = [-7, -3, -1, 0]
# Deadlines that make no sense once passed: nobody may nominate after the last day.
NO_OVERDUE_KINDS = EVENT_KINDS | {DeadlineKind.NOMINATION_DEADLINE}
# Kinds whose clock starts when something waits (a submitted report, a sent proposal): the
# reminder goes on the day the wait becomes too long and then while it lasts.
WAITING_KINDS = {DeadlineKind.REPORT_REVIEW, DeadlineKind.PROPOSAL_RESPONSE}
WAITING_OFFSETS = [0, 3, 7]
# A certificate is reminded once, thirty days before it expires.
CERTIFICATE_OFFSETS = [-30]
# The last offset of a kind stays sendable this long after its time (e.g. after downtime).
LAST_OFFSET_WINDOW = timedelta(days=1)


def _setting(name: str, default):
    return getattr(settings, name, default)


def send_hour() -> int:
    """Local hour at which day-based reminders go out (not at midnight)."""
    return _setting("REMINDER_SEND_HOUR", 7)


def digest_hour() -> int:
    return _setting("REMINDER_DIGEST_HOUR", 7)


# --- rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    offsets: tuple[int, ...]
    escalate: bool
    enabled: bool = True


def default_rule(kind: str) -> Rule:
    if kind in NO_OVERDUE_KINDS:
        return Rule(tuple(EVENT_OFFSETS), escalate=False)
    if kind in WAITING_KINDS:
        return Rule(tuple(WAITING_OFFSETS), escalate=False)
    if kind == DeadlineKind.CERTIFICATE_EXPIRY:
        return Rule(tuple(CERTIFICATE_OFFSETS), escalate=False)
    return Rule(tuple(DEFAULT_OFFSETS), escalate=True)


def reminder_rules() -> dict[str, Rule]:
    """The rule of every deadline kind: the admin's rows over the defaults."""
    rules = {kind: default_rule(kind) for kind in DeadlineKind.ALL}
    for row in ReminderRule.objects.all():
        try:
            offsets = tuple(row.offset_list)
        except ValueError:
            logger.error("Reminder rule %s has invalid offsets %r; using defaults", row.kind, row.offsets)
            continue
        rules[row.kind] = Rule(offsets, escalate=row.escalate_overdue, enabled=row.enabled)
    return rules


@transaction.atomic
def reminder_rules_ensure() -> int:
    """Create the admin-editable rule of every kind with its defaults (idempotent)."""
    created = 0
    for kind in DeadlineKind.ALL:
        rule = default_rule(kind)
        _row, was_created = ReminderRule.objects.get_or_create(
            kind=kind,
            defaults={"offsets": ", ".join(str(o) for o in rule.offsets), "escalate_overdue": rule.escalate},
        )
        created += was_created
    return created


def fire_at(due_at: datetime, offset_days: int) -> datetime:
    """When the reminder at `offset_days` of a deadline goes out.

    Offsets are calendar days in Hòa Bình; the reminder goes out at the send hour of that day
    (07:00), or at the deadline's own time on that day when that is earlier (a 06:30 meeting)."""
    due_local = due_at.astimezone(REMINDER_TZ)
    day = due_local.date() + timedelta(days=offset_days)
    at_send_hour = datetime.combine(day, time(send_hour()), tzinfo=REMINDER_TZ)
    if offset_days <= 0:
        return min(at_send_hour, due_local + timedelta(days=offset_days))
    return at_send_hour


def active_offset(due_at: datetime, offsets: tuple[int, ...], now: datetime) -> tuple[int, datetime] | None:
    """The one offset whose time has come and not yet been superseded by the next, if any.

    Only the latest passed offset is sent: after downtime a person gets the current reminder,
    not every stale one."""
    current = None
    ordered = sorted(offsets)
    for index, offset in enumerate(ordered):
        when = fire_at(due_at, offset)
        if when > now:
            break
        current = (index, offset, when)
    if current is None:
        return None
    index, offset, when = current
    if index == len(ordered) - 1 and now >= when + LAST_OFFSET_WINDOW:
        return None
    return offset, when


def reminder_title(deadline: Deadline, offset: int, *, escalation: bool) -> str:
    if offset < 0:
        text = _("Còn %(n)d ngày: %(title)s") % {"n": -offset, "title": deadline.title}
    elif offset == 0:
        text = _("Hôm nay: %(title)s") % {"title": deadline.title}
    elif escalation:
        text = _("Quá hạn %(n)d ngày (báo lãnh đạo): %(title)s") % {"n": offset, "title": deadline.title}
    else:
        text = _("Quá hạn %(n)d ngày: %(title)s") % {"n": offset, "title": deadline.title}
    return text[:300]


def reminder_body(reminder: Reminder, location: str = "") -> str:
    due = timezone.localtime(reminder.due_at, REMINDER_TZ)
    lines = [_("Thời hạn: %(when)s.") % {"when": date_format(due, "SHORT_DATETIME_FORMAT")}]
    if location:
        lines.append(_("Địa điểm: %(place)s.") % {"place": location})
    if reminder.escalation:
        lines.append(
            _(
                "Bạn nhận thông báo này vì là thủ trưởng đơn vị hoặc đơn vị đầu mối theo dõi: "
                "đề nghị đôn đốc đơn vị thực hiện."
            )
        )
    return "\n".join(lines)


# --- the sweep ------------------------------------------------------------------------------


@dataclass
class SweepResult:
    now: datetime
    dry_run: bool = False
    # (kind, channel) → number of notifications decided; channel "inbox", "email", "digest", …
    counts: Counter = field(default_factory=Counter)
    reminders: int = 0
    digests: int = 0
    requeued: int = 0

    def by_kind(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = defaultdict(dict)
        for (kind, channel), n in sorted(self.counts.items()):
            table[kind][channel] = n
        return dict(table)


def _preference_modes(user_ids) -> dict[tuple[int, str], str]:
    rows = Preference.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "kind", "mode")
    return {(user_id, kind): mode for user_id, kind, mode in rows}


def _enqueue(delivery_ids: list[int]) -> None:
    """Hand deliveries to the worker. A broker that is down loses nothing: the rows stay
    pending and the next sweep enqueues them again."""
    from .tasks import deliver

    for delivery_id in delivery_ids:
        try:
            deliver.delay(delivery_id)
        except Exception:  # broker unreachable; the sweep retries
            logger.warning("Could not enqueue delivery %s; the next sweep will", delivery_id, exc_info=True)
            return


def _write_notifications(
    items: list[tuple[Notification, str]], *, now_real: datetime, sweep_id=None
) -> tuple[list[Delivery], Counter]:
    """Insert inbox items and their deferred deliveries per the recipients' preferences.

    `items` are unsaved notifications with the kind whose preference applies."""
    counts: Counter = Counter()
    modes = _preference_modes({n.user_id for n, _kind in items})
    for notification, kind in items:
        mode = modes.get((notification.user_id, kind), Preference.Mode.IMMEDIATE)
        notification.in_digest = mode == Preference.Mode.DIGEST
    created = Notification.objects.bulk_create([n for n, _kind in items])
    deliveries = []
    for notification, (_n, kind) in zip(created, items, strict=True):
        counts[(kind, "inbox")] += 1
        if notification.in_digest:
            counts[(kind, "digest")] += 1
        mode = modes.get((notification.user_id, kind), Preference.Mode.IMMEDIATE)
        for channel in channels_for_mode(mode):
            deliveries.append(
                Delivery(
                    user_id=notification.user_id,
                    channel=channel,
                    notification=notification,
                    next_attempt_at=now_real,
                    sweep_id=sweep_id,
                )
            )
            counts[(kind, channel)] += 1
    deliveries = Delivery.objects.bulk_create(deliveries)
    return deliveries, counts


def _candidates(deadlines: list[Deadline], now: datetime, rules: dict[str, Rule], sweep_id) -> list[Reminder]:
    candidates: dict[tuple, Reminder] = {}
    for deadline in deadlines:
        rule = rules.get(deadline.kind) or default_rule(deadline.kind)
        if not rule.enabled:
            continue
        offsets = rule.offsets
        if deadline.kind in NO_OVERDUE_KINDS:
            # Whatever the admin set, nothing goes out after the deadline has passed.
            offsets = tuple(o for o in offsets if o <= 0)
            if not offsets:
                continue
        if deadline.kind == DeadlineKind.NOMINATION_DEADLINE and now > deadline.due_at:
            continue  # nominations have closed
        active = active_offset(deadline.due_at, offsets, now)
        if active is None:
            continue
        offset, when = active
        people = [(uid, False) for uid in deadline.recipients]
        if offset > 0 and rule.escalate:
            # Overdue: heads and focal units are told as such, even when they also must act.
            escalated = set(deadline.escalate_to)
            people = [(uid, False) for uid in deadline.recipients if uid not in escalated]
            people += [(uid, True) for uid in deadline.escalate_to]
        for user_id, escalation in people:
            key = (deadline.key, deadline.due_at, offset, user_id)
            if key in candidates:
                continue
            candidates[key] = Reminder(
                deadline_key=deadline.key[:200],
                due_at=deadline.due_at,
                offset_days=offset,
                recipient_id=user_id,
                kind=deadline.kind,
                subject=deadline.title[:300],
                title=reminder_title(deadline, offset, escalation=escalation),
                url=deadline.url[:500],
                escalation=escalation,
                fire_at=when,
                sweep_id=sweep_id,
            )
    return list(candidates.values())


def _already_decided(candidates: list[Reminder]) -> set[tuple]:
    """Keys among the candidates that an earlier sweep recorded. Only saves work: the unique
    constraint, not this read, is what prevents a second reminder."""
    keys = sorted({c.deadline_key for c in candidates})
    if not keys:
        return set()
    # One query whatever the number of organisations and deadlines (PostgreSQL takes a long
    # IN list in its stride; the bulk inserts below are single statements there too).
    return set(
        Reminder.objects.filter(deadline_key__in=keys).values_list(
            "deadline_key", "due_at", "offset_days", "recipient_id"
        )
    )


def reminders_sweep(*, now: datetime | None = None, dry_run: bool = False) -> SweepResult:
    """Decide every reminder due at `now` (default: the current time), write the inbox items
    and pending deliveries, decide the daily digests, and re-enqueue deliveries that are due.

    Safe to run concurrently and repeatedly: what was decided once is never decided again.
    With `dry_run` everything is computed and rolled back (nothing is sent or recorded)."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        now = timezone.make_aware(now, REMINDER_TZ)
    now_real = timezone.now()
    sweep_id = uuid.uuid4()
    result = SweepResult(now=now, dry_run=dry_run)
    with transaction.atomic():
        rules = reminder_rules()
        enabled = [r for r in rules.values() if r.enabled] or [default_rule("")]
        latest = max(max(r.offsets) for r in enabled)
        earliest = min(min(r.offsets) for r in enabled)
        start = now - timedelta(days=max(latest, 0) + 2)
        end = now + timedelta(days=max(-earliest, 0) + 1)
        deadlines = list(collect_deadlines(start=start, end=end))
        candidates = _candidates(deadlines, now, rules, sweep_id)
        if candidates:
            active_ids = set(
                User.objects.filter(pk__in={c.recipient_id for c in candidates}, is_active=True).values_list(
                    "pk", flat=True
                )
            )
            decided = _already_decided(candidates)
            fresh = [
                c
                for c in candidates
                if c.recipient_id in active_ids
                and (c.deadline_key, c.due_at, c.offset_days, c.recipient_id) not in decided
            ]
            # INSERT … ON CONFLICT DO NOTHING: a concurrent sweep that inserted the same key
            # first wins; the rows carrying our sweep id are the ones we decided.
            Reminder.objects.bulk_create(fresh, ignore_conflicts=True)
            locations = {(d.key, d.due_at): d.location for d in deadlines}
            mine = list(Reminder.objects.filter(sweep_id=sweep_id).order_by("pk"))
            result.reminders = len(mine)
            items = [
                (
                    Notification(
                        user_id=r.recipient_id,
                        kind=r.kind,
                        title=r.title,
                        body=reminder_body(r, locations.get((r.deadline_key, r.due_at), "")),
                        url=r.url,
                        reminder=r,
                        created_at=min(now, now_real),
                    ),
                    r.kind,
                )
                for r in mine
            ]
            deliveries, counts = _write_notifications(items, now_real=now_real, sweep_id=sweep_id)
            result.counts.update(counts)
        else:
            deliveries = []
        digests = _decide_digests(now=now, now_real=now_real, sweep_id=sweep_id)
        result.digests = len(digests)
        new_ids = [d.pk for d in deliveries] + [d.pk for d in digests]
        due_ids = [pk for pk in deliveries_due(now=now_real) if pk not in set(new_ids)]
        result.requeued = len(due_ids)
        if dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(lambda: _enqueue(new_ids + due_ids))
    return result


def _decide_digests(*, now: datetime, now_real: datetime, sweep_id) -> list[Delivery]:
    """Once a day (from the digest hour, local time) each person with waiting items gets one
    digest delivery, keyed (person, channel, day); the waiting items are attached to it."""
    local = now.astimezone(REMINDER_TZ)
    if local.hour < digest_hour():
        return []
    waiting_users = set(
        Notification.objects.filter(in_digest=True, digest__isnull=True).values_list("user_id", flat=True).distinct()
    )
    if not waiting_users:
        return []
    Delivery.objects.bulk_create(
        [
            Delivery(
                user_id=user_id,
                channel="digest",
                digest_date=local.date(),
                next_attempt_at=now_real,
                sweep_id=sweep_id,
            )
            for user_id in sorted(waiting_users)
        ],
        ignore_conflicts=True,
    )
    digests = list(Delivery.objects.filter(sweep_id=sweep_id, channel="digest"))
    if digests:
        mine = Delivery.objects.filter(sweep_id=sweep_id, channel="digest", user_id=OuterRef("user_id"))
        Notification.objects.filter(
            in_digest=True, digest__isnull=True, user_id__in=[d.user_id for d in digests]
        ).update(digest=Subquery(mine.values("pk")[:1]))
    return digests


def deliveries_due(*, now: datetime | None = None, limit: int = 1000, grace: timedelta | None = None) -> list[int]:
    """Deliveries to (re)send now: pending and due for a little while (a delivery enqueued
    after commit moments ago is left to that message), or claimed by a worker whose lease ran
    out."""
    now = now or timezone.now()
    if grace is None:
        grace = timedelta(seconds=_setting("NOTIFICATIONS_REQUEUE_GRACE_SECONDS", 60))
    return list(
        Delivery.objects.filter(
            Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now - grace)
            | Q(status=Delivery.Status.SENDING, lease_until__lt=now)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# --- delivery -------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, 8 … minutes, at most 6 hours."""
    base = _setting("NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
    cap = _setting("NOTIFICATIONS_RETRY_MAX_SECONDS", 6 * 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def delivery_attempt(*, delivery_id: int) -> str | None:
    """Send one delivery if it is due and nobody else holds it; returns the new status, or
    None when there was nothing to do (already sent, held by another worker, not yet due).

    The claim is a conditional UPDATE (pending → sending with a lease), so two workers, a
    redelivered task or a re-enqueue by the sweep never send twice. A failure puts the row back
    to pending with a stored backoff; after NOTIFICATIONS_MAX_ATTEMPTS it is marked failed."""
    now = timezone.now()
    lease = timedelta(seconds=_setting("NOTIFICATIONS_LEASE_SECONDS", 300))
    claimed = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, lease_until__lt=now)
        )
        .update(status=Delivery.Status.SENDING, lease_until=now + lease, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("user", "notification").get(pk=delivery_id)
    try:
        sent = get_channel(delivery.channel).send(delivery)
    except Exception as exc:
        failed = delivery.attempts >= _setting("NOTIFICATIONS_MAX_ATTEMPTS", 12) or isinstance(exc, KeyError)
        status = Delivery.Status.FAILED if failed else Delivery.Status.PENDING
        logger.warning("Delivery %s failed (attempt %s): %s", delivery_id, delivery.attempts, exc)
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
            status=status,
            next_attempt_at=timezone.now() + retry_delay(delivery.attempts),
            lease_until=None,
            last_error=f"{exc.__class__.__name__}: {exc}"[:500],
        )
        return status
    status = Delivery.Status.SENT if sent else Delivery.Status.SKIPPED
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        status=status, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    return status


def deliveries_send_due(*, limit: int = 1000) -> Counter:
    """Send every due delivery in this process (operators without a worker; tests)."""
    outcome: Counter = Counter()
    for delivery_id in deliveries_due(limit=limit, grace=timedelta(0)):
        outcome[delivery_attempt(delivery_id=delivery_id) or "skipped_claimed"] += 1
    return outcome


@transaction.atomic
def delivery_retry_now(*, delivery: Delivery, by: User) -> None:
    """Admin action: put a pending or failed delivery back in line now."""
    if not (by.is_superuser or by.role == User.Role.SYSADMIN):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được gửi lại."))
    if delivery.status not in (Delivery.Status.PENDING, Delivery.Status.FAILED):
        raise ValidationError(_("Chỉ gửi lại được lượt gửi đang chờ hoặc thất bại."))
    Delivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: _enqueue([delivery.pk]))


# --- messages from other apps ---------------------------------------------------------------


@transaction.atomic
def notify(
    *, user: User, title: str, body: str = "", url: str = "", kind: str = MESSAGE_KIND, email: bool = True
) -> Notification:
    """Put a message in `user`'s inbox now, and send it by e-mail (immediately or in the
    daily digest) as they chose for `kind`; `email=False` keeps it in the inbox only.
    Delivery happens after the caller's transaction commits; nothing is sent if it rolls
    back. Returns the inbox item."""
    if kind not in dict(KIND_CHOICES):
        kind = MESSAGE_KIND
    notification = Notification(user=user, kind=kind, title=title[:300], body=body, url=url[:500])
    if not user.is_active or not email:
        notification.save()
        return notification
    deliveries, _counts = _write_notifications([(notification, kind)], now_real=timezone.now())
    ids = [d.pk for d in deliveries]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return notification


# --- inbox ----------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of `by`'s own notifications read (idempotent)."""
    if notification.user_id != by.pk:
        raise PermissionDenied(_("Đây không phải thông báo của bạn."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- preferences ----------------------------------------------------------------------------


@transaction.atomic
def preferences_update(*, user: User, modes: dict[str, str], by: User) -> int:
    """Set how `user` receives each kind ({kind: mode}); returns the number of kinds changed."""
    if by.pk != user.pk and not by.is_superuser:
        raise PermissionDenied(_("Bạn chỉ đổi được tùy chọn của chính mình."))
    valid_kinds = dict(KIND_CHOICES)
    changed = 0
    current = {p.kind: p for p in Preference.objects.select_for_update().filter(user=user)}
    for kind, mode in modes.items():
        if kind not in valid_kinds or mode not in Preference.Mode.values:
            raise ValidationError(_("Tùy chọn không hợp lệ."))
        existing = current.get(kind)
        if existing is None:
            if mode == Preference.Mode.IMMEDIATE:
                continue
            preference = Preference(user=user, kind=kind, mode=mode)
            preference.full_clean()
            preference.save()
            changed += 1
        elif existing.mode != mode:
            existing.mode = mode
            existing.full_clean()
            existing.save(update_fields=["mode"])
            changed += 1
    return changed


# --- calendar feed --------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_regenerate(*, user: User, by: User) -> CalendarFeed:
    """Give `user` a new secret calendar address; the old one stops working at once."""
    if by.pk != user.pk and not by.is_superuser:
        raise PermissionDenied(_("Bạn chỉ quản lý được lịch của chính mình."))
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.full_clean()
        feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User, by: User) -> bool:
    """Delete `user`'s calendar address; returns whether there was one."""
    if by.pk != user.pk and not by.is_superuser:
        raise PermissionDenied(_("Bạn chỉ quản lý được lịch của chính mình."))
    deleted, _detail = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_touch(*, feed: CalendarFeed) -> None:
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
