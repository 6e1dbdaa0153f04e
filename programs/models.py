"""The cooperation programme and the work that carries it out.

Programme → commitments (the document's clauses, by their own codes) → annual plans approved
by both Directors → plan activities linked to commitments, with progress and evidence →
district local plans; plus meetings with action items, inspections with recommendations
and proposals to the Provincial People's Committee.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import PrivateUpload
from directory.models import Organisation as _Organisation

SCHOOL_LEVEL_CHOICES = _Organisation.SchoolLevel.choices


class Side(models.TextChoices):
    """Which department leads (or funds) something."""

    DOCST = "docst", _("Sở VHTTDL")
    DOET = "doet", _("Sở GD&ĐT")
    JOINT = "joint", _("Hai Sở phối hợp")


class Programme(models.Model):
    number = models.CharField(_("số hiệu"), max_length=60, blank=True)
    title = models.CharField(_("tên chương trình"), max_length=500)
    signed_on = models.DateField(_("ngày ký"))
    valid_from = models.PositiveSmallIntegerField(_("hiệu lực từ năm"))
    valid_to = models.PositiveSmallIntegerField(_("hiệu lực đến năm"))
    place = models.CharField(_("nơi ký"), max_length=100, blank=True)
    parties = models.ManyToManyField(
        "directory.Organisation", verbose_name=_("các bên ký kết"), related_name="programmes", blank=True
    )
    preamble = models.TextField(_("phần mở đầu"), blank=True)
    distribution_list = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    original_file = models.FileField(
        _("văn bản gốc"), upload_to=PrivateUpload("programs/programmes", "original_file_name"), blank=True
    )
    original_file_name = models.CharField(_("tên tệp văn bản gốc"), max_length=200, blank=True, editable=False)
    renewal_of = models.ForeignKey(
        "self",
        verbose_name=_("gia hạn / kế tiếp của"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        verbose_name = _("chương trình phối hợp")
        verbose_name_plural = _("chương trình phối hợp")
        ordering = ["-valid_from", "-signed_on"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="programme_valid_years"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.valid_from}-{self.valid_to})"

    @property
    def is_renewal(self) -> bool:
        return self.renewal_of_id is not None

    def covers(self, year: int) -> bool:
        return self.valid_from <= year <= self.valid_to

    @property
    def distribution(self) -> list[str]:
        return [line.strip() for line in self.distribution_list.splitlines() if line.strip()]


class LegalBasis(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="legal_bases"
    )
    kind = models.CharField(_("loại văn bản"), max_length=60)
    number = models.CharField(_("số hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["programme", "position"]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


class Commitment(models.Model):
    """One clause of the programme, with the document's own code (IV.1.d2 stays IV.1.d2)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="commitments"
    )
    code = models.CharField(_("mã điều khoản"), max_length=20)
    section = models.CharField(_("phần"), max_length=10)
    heading = models.CharField(_("tiêu đề mục"), max_length=200, blank=True)
    text = models.TextField(_("nội dung"))
    lead_side = models.CharField(_("bên chủ trì"), max_length=10, choices=Side.choices, default=Side.JOINT)
    responsible_units = models.CharField(_("đơn vị thực hiện"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("sao từ điều khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung phối hợp")
        verbose_name_plural = _("nội dung phối hợp")
        ordering = ["programme", "position"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="commitment_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class ProgrammeAmendment(models.Model):
    """A change to the programme; applied only once both departments have agreed (VII)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đang chờ hai bên thống nhất")
        APPLIED = "applied", _("Đã áp dụng")
        REJECTED = "rejected", _("Không thống nhất")
        RETURNED = "returned", _("Đã trả lại")

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="amendments"
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("điều khoản sửa đổi"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="amendments",
        help_text=_("Để trống khi bổ sung điều khoản mới."),
    )
    new_code = models.CharField(_("mã điều khoản"), max_length=20)
    new_text = models.TextField(_("nội dung mới"))
    reason = models.TextField(_("lý do"))
    previous_text = models.TextField(_("nội dung trước khi sửa"), blank=True)
    previous_code = models.CharField(_("mã điều khoản trước khi sửa"), max_length=20, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đề xuất"), on_delete=models.PROTECT, related_name="+"
    )
    agreed_docst_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Sở VHTTDL đồng ý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreed_doet_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Sở GD&ĐT đồng ý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_comment = models.TextField(_("ý kiến khi trả lại"), blank=True)
    returned_at = models.DateTimeField(_("ngày trả lại"), null=True, blank=True)
    agreed_docst_at = models.DateTimeField(_("ngày Sở VHTTDL đồng ý"), null=True, blank=True)
    agreed_doet_at = models.DateTimeField(_("ngày Sở GD&ĐT đồng ý"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("phiên bản chương trình sau sửa đổi"), null=True, blank=True)
    created_at = models.DateTimeField(_("ngày đề xuất"), auto_now_add=True)
    applied_at = models.DateTimeField(_("ngày áp dụng"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sửa đổi, bổ sung chương trình")
        verbose_name_plural = _("sửa đổi, bổ sung chương trình")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.new_code}: {self.reason[:60]}"

    @property
    def awaiting_sides(self) -> list[str]:
        """The sides ("docst", "doet") whose Director has not yet agreed."""
        if self.status != self.Status.PROPOSED:
            return []
        return [side for side, by in (("docst", self.agreed_docst_by_id), ("doet", self.agreed_doet_by_id)) if not by]


class AnnualPlan(models.Model):
    """The focal units' plan for one year; a revision is a new row pointing at the plan it revises."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Chờ phê duyệt")
        IN_FORCE = "in_force", _("Đang thực hiện")
        CLOSED = "closed", _("Đã tổng kết")
        SUPERSEDED = "superseded", _("Đã được thay thế")

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    summary = models.TextField(_("mục tiêu, yêu cầu"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveSmallIntegerField(_("lần điều chỉnh"), default=0)
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("điều chỉnh của kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    revision_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    submission_round = models.PositiveSmallIntegerField(_("lần trình"), default=0)
    return_comment = models.TextField(_("ý kiến trả lại gần nhất"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("ngày trình"), null=True, blank=True)
    in_force_at = models.DateTimeField(_("ngày có hiệu lực"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ngày tổng kết"), null=True, blank=True)
    closing_meeting = models.ForeignKey(
        "Meeting",
        verbose_name=_("hội nghị tổng kết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closed_plans",
    )
    local_plans_due = models.DateField(
        _("hạn gửi kế hoạch địa phương"),
        null=True,
        blank=True,
        help_text=_("Các phòng, trung tâm cấp huyện gửi kế hoạch triển khai trước ngày này."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = _("kế hoạch năm")
        ordering = ["-year", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["year", "revision"], name="plan_year_revision_unique"),
            # One plan in force per year; one revision in preparation per year.
            models.UniqueConstraint(fields=["year"], condition=Q(status="in_force"), name="plan_one_in_force"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(status__in=["draft", "submitted"]), name="plan_one_open_draft"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class PlanDecision(models.Model):
    """A Director's decision on one submission of a plan, for their department."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Phê duyệt")
        RETURNED = "returned", _("Trả lại")

    plan = models.ForeignKey(AnnualPlan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="decisions")
    department = models.ForeignKey(
        "directory.Organisation", verbose_name=_("Sở"), on_delete=models.PROTECT, related_name="+"
    )
    submission_round = models.PositiveSmallIntegerField(_("lần trình"))
    decision = models.CharField(_("quyết định"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người quyết định"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("thời điểm"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ý kiến phê duyệt kế hoạch")
        verbose_name_plural = _("ý kiến phê duyệt kế hoạch")
        ordering = ["plan", "submission_round", "decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "department", "submission_round"], name="plan_decision_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(decision="approved") | ~Q(comment=""), name="plan_decision_return_has_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.department}: {self.get_decision_display()}"


class PlanActivity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Chưa triển khai")
        IN_PROGRESS = "in_progress", _("Đang triển khai")
        DONE = "done", _("Hoàn thành")
        CANCELLED = "cancelled", _("Hủy bỏ")

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="activities"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tên hoạt động"), max_length=300)
    description = models.TextField(_("nội dung"), blank=True)
    commitments = models.ManyToManyField(
        Commitment, verbose_name=_("thực hiện nội dung phối hợp"), related_name="activities"
    )
    lead_unit = models.ForeignKey(
        "directory.Organisation", verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    partner_units = models.ManyToManyField(
        "directory.Organisation", verbose_name=_("đơn vị phối hợp"), related_name="+", blank=True
    )
    start_date = models.DateField(_("bắt đầu"))
    end_date = models.DateField(_("kết thúc"))
    target_value = models.DecimalField(_("chỉ tiêu"), max_digits=10, decimal_places=0, null=True, blank=True)
    target_unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True, help_text=_("Ví dụ: cuốn sách, lớp"))
    funding_side = models.CharField(_("kinh phí do"), max_length=10, choices=Side.choices, default=Side.JOINT)
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("hoạt động ở bản trước"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )

    history = HistoricalRecords(m2m_fields=[commitments, partner_units])

    class Meta:
        verbose_name = _("hoạt động của kế hoạch")
        verbose_name_plural = _("hoạt động của kế hoạch")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="activity_dates_ordered"),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0), name="activity_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def target_label(self) -> str:
        if self.target_value is None:
            return ""
        return f"{self.target_value:,.0f} {self.target_unit}".replace(",", ".").strip()


class ActivityProgress(models.Model):
    activity = models.ForeignKey(
        PlanActivity, verbose_name=_("hoạt động"), on_delete=models.CASCADE, related_name="progress_updates"
    )
    reported_on = models.DateField(_("ngày cập nhật"))
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành (%)"), null=True, blank=True)
    achieved_value = models.DecimalField(_("kết quả đạt được"), max_digits=10, decimal_places=0, null=True, blank=True)
    narrative = models.TextField(_("mô tả kết quả"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người cập nhật"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiến độ hoạt động")
        verbose_name_plural = _("tiến độ hoạt động")
        ordering = ["activity", "-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="progress_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=False) | Q(achieved_value__isnull=False), name="progress_has_figure"
            ),
            models.CheckConstraint(
                condition=Q(achieved_value__isnull=True) | Q(achieved_value__gte=0), name="progress_achieved_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} – {self.reported_on}"


class ProgressEvidence(models.Model):
    progress = models.ForeignKey(
        ActivityProgress, verbose_name=_("cập nhật tiến độ"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("tệp minh chứng"), upload_to=PrivateUpload("programs/evidence", "original_name"))
    original_name = models.CharField(_("tên tệp gốc"), max_length=200, blank=True, editable=False)
    title = models.CharField(_("tên tệp"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return self.title


class LocalPlan(models.Model):
    """A district office's implementation plan for the year (V.4)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang xây dựng")
        SUBMITTED = "submitted", _("Đã gửi")
        ACKNOWLEDGED = "acknowledged", _("Đã tiếp nhận")
        RETURNED = "returned", _("Trả lại để bổ sung")

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("kế hoạch của tỉnh"), on_delete=models.PROTECT, related_name="local_plans"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="local_plans"
    )
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    note = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("ngày xem xét"), null=True, blank=True)
    review_comment = models.TextField(_("ý kiến của đơn vị đầu mối"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế hoạch triển khai tại địa phương")
        verbose_name_plural = _("kế hoạch triển khai tại địa phương")
        ordering = ["plan", "organisation__district__code", "organisation__kind"]
        constraints = [models.UniqueConstraint(fields=["plan", "organisation"], name="local_plan_once_per_office")]

    def __str__(self) -> str:
        return self.title


class LocalActivity(models.Model):
    local_plan = models.ForeignKey(
        LocalPlan, verbose_name=_("kế hoạch địa phương"), on_delete=models.CASCADE, related_name="activities"
    )
    provincial_activity = models.ForeignKey(
        PlanActivity,
        verbose_name=_("hoạt động của kế hoạch tỉnh"),
        on_delete=models.PROTECT,
        related_name="local_activities",
    )
    title = models.CharField(_("tên hoạt động"), max_length=300)
    start_date = models.DateField(_("bắt đầu"))
    end_date = models.DateField(_("kết thúc"))
    target_value = models.DecimalField(_("chỉ tiêu"), max_digits=10, decimal_places=0, null=True, blank=True)
    target_unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành (%)"), default=0)
    progress_note = models.TextField(_("kết quả thực hiện"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hoạt động của kế hoạch địa phương")
        verbose_name_plural = _("hoạt động của kế hoạch địa phương")
        ordering = ["local_plan", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="local_activity_dates"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="local_activity_percent_range"),
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    class Kind(models.TextChoices):
        EXCHANGE = "exchange", _("Họp trao đổi thông tin định kỳ 6 tháng")
        PRELIMINARY_REVIEW = "preliminary_review", _("Hội nghị sơ kết")
        FINAL_REVIEW = "final_review", _("Hội nghị tổng kết")
        OTHER = "other", _("Cuộc họp khác")

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("loại cuộc họp"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tên cuộc họp"), max_length=300)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    location = models.CharField(_("địa điểm"), max_length=300)
    agenda = models.TextField(_("chương trình họp"), blank=True)
    participant_organisations = models.ManyToManyField(
        "directory.Organisation", verbose_name=_("đơn vị tham dự"), related_name="meetings", blank=True
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("người tham dự"), related_name="meetings", blank=True
    )
    other_participants = models.TextField(_("thành phần khác"), blank=True)
    minutes_file = models.FileField(
        _("biên bản"), upload_to=PrivateUpload("programs/minutes", "minutes_file_name"), blank=True
    )
    minutes_file_name = models.CharField(_("tên tệp biên bản"), max_length=200, blank=True, editable=False)
    decisions = models.TextField(_("kết luận"), blank=True)
    cancelled = models.BooleanField(_("đã hủy"), default=False)
    sequence = models.PositiveIntegerField(_("số lần thay đổi"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[participant_organisations, participants])

    class Meta:
        verbose_name = _("cuộc họp")
        verbose_name_plural = _("cuộc họp")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after")
        ]

    def __str__(self) -> str:
        return self.title


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("nội dung"))
    owner_organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phụ trách"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    done = models.BooleanField(_("đã xong"), default=False)
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("việc cần làm sau họp")
        verbose_name_plural = _("việc cần làm sau họp")
        ordering = ["meeting", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(done=False) | Q(done_at__isnull=False), name="action_done_has_time")
        ]

    def __str__(self) -> str:
        return self.description[:80]


class Inspection(models.Model):
    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Kiểm tra")
        SURVEY = "survey", _("Khảo sát")

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("hình thức"), max_length=12, choices=Kind.choices, default=Kind.INSPECTION)
    title = models.CharField(_("tên đợt"), max_length=300)
    date = models.DateField(_("ngày"))
    district = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("huyện / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "district"},
    )
    places = models.ManyToManyField(
        "directory.Organisation", verbose_name=_("nơi đến"), related_name="inspections", blank=True
    )
    team = models.TextField(_("thành phần đoàn"))
    findings = models.TextField(_("kết quả, nhận xét"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[places])

    class Meta:
        verbose_name = _("đợt khảo sát, kiểm tra")
        verbose_name_plural = _("đợt khảo sát, kiểm tra")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã thực hiện")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("đợt kiểm tra"), on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField(_("kiến nghị"))
    owner_organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("hạn thực hiện"))
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status.choices, default=Status.OPEN)
    follow_up = models.TextField(_("kết quả khắc phục"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kiến nghị sau kiểm tra")
        verbose_name_plural = _("kiến nghị sau kiểm tra")
        ordering = ["inspection", "due_date", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Proposal(models.Model):
    """A proposal or recommendation to the Provincial People's Committee or another body (IV.1.d, d2)."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Đề xuất")
        RECOMMENDATION = "recommendation", _("Kiến nghị")
        LEGAL_ADVICE = "legal_advice", _("Tham mưu văn bản")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SENT = "sent", _("Đã gửi, chờ trả lời")
        ACCEPTED = "accepted", _("Được chấp thuận")
        PARTLY = "partly", _("Chấp thuận một phần")
        REJECTED = "rejected", _("Không được chấp thuận")

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="proposals"
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("nội dung phối hợp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.PROPOSAL)
    title = models.CharField(_("trích yếu"), max_length=300)
    addressee = models.CharField(_("gửi tới"), max_length=200, default="Ủy ban nhân dân tỉnh Hòa Bình")
    content = models.TextField(_("nội dung"))
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("đơn vị đề xuất"), on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    sent_on = models.DateField(_("ngày gửi"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    response = models.TextField(_("nội dung trả lời"), blank=True)
    responded_on = models.DateField(_("ngày trả lời"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề xuất, kiến nghị")
        verbose_name_plural = _("đề xuất, kiến nghị")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(sent_on__isnull=False), name="proposal_sent_date"),
        ]

    def __str__(self) -> str:
        return self.title


class RecommendationUpdate(models.Model):
    """One follow-up report on a recommendation: the status it reached, a note and the date.
    Kept as a history, newest first; the recommendation carries the latest status."""

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("kiến nghị"), on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(_("tình trạng"), max_length=12, choices=Recommendation.Status.choices)
    note = models.TextField(_("kết quả khắc phục"))
    reported_on = models.DateField(_("ngày cập nhật"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người cập nhật"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cập nhật thực hiện kiến nghị")
        verbose_name_plural = _("cập nhật thực hiện kiến nghị")
        ordering = ["recommendation", "-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.recommendation} – {self.reported_on}"


class Pilot(models.Model):
    """A pilot of lifelong-learning activities in school libraries for one school level
    (IV.3.c): the schools taking part, the dates, an evaluation with evidence, then the
    decision to roll it out, extend it or stop it."""

    class Decision(models.TextChoices):
        ROLL_OUT = "roll_out", _("Nhân rộng")
        EXTEND = "extend", _("Tiếp tục thí điểm")
        STOP = "stop", _("Dừng, không nhân rộng")

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="pilots"
    )
    title = models.CharField(_("tên mô hình thí điểm"), max_length=300)
    school_level = models.CharField(
        _("cấp học"), max_length=20, choices=[c for c in SCHOOL_LEVEL_CHOICES if c[0] != "multi_level"]
    )
    description = models.TextField(_("nội dung thí điểm"), blank=True)
    start_date = models.DateField(_("bắt đầu"))
    end_date = models.DateField(_("kết thúc"))
    schools = models.ManyToManyField(
        "directory.Organisation", verbose_name=_("trường tham gia"), related_name="pilots", blank=True
    )
    lessons_learned = models.TextField(_("bài học kinh nghiệm"), blank=True)
    evidence = models.FileField(
        _("minh chứng đánh giá"), upload_to=PrivateUpload("programs/pilots", "evidence_name"), blank=True
    )
    evidence_name = models.CharField(_("tên tệp minh chứng"), max_length=200, blank=True, editable=False)
    evaluated_at = models.DateTimeField(_("ngày đánh giá"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(_("quyết định"), max_length=10, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("nội dung quyết định"), blank=True)
    roll_out_from = models.DateField(_("nhân rộng từ ngày"), null=True, blank=True)
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[schools])

    class Meta:
        verbose_name = _("mô hình thí điểm")
        verbose_name_plural = _("mô hình thí điểm")
        ordering = ["school_level", "-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="pilot_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def stage(self) -> str:
        """ "pilot", "evaluated" or "decided": where the pilot is on its way to a roll-out."""
        if self.decision:
            return "decided"
        if self.evaluated_at:
            return "evaluated"
        return "pilot"
