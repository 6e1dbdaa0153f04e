"""Demo data for notifications: reminder rules, a few preferences (one focal officer on the
daily digest, one district officer in-app only), a welcome message in every demo inbox, and
the reminder sweep replayed over the last two weeks and run as of now, so that every inbox
shows the reminders the portal would have sent. Idempotent: reminders are keyed, the welcome
message is written once per person."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from core.deadlines import DeadlineKind
from directory.models import User

from . import services
from .models import MESSAGE_KIND, Notification, Preference

WELCOME_TITLE = "Chào mừng đến với hộp thông báo của Cổng phối hợp Thư viện – Giáo dục"
WELCOME_BODY = (
    "Lời nhắc trước các hạn báo cáo 6 tháng, cuộc họp trao đổi thông tin, buổi tập huấn và hạn trả "
    "sách luân chuyển sẽ đến đây và qua e-mail. Bạn có thể chọn nhận bản tin e-mail mỗi sáng hoặc chỉ "
    "xem trên cổng, và thêm lịch công việc vào điện thoại trong mục Tùy chọn."
)
REPLAY_DAYS = 14

# (username, kind or None for every kind, mode)
DEMO_PREFERENCES = [
    ("vanphong", None, Preference.Mode.DIGEST),
    ("thuvien", DeadlineKind.REPORT_DUE, Preference.Mode.IMMEDIATE),
    ("gddt.lac-son", MESSAGE_KIND, Preference.Mode.INBOX),
    ("giamdoc.vhttdl", None, Preference.Mode.DIGEST),
]


def seed(stdout=None) -> dict:
    services.reminder_rules_ensure()
    _preferences()
    welcomed = _welcome()
    # Replay the sweep once a day at 08:00 over the last two weeks (as if the portal had been
    # running), then as of now. Keyed reminders make every replay after the first a no-op.
    now = timezone.now()
    today = timezone.localdate(now, services.REMINDER_TZ)
    reminders = 0
    for back in range(REPLAY_DAYS, 0, -1):
        day = today - timedelta(days=back)
        reminders += services.reminders_sweep(
            now=datetime.combine(day, time(8, 0), tzinfo=services.REMINDER_TZ)
        ).reminders
    reminders += services.reminders_sweep(now=now).reminders
    _read_older(now)
    if stdout:
        stdout.write(
            f"  notifications: {reminders} new reminders, {welcomed} welcome messages, "
            f"{Notification.objects.count()} inbox items"
        )
    return {"reminders": reminders, "welcomed": welcomed}


@transaction.atomic
def _preferences() -> None:
    users = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in DEMO_PREFERENCES])}
    for username, kind, mode in DEMO_PREFERENCES:
        user = users.get(username)
        if user is None:
            continue
        kinds = [kind] if kind else [*DeadlineKind.ALL, MESSAGE_KIND]
        services.preferences_update(user=user, modes=dict.fromkeys(kinds, mode), by=user)


@transaction.atomic
def _welcome() -> int:
    demo = User.objects.filter(is_active=True, organisation__isnull=False).exclude(notifications__title=WELCOME_TITLE)
    count = 0
    for user in demo:
        services.notify(
            user=user,
            title=WELCOME_TITLE,
            body=WELCOME_BODY,
            url="/notifications/preferences/",
            email=False,
        )
        count += 1
    return count


def _read_older(now) -> None:
    """Reminders older than five days have been read, as a real inbox would show."""
    Notification.objects.filter(
        read_at__isnull=True, reminder__isnull=False, created_at__lt=now - timedelta(days=5)
    ).update(read_at=now - timedelta(days=4))
