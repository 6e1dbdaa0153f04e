"""Reminders, the in-app inbox, deliveries on other channels, preferences and calendar feeds.

How a reminder travels:

1. The sweep (``services.reminders_sweep``) asks every app for its deadlines and decides, per
   deadline kind's offsets, who is due a reminder now. Each decision is a ``Reminder`` row under
   a unique key (deadline key, due time, offset, recipient), inserted with ON CONFLICT DO
   NOTHING in the transaction that decides it: a second sweep, a second beat or a retried task
   inserts nothing.
2. In the same transaction the reminder's ``Notification`` (the in-app inbox item) is written
   and, for the other channels the recipient chose, a ``Delivery`` row (pending).
3. After commit a task delivers each pending ``Delivery``: it claims the row with a conditional
   UPDATE (pending → sending, with a lease), sends, and marks it sent; on failure it goes back to
   pending with an exponential backoff stored in ``next_attempt_at``. The sweep re-enqueues every
   delivery whose next attempt is due or whose lease ran out, so a lost message or a killed
   worker never loses a reminder.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.deadlines import DeadlineKind

MESSAGE_KIND = "message"

KIND_CHOICES = [
    (DeadlineKind.REPORT_DUE, _("Hạn nộp báo cáo")),
    (DeadlineKind.MEETING, _("Cuộc họp")),
    (DeadlineKind.TRAINING_SESSION, _("Buổi tập huấn")),
    (DeadlineKind.ROTATION_DUE, _("Hạn trả sách luân chuyển")),
    (DeadlineKind.ROUTE_MOVE, _("Chuyển bộ sách theo lộ trình")),
    (DeadlineKind.ACTION_ITEM, _("Việc cần làm sau cuộc họp")),
    (DeadlineKind.INSPECTION_FOLLOWUP, _("Kiến nghị sau kiểm tra")),
    (DeadlineKind.PLAN_APPROVAL, _("Kế hoạch chờ phê duyệt")),
    (DeadlineKind.NOMINATION_DEADLINE, _("Hạn đề cử học viên")),
    (DeadlineKind.LOCAL_PLAN_DUE, _("Hạn gửi kế hoạch địa phương")),
    (DeadlineKind.PROPOSAL_RESPONSE, _("Đề xuất chờ trả lời")),
    (DeadlineKind.AMENDMENT_AGREEMENT, _("Sửa đổi chương trình chờ Giám đốc")),
    (DeadlineKind.REPORT_REVIEW, _("Báo cáo chờ xem xét")),
    (DeadlineKind.CERTIFICATE_EXPIRY, _("Chứng nhận sắp hết hạn")),
    (MESSAGE_KIND, _("Tin nhắn, thông báo khác")),
]
DEADLINE_KIND_CHOICES = [c for c in KIND_CHOICES if c[0] != MESSAGE_KIND]


def kind_label(kind: str) -> str:
    return str(dict(KIND_CHOICES).get(kind, kind))


class ReminderRule(models.Model):
    """When reminders of one kind of deadline go out: offsets in days from the due date
    (negative before, positive overdue) and whether overdue reminders escalate."""

    kind = models.CharField(_("loại hạn"), max_length=30, choices=DEADLINE_KIND_CHOICES, unique=True)
    offsets = models.CharField(
        _("các mốc nhắc (ngày)"),
        max_length=100,
        default="-7, -3, -1, 0, 1, 7",
        help_text=_("Số ngày so với hạn, cách nhau bởi dấu phẩy: âm là trước hạn, 0 là đúng ngày, dương là quá hạn."),
    )
    escalate_overdue = models.BooleanField(
        _("báo lãnh đạo khi quá hạn"),
        default=True,
        help_text=_("Các mốc quá hạn cũng gửi tới thủ trưởng đơn vị và đơn vị đầu mối."),
    )
    enabled = models.BooleanField(_("đang bật"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy tắc nhắc việc")
        verbose_name_plural = _("quy tắc nhắc việc")
        ordering = ["kind"]

    def __str__(self) -> str:
        return kind_label(self.kind)

    @staticmethod
    def parse_offsets(text: str) -> list[int]:
        """'-7, -3, 0, 1' → [-7, -3, 0, 1]; raises ValueError on anything else."""
        values = sorted({int(part) for part in text.replace(";", ",").split(",") if part.strip()})
        if not values:
            raise ValueError("empty")
        if any(abs(v) > 365 for v in values):
            raise ValueError("range")
        return values

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            values = self.parse_offsets(self.offsets)
        except ValueError:
            raise ValidationError(
                {
                    "offsets": _(
                        "Nhập các số nguyên từ -365 đến 365, cách nhau bởi dấu phẩy, ví dụ: -7, -3, -1, 0, 1, 7."
                    )
                }
            )
        self.offsets = ", ".join(str(v) for v in values)

    @property
    def offset_list(self) -> list[int]:
        return self.parse_offsets(self.offsets)


class Reminder(models.Model):
    """One decision of the sweep: this person is reminded of this deadline at this offset.

    The unique key is what makes the sweep safe to run any number of times."""

    deadline_key = models.CharField(_("mã hạn"), max_length=200)
    due_at = models.DateTimeField(_("hạn"))
    offset_days = models.SmallIntegerField(_("mốc (ngày)"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("loại hạn"), max_length=30, choices=DEADLINE_KIND_CHOICES)
    subject = models.CharField(_("đối tượng"), max_length=300)
    title = models.CharField(_("nội dung nhắc"), max_length=300)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    escalation = models.BooleanField(_("báo lãnh đạo"), default=False)
    fire_at = models.DateTimeField(_("thời điểm nhắc"))
    created_at = models.DateTimeField(_("thời điểm quyết định"), auto_now_add=True)
    # Which sweep inserted the row: after INSERT … ON CONFLICT DO NOTHING, the rows carrying
    # this sweep's id are exactly the ones it decided.
    sweep_id = models.UUIDField(editable=False, db_index=True)

    class Meta:
        verbose_name = _("lời nhắc")
        verbose_name_plural = _("lời nhắc")
        ordering = ["-fire_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline_key", "due_at", "offset_days", "recipient"], name="reminder_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["recipient", "due_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.offset_label})"

    @property
    def offset_label(self) -> str:
        return offset_label(self.offset_days)


def offset_label(days: int) -> str:
    if days < 0:
        return str(_("trước %(n)d ngày") % {"n": -days})
    if days == 0:
        return str(_("đúng hạn"))
    return str(_("quá hạn %(n)d ngày") % {"n": days})


class Notification(models.Model):
    """An item of a person's in-app inbox: a reminder or a message from another app."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("loại"), max_length=30, choices=KIND_CHOICES, default=MESSAGE_KIND)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    reminder = models.OneToOneField(
        Reminder,
        verbose_name=_("lời nhắc"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # Waiting for the person's daily digest e-mail; set to that digest once it is decided.
    in_digest = models.BooleanField(_("gửi trong bản tin ngày"), default=False)
    digest = models.ForeignKey(
        "Delivery",
        verbose_name=_("bản tin ngày"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digest_items",
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["in_digest", "digest"], name="notif_digest_waiting"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """One message to send on a deferred channel (e-mail, the daily digest; SMS or Zalo later).

    Either a single notification (`notification`) or a person's digest of one day
    (`digest_date`), each at most once per channel (database constraints)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        SKIPPED = "skipped", _("Bỏ qua (không có địa chỉ)")
        FAILED = "failed", _("Thất bại")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("kênh"), max_length=20)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("thông báo"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    digest_date = models.DateField(_("bản tin ngày"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("lần thử tới"), db_index=True)
    lease_until = models.DateTimeField(_("giữ đến"), null=True, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    sweep_id = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("lượt gửi")
        verbose_name_plural = _("lượt gửi")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=Q(notification__isnull=False),
                name="delivery_once_per_notification",
            ),
            models.UniqueConstraint(
                fields=["user", "channel", "digest_date"],
                condition=Q(digest_date__isnull=False),
                name="delivery_one_digest_per_day",
            ),
            models.CheckConstraint(
                condition=Q(notification__isnull=False) | Q(digest_date__isnull=False),
                name="delivery_has_subject",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.channel} → {self.user} ({self.get_status_display()})"


class Preference(models.Model):
    """How a person wants to hear about one kind of deadline (no row: immediate e-mail)."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Trong ứng dụng và e-mail ngay")
        DIGEST = "digest", _("Trong ứng dụng và bản tin e-mail hằng ngày")
        INBOX = "inbox", _("Chỉ trong ứng dụng")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("loại"), max_length=30, choices=KIND_CHOICES)
    mode = models.CharField(_("cách nhận"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tùy chọn nhận thông báo")
        verbose_name_plural = _("tùy chọn nhận thông báo")
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {kind_label(self.kind)} – {self.get_mode_display()}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret calendar subscription address (.ics); regenerating it revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("mã bí mật"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token", "last_used_at"])

    class Meta:
        verbose_name = _("lịch cá nhân (.ics)")
        verbose_name_plural = _("lịch cá nhân (.ics)")

    def __str__(self) -> str:
        return str(self.user)
