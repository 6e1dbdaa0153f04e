"""Six-monthly district reports: periods, the indicator catalogue of each period, reports
with their values, review workflow and version history."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models import Organisation


class ReportingPeriod(models.Model):
    """H1 (January-June) or H2 (July-December) of a year.

    The default data window follows the national rule for 6-month statistical reports: from
    the 15th of the last month of the previous period to the 14th of the last month of this
    one; the report is due five days after the window closes and locked thirty days after
    that (see `default_dates`). Focal officers may change every date in the admin.
    """

    class Half(models.TextChoices):
        H1 = "H1", _("6 tháng đầu năm")
        H2 = "H2", _("6 tháng cuối năm")

    year = models.PositiveSmallIntegerField(_("năm"))
    half = models.CharField(_("kỳ"), max_length=2, choices=Half.choices)
    data_start = models.DateField(_("số liệu từ ngày"))
    data_end = models.DateField(_("số liệu đến ngày"))
    due_date = models.DateField(_("hạn nộp báo cáo"))
    lock_date = models.DateField(
        _("ngày khóa sổ"), help_text=_("Sau ngày này chỉ cán bộ đầu mối mới mở lại được báo cáo (ghi rõ lý do).")
    )
    required_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("đơn vị phải báo cáo"),
        related_name="reporting_periods",
        blank=True,
        limit_choices_to={"kind__in": Organisation.REPORTING_KINDS},
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    history = HistoricalRecords(m2m_fields=[required_organisations])

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-year", "-half"]
        constraints = [
            models.UniqueConstraint(fields=["year", "half"], name="period_unique_year_half"),
            models.CheckConstraint(condition=models.Q(data_end__gte=models.F("data_start")), name="period_window"),
            models.CheckConstraint(
                condition=models.Q(lock_date__gte=models.F("due_date")), name="period_lock_after_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_half_display()} {self.year}"

    @property
    def key(self) -> str:
        """Stable text identity used in the Excel template: "2026-H1"."""
        return f"{self.year}-{self.half}"

    @staticmethod
    def default_dates(year: int, half: str) -> dict:
        if half == ReportingPeriod.Half.H1:
            start, end = datetime.date(year - 1, 12, 15), datetime.date(year, 6, 14)
        else:
            start, end = datetime.date(year, 6, 15), datetime.date(year, 12, 14)
        due = end + datetime.timedelta(days=5)
        return {"data_start": start, "data_end": end, "due_date": due, "lock_date": due + datetime.timedelta(days=30)}

    def previous_key(self) -> tuple[int, str]:
        return (self.year, "H1") if self.half == "H2" else (self.year - 1, "H2")


class PeriodReopening(models.Model):
    """A period's lock date moved later by a focal officer, with the reason on record."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.CASCADE, related_name="reopenings"
    )
    previous_lock_date = models.DateField(_("ngày khóa sổ trước đó"))
    new_lock_date = models.DateField(_("ngày khóa sổ mới"))
    reason = models.TextField(_("lý do mở lại"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người mở lại"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần mở lại kỳ báo cáo")
        verbose_name_plural = _("các lần mở lại kỳ báo cáo")
        ordering = ["period", "-at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_lock_date__gt=models.F("previous_lock_date")), name="reopening_moves_lock_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.previous_lock_date:%d/%m/%Y} → {self.new_lock_date:%d/%m/%Y}"


class Section(models.Model):
    """A group of indicators in the form (and a heading in the template)."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("mã"), max_length=10)
    title = models.CharField(_("tên mục"), max_length=200)
    sector = models.CharField(
        _("ngành"),
        max_length=20,
        choices=Organisation.Sector.choices,
        blank=True,
        help_text=_("Để trống khi mục áp dụng cho mọi đơn vị."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục báo cáo")
        verbose_name_plural = _("mục báo cáo")
        ordering = ["period", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["period", "code"], name="section_unique_code")]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """One line of a period's catalogue. Each period has its own copy, so editing the
    catalogue never changes a past report; codes stay stable across periods."""

    class Aggregation(models.TextChoices):
        # How a year (or the programme) is consolidated from its 6-month periods: flows such
        # as visits add up; stocks such as the number of schools or staff do not (DHIS2's
        # "aggregation type").
        SUM = "sum", _("Cộng dồn các kỳ")
        LAST = "last", _("Lấy số kỳ gần nhất")
        MAX = "max", _("Lấy số lớn nhất")

    class Prefill(models.TextChoices):
        NONE = "", _("Không")
        CIRCULATION = "circulation", _("Từ dữ liệu luân chuyển")
        TRAINING = "training", _("Từ dữ liệu đào tạo")
        DIRECTORY = "directory", _("Từ danh bạ")
        PROGRAMS = "programs", _("Từ các mô hình thí điểm")

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.CASCADE, related_name="indicators"
    )
    section = models.ForeignKey(Section, verbose_name=_("mục"), on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("mã chỉ tiêu"), max_length=10)
    label = models.CharField(_("tên chỉ tiêu"), max_length=255)
    unit = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    is_narrative = models.BooleanField(_("là nội dung thuyết minh"), default=False)
    help_text = models.CharField(_("hướng dẫn"), max_length=300, blank=True)
    min_value = models.BigIntegerField(_("giá trị nhỏ nhất"), default=0)
    max_value = models.BigIntegerField(_("giá trị lớn nhất"), default=1_000_000)
    required = models.BooleanField(_("bắt buộc để tính là đầy đủ"), default=True)
    prefill = models.CharField(_("điền sẵn"), max_length=20, choices=Prefill.choices, blank=True)
    aggregation = models.CharField(
        _("cách tổng hợp cả năm"),
        max_length=4,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text=_("Số lượt, số bản sách: cộng dồn. Số trường, số nhân viên: lấy số kỳ gần nhất."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("danh mục chỉ tiêu")
        ordering = ["period", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="indicator_unique_code"),
            models.CheckConstraint(condition=models.Q(max_value__gte=models.F("min_value")), name="indicator_bounds"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"


class ValidationRule(models.Model):
    """`left <operator> sum(right codes)`, checked when every operand has a value."""

    class Operator(models.TextChoices):
        LTE = "lte", "≤"
        GTE = "gte", "≥"

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.CASCADE, related_name="rules"
    )
    left = models.CharField(_("chỉ tiêu"), max_length=10)
    operator = models.CharField(_("phép so sánh"), max_length=3, choices=Operator.choices)
    right = models.CharField(_("so với"), max_length=100, help_text=_("Mã chỉ tiêu, có thể cộng: GD04+GD05"))
    when_right_positive = models.BooleanField(_("chỉ kiểm tra khi vế phải > 0"), default=False)
    message = models.CharField(_("thông báo lỗi"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["period", "left"]

    def __str__(self) -> str:
        return f"{self.left} {self.get_operator_display()} {self.right}"

    @property
    def right_codes(self) -> list[str]:
        return [c.strip() for c in self.right.split("+") if c.strip()]


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã nộp")
        RETURNED = "returned", _("Bị trả lại")
        ACCEPTED = "accepted", _("Đã tiếp nhận")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    RECEIVED = (Status.SUBMITTED, Status.ACCEPTED)

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="reports"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị báo cáo"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(
        _("phiên bản lưu"), default=1, help_text=_("Tăng sau mỗi lần lưu; chặn hai người ghi đè lên nhau.")
    )
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_late = models.BooleanField(_("nộp muộn"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopened = models.BooleanField(_("được mở lại sau khóa sổ"), default=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo 6 tháng")
        verbose_name_plural = _("báo cáo 6 tháng")
        ordering = ["period", "organisation__district__code", "organisation__kind"]
        constraints = [
            models.UniqueConstraint(fields=["period", "organisation"], name="report_unique_org_period"),
            models.CheckConstraint(
                condition=~models.Q(status__in=["submitted", "accepted"]) | models.Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "status"]),
            # The reports waiting for review, oldest first (focal officers' home and badge).
            models.Index(fields=["status", "submitted_at"], name="report_status_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.period}"

    @property
    def is_editable_status(self) -> bool:
        return self.status in self.EDITABLE


class ReportValue(models.Model):
    """The value of one indicator in one report; every change is kept by its history."""

    report = models.ForeignKey(Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="values"
    )
    number = models.BigIntegerField(_("giá trị"), null=True, blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    source = models.CharField(_("nguồn điền sẵn"), max_length=20, choices=Indicator.Prefill.choices, blank=True)
    prefilled_number = models.BigIntegerField(_("giá trị điền sẵn"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="value_unique_indicator"),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(number__gte=0), name="value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.number if self.number is not None else self.text[:30]}"

    @property
    def is_filled(self) -> bool:
        return self.number is not None or bool(self.text.strip())


class ReportSubmission(models.Model):
    """A frozen copy of a report as submitted: every submission is kept, so a report that
    was returned and submitted again shows both versions."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Chờ xem xét")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        RETURNED = "returned", _("Bị trả lại")

    report = models.ForeignKey(Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("lần nộp"))
    submitted_at = models.DateTimeField(_("nộp lúc"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nộp"), on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField(_("nộp muộn"), default=False)
    values = models.JSONField(_("số liệu"), default=dict, help_text=_("Mã chỉ tiêu → giá trị tại lúc nộp."))
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    review_note = models.TextField(_("nhận xét chung"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lần nộp báo cáo")
        verbose_name_plural = _("các lần nộp báo cáo")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="submission_unique_number")]

    def __str__(self) -> str:
        return f"{self.report} – {self.number}"


class ReviewComment(models.Model):
    """A reviewer's comment on a section or on one value, attached to the submission that
    was returned."""

    submission = models.ForeignKey(
        ReportSubmission, verbose_name=_("lần nộp"), on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(Section, verbose_name=_("mục"), null=True, blank=True, on_delete=models.PROTECT)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), null=True, blank=True, on_delete=models.PROTECT
    )
    text = models.TextField(_("nhận xét"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhận xét"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhận xét")
        verbose_name_plural = _("nhận xét")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class ReportEvent(models.Model):
    """The report's timeline: created, submitted, returned, accepted, reopened, imported."""

    class Action(models.TextChoices):
        CREATED = "created", _("Tạo báo cáo")
        IMPORTED = "imported", _("Nhập từ tệp Excel")
        SUBMITTED = "submitted", _("Nộp báo cáo")
        RETURNED = "returned", _("Trả lại để bổ sung")
        ACCEPTED = "accepted", _("Tiếp nhận")
        REOPENED = "reopened", _("Mở lại sau khóa sổ")

    report = models.ForeignKey(Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=12, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    note = models.TextField(_("ghi chú / lý do"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("diễn biến báo cáo")
        verbose_name_plural = _("diễn biến báo cáo")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="reopened") | ~models.Q(note=""), name="event_reopen_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.report}"
