"""Book rotation: rotating collections of public libraries, their items, rotations to school
libraries (dispatch, receipt, return, check), routes over a school year and item imports.

Invariants live in the database:
- an item belongs to at most one collection (a single foreign key);
- a barcode is unique within the owning library;
- a collection is out at no more than one school at a time (partial unique index on the
  rotations that are dispatched, received or returned);
- the history of a rotation (`RotationEvent`) is append-only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models import Organisation


class RotatingCollection(models.Model):
    """A rotating collection (bộ sách luân chuyển) owned by a public library."""

    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("thư viện sở hữu"),
        on_delete=models.PROTECT,
        related_name="rotating_collections",
        limit_choices_to={"kind__in": Organisation.LIBRARY_KINDS},
    )
    code = models.CharField(_("mã bộ sách"), max_length=30)
    name = models.CharField(_("tên bộ sách"), max_length=200)
    theme = models.CharField(_("chủ đề"), max_length=200, blank=True)
    target_level = models.CharField(
        _("cấp học phù hợp"), max_length=20, choices=Organisation.SchoolLevel.choices, blank=True
    )
    description = models.TextField(_("mô tả"), blank=True)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ sách luân chuyển")
        verbose_name_plural = _("bộ sách luân chuyển")
        ordering = ["owner__code", "code"]
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="collection_code_unique_per_owner")]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Item(models.Model):
    """A title in a library's rotating stock, with a number of copies."""

    class Condition(models.TextChoices):
        NEW = "new", _("Mới")
        GOOD = "good", _("Tốt")
        WORN = "worn", _("Cũ, còn dùng được")
        DAMAGED = "damaged", _("Hư hỏng")
        LOST = "lost", _("Đã mất")

    library = models.ForeignKey(
        Organisation,
        verbose_name=_("thư viện sở hữu"),
        on_delete=models.PROTECT,
        related_name="rotating_items",
        limit_choices_to={"kind__in": Organisation.LIBRARY_KINDS},
    )
    # One foreign key: an item is in at most one collection at a time.
    collection = models.ForeignKey(
        RotatingCollection,
        verbose_name=_("bộ sách"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    title = models.CharField(_("nhan đề"), max_length=500)
    authors = models.CharField(_("tác giả"), max_length=500, blank=True)
    publisher = models.CharField(_("nhà xuất bản"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("năm xuất bản"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, help_text=_("Lưu dạng ISBN-13 không dấu gạch."))
    call_number = models.CharField(_("ký hiệu xếp giá"), max_length=80, blank=True)
    barcode = models.CharField(_("mã vạch"), max_length=40, blank=True)
    copies = models.PositiveSmallIntegerField(_("số bản"), default=1)
    condition = models.CharField(_("tình trạng"), max_length=10, choices=Condition.choices, default=Condition.GOOD)
    created_at = models.DateTimeField(_("ngày nhập"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tên sách")
        verbose_name_plural = _("tên sách")
        ordering = ["collection_id", "call_number", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["library", "barcode"], condition=~Q(barcode=""), name="item_barcode_unique_per_library"
            ),
            models.CheckConstraint(condition=Q(copies__gte=1), name="item_copies_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def isbn_display(self) -> str:
        if not self.isbn:
            return ""
        from stdnum import isbn

        try:
            return isbn.format(self.isbn)
        except Exception:  # a stored value that no longer formats is shown as stored
            return self.isbn


class Rotation(models.Model):
    """One stay of a collection at a school library, from plan to closing check."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Đã lên kế hoạch")
        DISPATCHED = "dispatched", _("Đã gửi đi")
        RECEIVED = "received", _("Trường đã nhận")
        RETURNED = "returned", _("Trường đã gửi trả")
        CLOSED = "closed", _("Đã kiểm nhận, kết thúc")
        CANCELLED = "cancelled", _("Đã hủy")

    class ReceiptMode(models.TextChoices):
        ITEM = "item", _("Theo từng tên sách")
        COUNT = "count", _("Theo tổng số bản")

    OUT_STATUSES = (Status.DISPATCHED, Status.RECEIVED, Status.RETURNED)
    AT_SCHOOL_STATUSES = (Status.DISPATCHED, Status.RECEIVED)

    collection = models.ForeignKey(
        RotatingCollection, verbose_name=_("bộ sách"), on_delete=models.PROTECT, related_name="rotations"
    )
    # The collection's owner when the rotation was planned (kept for scoping and statistics).
    owner = models.ForeignKey(
        Organisation, verbose_name=_("thư viện gửi"), on_delete=models.PROTECT, related_name="rotations_sent"
    )
    school_library = models.ForeignKey(
        Organisation,
        verbose_name=_("thư viện trường nhận"),
        on_delete=models.PROTECT,
        related_name="rotations_received",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL_LIBRARY},
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    planned_dispatch_date = models.DateField(_("ngày dự kiến gửi"))
    due_date = models.DateField(_("hạn trả"))
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày lập"), default=timezone.now)

    dispatched_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("ngày nhận"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    receipt_mode = models.CharField(_("cách xác nhận"), max_length=5, choices=ReceiptMode.choices, blank=True)
    returned_at = models.DateTimeField(_("ngày trường gửi trả"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi trả"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("ngày kiểm nhận"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kiểm nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Totals written at each step (statistics aggregate these in SQL).
    titles_sent = models.PositiveIntegerField(_("số tên sách gửi"), default=0)
    copies_sent = models.PositiveIntegerField(_("số bản gửi"), default=0)
    copies_received = models.PositiveIntegerField(_("số bản nhận"), default=0)
    copies_missing = models.PositiveIntegerField(_("số bản thiếu khi nhận"), default=0)
    copies_back = models.PositiveIntegerField(_("số bản trả về"), default=0)
    copies_lost = models.PositiveIntegerField(_("số bản mất"), default=0)
    copies_damaged = models.PositiveIntegerField(_("số bản hư hỏng"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đợt luân chuyển")
        verbose_name_plural = _("đợt luân chuyển")
        ordering = ["-planned_dispatch_date", "-pk"]
        constraints = [
            # A collection cannot be in two places at once.
            models.UniqueConstraint(
                fields=["collection"],
                condition=Q(status__in=["dispatched", "received", "returned"]),
                name="rotation_one_out_per_collection",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gt=models.F("planned_dispatch_date")), name="rotation_due_after_dispatch"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The rotation list and API read the newest first, one page at a time.
            models.Index(fields=["planned_dispatch_date", "id"], name="rotation_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.collection.code} → {self.school_library}"

    @property
    def is_out(self) -> bool:
        return self.status in self.OUT_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in self.AT_SCHOOL_STATUSES and self.due_date < today

    @property
    def has_discrepancy(self) -> bool:
        return bool(self.copies_missing or self.copies_lost or self.copies_damaged)


class RotationLine(models.Model):
    """One item of the packing list, with what happened to its copies at each step."""

    rotation = models.ForeignKey(
        Rotation, verbose_name=_("đợt luân chuyển"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(Item, verbose_name=_("tên sách"), on_delete=models.PROTECT, related_name="rotation_lines")
    position = models.PositiveIntegerField(_("số thứ tự"), default=0)
    # Snapshot at dispatch: the packing list never changes when the catalogue does.
    title = models.CharField(_("nhan đề"), max_length=500)
    barcode = models.CharField(_("mã vạch"), max_length=40, blank=True)
    call_number = models.CharField(_("ký hiệu xếp giá"), max_length=80, blank=True)
    copies_sent = models.PositiveSmallIntegerField(_("số bản gửi"))
    copies_received = models.PositiveSmallIntegerField(_("số bản nhận"), null=True, blank=True)
    copies_back = models.PositiveSmallIntegerField(_("số bản trả về"), null=True, blank=True)
    copies_lost = models.PositiveSmallIntegerField(_("số bản mất"), default=0)
    copies_damaged = models.PositiveSmallIntegerField(_("số bản hư hỏng"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dòng danh mục gửi")
        verbose_name_plural = _("danh mục gửi")
        ordering = ["rotation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rotation", "item"], name="rotationline_item_once"),
            models.CheckConstraint(
                condition=Q(copies_received__isnull=True) | Q(copies_received__lte=models.F("copies_sent")),
                name="rotationline_received_le_sent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def copies_missing(self) -> int:
        if self.copies_received is None:
            return 0
        return self.copies_sent - self.copies_received


class RotationEvent(models.Model):
    """One dated step of a rotation with its author. Append-only: never changed or deleted."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Lập kế hoạch")
        PROPOSED = "proposed", _("Đề xuất theo lộ trình")
        DISPATCHED = "dispatched", _("Gửi sách")
        RECEIVED = "received", _("Trường xác nhận nhận sách")
        RETURNED = "returned", _("Trường gửi trả")
        CHECKED = "checked", _("Kiểm nhận, kết thúc")
        CANCELLED = "cancelled", _("Hủy")
        DUE_CHANGED = "due_changed", _("Đổi hạn trả")

    rotation = models.ForeignKey(
        Rotation, verbose_name=_("đợt luân chuyển"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("bước"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("nội dung"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lịch sử luân chuyển")
        verbose_name_plural = _("lịch sử luân chuyển")
        ordering = ["rotation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {timezone.localtime(self.at):%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Lịch sử luân chuyển không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Lịch sử luân chuyển không được xóa."))


class Route(models.Model):
    """A plan for a school year moving one collection through several schools in order."""

    collection = models.ForeignKey(
        RotatingCollection, verbose_name=_("bộ sách"), on_delete=models.PROTECT, related_name="routes"
    )
    name = models.CharField(_("tên lộ trình"), max_length=200)
    school_year = models.CharField(_("năm học"), max_length=9, help_text=_("Ví dụ: 2026-2027"))
    start_date = models.DateField(_("ngày bắt đầu"))
    is_active = models.BooleanField(_("đang thực hiện"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày lập"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lộ trình luân chuyển")
        verbose_name_plural = _("lộ trình luân chuyển")
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name


class RouteStage(models.Model):
    route = models.ForeignKey(Route, verbose_name=_("lộ trình"), on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    school_library = models.ForeignKey(
        Organisation,
        verbose_name=_("thư viện trường"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL_LIBRARY},
    )
    duration_days = models.PositiveSmallIntegerField(_("thời gian (ngày)"))
    # Filled once by the daily job (or a person) when the move to this stage is proposed.
    rotation = models.OneToOneField(
        Rotation,
        verbose_name=_("đợt luân chuyển"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="route_stage",
    )
    proposed_at = models.DateTimeField(_("ngày đề xuất"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chặng của lộ trình")
        verbose_name_plural = _("chặng của lộ trình")
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="routestage_position_unique"),
            models.CheckConstraint(
                condition=Q(duration_days__gte=1) & Q(duration_days__lte=183), name="routestage_duration_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.school_library}"


class ImportBatch(models.Model):
    """A parsed upload waiting for confirmation: nothing reaches the catalogue before it is
    confirmed, and confirming writes every row in one transaction."""

    class Source(models.TextChoices):
        SPREADSHEET = "sheet", _("Bảng tính (.xlsx, .csv)")
        MARC = "marc", _("MARC21 (ISO 2709)")
        MARCXML = "marcxml", _("MARCXML")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        CONFIRMED = "confirmed", _("Đã nhập")
        DISCARDED = "discarded", _("Đã hủy")

    collection = models.ForeignKey(
        RotatingCollection, verbose_name=_("bộ sách"), on_delete=models.CASCADE, related_name="import_batches"
    )
    source = models.CharField(_("nguồn"), max_length=8, choices=Source.choices)
    filename = models.CharField(_("tên tệp"), max_length=255)
    rows = models.JSONField(_("các dòng đã đọc"), default=list, blank=True)
    problems = models.JSONField(_("lỗi"), default=list, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tải lên"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("ngày nhập"), null=True, blank=True)
    # The uploaded ISO 2709 bytes, so the librarian can read them again in another encoding
    # from the preview (TCVN3, VNI) without uploading the file again.
    source_data = models.BinaryField(_("tệp gốc"), null=True, blank=True, editable=False)
    encoding = models.CharField(
        _("bảng mã"),
        max_length=10,
        default="auto",
        choices=[
            ("auto", _("Tự nhận biết")),
            ("declared", _("Theo khai báo của tệp (MARC-8 / UTF-8)")),
            ("tcvn3", _("TCVN3 (ABC)")),
            ("vni", _("VNI")),
        ],
    )

    history = HistoricalRecords(excluded_fields=["source_data"])

    class Meta:
        verbose_name = _("lần nhập sách")
        verbose_name_plural = _("các lần nhập sách")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def has_errors(self) -> bool:
        return bool(self.problems)
