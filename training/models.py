"""Training of school library staff and pupils (programme clauses IV.1.b, IV.2.c, IV.3.b, IV.3.c).

A course has sessions and a capacity; schools and district education offices nominate staff
from the staff registry; the organiser approves (booked, or waitlisted when full, promoted in
order when a place frees up). Every change of a nomination's sign-up state is appended to
`NominationStateChange`, as Moodle's Face-to-face keeps its signup status history. Attendance
is taken per session; completion follows the course's rule; a completed nomination gets a
certificate with a short random code anyone can verify.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import PrivateUpload
from directory.models import Organisation


class Course(models.Model):
    class Kind(models.TextChoices):
        LIBRARY_SKILLS = "library_skills", _("Bồi dưỡng nghiệp vụ cho nhân viên thư viện trường học")
        PUPIL_READING = "pupil_reading", _("Hướng dẫn sử dụng thư viện, giới thiệu sách, phương pháp đọc cho học sinh")
        EXTRACURRICULAR = "extracurricular", _("Giờ học ngoại khóa tại thư viện công cộng")
        PILOT = "pilot", _("Thí điểm theo cấp học")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        OPEN = "open", _("Đang nhận đề cử")
        CLOSED = "closed", _("Đã khóa đăng ký")
        CANCELLED = "cancelled", _("Đã hủy")
        FINISHED = "finished", _("Đã kết thúc")

    class CompletionRule(models.TextChoices):
        ALL_SESSIONS = "all", _("Tham dự tất cả các buổi")
        MIN_SESSIONS = "min", _("Tham dự tối thiểu N buổi")

    title = models.CharField(_("tên khóa học"), max_length=255)
    kind = models.CharField(_("loại hình"), max_length=20, choices=Kind.choices, default=Kind.LIBRARY_SKILLS)
    school_level = models.CharField(
        _("cấp học thí điểm"),
        max_length=20,
        choices=Organisation.SchoolLevel.choices,
        blank=True,
        help_text=_("Chỉ với khóa thí điểm theo cấp học."),
    )
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="organised_courses"
    )
    audience = models.CharField(_("đối tượng"), max_length=255, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    syllabus = models.TextField(_("nội dung chương trình"), blank=True)
    capacity = models.PositiveIntegerField(_("số chỗ"), default=0, help_text=_("0 = không giới hạn."))
    nomination_deadline = models.DateField(_("hạn đề cử"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    completion_rule = models.CharField(
        _("điều kiện hoàn thành"), max_length=5, choices=CompletionRule.choices, default=CompletionRule.ALL_SESSIONS
    )
    min_sessions = models.PositiveSmallIntegerField(
        _("số buổi tối thiểu"), null=True, blank=True, help_text=_("Với điều kiện “tối thiểu N buổi”.")
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("hiệu lực chứng nhận (tháng)"), null=True, blank=True, help_text=_("Để trống: không thời hạn.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    cancelled_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)
    plan_activity = models.ForeignKey(
        "programs.PlanActivity",
        verbose_name=_("thực hiện hoạt động của kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_courses",
        help_text=_("Hoạt động trong kế hoạch năm mà khóa học này thực hiện, nếu có."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khóa đào tạo, bồi dưỡng")
        verbose_name_plural = _("khóa đào tạo, bồi dưỡng")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="pilot") | models.Q(school_level=""), name="course_level_only_for_pilots"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="pilot") | ~models.Q(school_level=""), name="course_pilot_has_level"
            ),
            models.CheckConstraint(
                condition=models.Q(completion_rule="all") | models.Q(min_sessions__gte=1),
                name="course_min_sessions_set",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.kind == self.Kind.PILOT and not self.school_level:
            raise ValidationError({"school_level": _("Khóa thí điểm phải ghi rõ cấp học.")})
        if self.kind != self.Kind.PILOT:
            self.school_level = ""
        if self.completion_rule == self.CompletionRule.MIN_SESSIONS and not self.min_sessions:
            raise ValidationError({"min_sessions": _("Hãy nhập số buổi tối thiểu phải tham dự.")})
        if self.completion_rule == self.CompletionRule.ALL_SESSIONS:
            self.min_sessions = None

    @property
    def is_unlimited(self) -> bool:
        return self.capacity == 0

    @property
    def takes_nominations(self) -> bool:
        # Extracurricular classes are for pupils, counted per session, not staff sign-ups.
        return self.kind != self.Kind.EXTRACURRICULAR

    def nominations_open_on(self, day) -> bool:
        return (
            self.takes_nominations
            and self.status == self.Status.OPEN
            and (self.nomination_deadline is None or day <= self.nomination_deadline)
        )


# One session of an extracurricular class: more pupils than this is a typing error.
MAX_PUPILS_PER_SESSION = 2000


class Session(models.Model):
    course = models.ForeignKey(Course, verbose_name=_("khóa học"), on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("ngày"))
    start_time = models.TimeField(_("giờ bắt đầu"))
    end_time = models.TimeField(_("giờ kết thúc"))
    place = models.CharField(_("địa điểm"), max_length=255)
    venue = models.ForeignKey(
        Organisation,
        verbose_name=_("thư viện / đơn vị nơi tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        help_text=_("Chọn thư viện công cộng khi là giờ học ngoại khóa tại thư viện."),
    )
    trainer = models.CharField(_("giảng viên"), max_length=200, blank=True)
    pupil_count = models.PositiveIntegerField(
        _("số lượt học sinh tham gia"), default=0, help_text=_("Với giờ học ngoại khóa, hướng dẫn học sinh.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("buổi học")
        verbose_name_plural = _("buổi học")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")), name="session_end_after")
        ]
        # A course's first and last dates (the course list sorts by the last) read from the index.
        indexes = [models.Index(fields=["course", "date"], name="session_course_date")]

    def __str__(self) -> str:
        return f"{self.course} – {self.date:%d/%m/%Y}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("Giờ kết thúc phải sau giờ bắt đầu.")})

    @property
    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.end_time))


def material_path(instance, filename: str) -> str:  # named by migration 0001; uploads use PrivateUpload
    return f"training/materials/{instance.course_id}/{filename}"


class CourseMaterial(models.Model):
    course = models.ForeignKey(Course, verbose_name=_("khóa học"), on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=PrivateUpload("training/materials", "original_name"), max_length=300)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tài liệu khóa học")
        verbose_name_plural = _("tài liệu khóa học")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class StaffMember(models.Model):
    """A school library staff member in the registry, kept by the school and its district
    education office; `user` links the person's own portal account when there is one."""

    class Employment(models.TextChoices):
        FULL_TIME = "full_time", _("Chuyên trách")
        PART_TIME = "part_time", _("Kiêm nhiệm")

    class Qualification(models.TextChoices):
        LIBRARY_UNIVERSITY = "library_university", _("Đại học chuyên ngành thư viện")
        LIBRARY_COLLEGE = "library_college", _("Cao đẳng chuyên ngành thư viện")
        LIBRARY_INTERMEDIATE = "library_intermediate", _("Trung cấp chuyên ngành thư viện")
        CERTIFICATE = "certificate", _("Chứng chỉ bồi dưỡng nghiệp vụ thư viện")
        OTHER = "other", _("Chuyên ngành khác, chưa qua đào tạo thư viện")

    full_name = models.CharField(_("họ và tên"), max_length=150)
    school = models.ForeignKey(
        Organisation,
        verbose_name=_("trường"),
        on_delete=models.PROTECT,
        related_name="library_staff",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
    )
    employment = models.CharField(
        _("chế độ làm việc"), max_length=10, choices=Employment.choices, default=Employment.FULL_TIME
    )
    qualification = models.CharField(
        _("trình độ chuyên môn"), max_length=25, choices=Qualification.choices, default=Qualification.OTHER
    )
    qualification_detail = models.CharField(_("chi tiết trình độ"), max_length=200, blank=True)
    position = models.CharField(_("chức danh"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản trên cổng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_records",
    )
    is_active = models.BooleanField(_("đang công tác"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhân viên thư viện trường học")
        verbose_name_plural = _("danh sách nhân viên thư viện trường học")
        ordering = ["school__district__code", "school__name", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class Nomination(models.Model):
    """A staff member put forward for a course. `state` is the current sign-up state; the
    full trail lives in `NominationStateChange` (append-only)."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        DECLINED = "declined", _("Không được duyệt")
        WAITLISTED = "waitlisted", _("Danh sách chờ")
        BOOKED = "booked", _("Đã ghi danh")
        CANCELLED = "cancelled", _("Đã hủy")
        NO_SHOW = "no_show", _("Vắng mặt")
        PARTIALLY_ATTENDED = "partially_attended", _("Tham dự một phần")
        FULLY_ATTENDED = "fully_attended", _("Tham dự đầy đủ")

    # States that hold (or wait for) a place: a staff member has at most one per course.
    ACTIVE_STATES = (State.REQUESTED, State.APPROVED, State.WAITLISTED, State.BOOKED)
    # States of people who had a place when the course ran.
    ATTENDANCE_STATES = (State.BOOKED, State.NO_SHOW, State.PARTIALLY_ATTENDED, State.FULLY_ATTENDED)

    course = models.ForeignKey(Course, verbose_name=_("khóa học"), on_delete=models.PROTECT, related_name="nominations")
    staff = models.ForeignKey(
        StaffMember, verbose_name=_("nhân viên"), on_delete=models.PROTECT, related_name="nominations"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đề cử"), on_delete=models.PROTECT, related_name="+"
    )
    nominating_organisation = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị đề cử"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("trạng thái"), max_length=20, choices=State.choices, default=State.REQUESTED)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("ngày đề cử"), auto_now_add=True)
    waitlisted_at = models.DateTimeField(_("vào danh sách chờ lúc"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề cử tham gia khóa học")
        verbose_name_plural = _("đề cử tham gia khóa học")
        ordering = ["course", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "staff"],
                condition=models.Q(state__in=["requested", "approved", "waitlisted", "booked"]),
                name="nomination_one_active_per_staff",
                violation_error_message=_("Nhân viên này đã được đề cử vào khóa học."),
            ),
            models.CheckConstraint(
                condition=~models.Q(state="waitlisted") | models.Q(waitlisted_at__isnull=False),
                name="nomination_waitlist_has_time",
            ),
        ]
        indexes = [models.Index(fields=["course", "state", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.staff} – {self.course}"


class NominationStateChange(models.Model):
    """One step of a nomination's sign-up history. Rows are only ever added."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("đề cử"), on_delete=models.CASCADE, related_name="state_changes"
    )
    state = models.CharField(_("trạng thái"), max_length=20, choices=Nomination.State.choices)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lịch sử trạng thái đề cử")
        verbose_name_plural = _("lịch sử trạng thái đề cử")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_state_display()} ({self.at:%d/%m/%Y %H:%M})"

    def save(self, *args, **kwargs):
        # Append-only: a recorded step is evidence and never rewritten.
        if self.pk is not None:
            raise ValidationError(_("Lịch sử trạng thái chỉ được ghi thêm, không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Lịch sử trạng thái chỉ được ghi thêm, không được xóa."))


class Attendance(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("buổi học"), on_delete=models.CASCADE, related_name="attendance"
    )
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("học viên"), on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("có mặt"), default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(_("điểm danh lúc"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [models.UniqueConstraint(fields=["session", "nomination"], name="attendance_once_per_session")]

    def __str__(self) -> str:
        return f"{self.nomination.staff} – {self.session}"


# Short codes people read aloud and type: no 0/O, 1/I/L, no U/V pair confusion.
CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CERTIFICATE_CODE_LENGTH = 8


class Certificate(models.Model):
    nomination = models.OneToOneField(
        Nomination, verbose_name=_("học viên"), on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("mã xác thực"), max_length=16, unique=True)
    # Snapshot of what the certificate says, so a later edit of a name or title does not
    # change a certificate already printed.
    holder_name = models.CharField(_("người được cấp"), max_length=150)
    holder_organisation = models.CharField(_("đơn vị công tác"), max_length=200, blank=True)
    course_title = models.CharField(_("khóa học"), max_length=255)
    course_start = models.DateField(_("từ ngày"))
    course_end = models.DateField(_("đến ngày"))
    issuer_name = models.CharField(_("đơn vị cấp"), max_length=200)
    issued_on = models.DateField(_("ngày cấp"))
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_reason = models.CharField(_("lý do thu hồi"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giấy chứng nhận")
        verbose_name_plural = _("giấy chứng nhận")
        ordering = ["-issued_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoked_reason=""),
                name="certificate_revocation_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.holder_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_valid_on(self, day) -> bool:
        return not self.is_revoked and (self.valid_until is None or day <= self.valid_until)


class GuidanceDocument(models.Model):
    """Guidance material written for school libraries (IV.2.c), kept with its versions."""

    class Audience(models.TextChoices):
        SCHOOL_LIBRARY_STAFF = "school_library_staff", _("Nhân viên thư viện trường học")
        TEACHERS = "teachers", _("Giáo viên, cán bộ quản lý trường học")
        PUBLIC_LIBRARY_STAFF = "public_library_staff", _("Cán bộ thư viện công cộng")
        MANAGERS = "managers", _("Cán bộ quản lý cấp huyện")
        PUPILS = "pupils", _("Học sinh")

    title = models.CharField(_("tên tài liệu"), max_length=255)
    summary = models.TextField(_("tóm tắt"), blank=True)
    audience = models.CharField(
        _("đối tượng"), max_length=25, choices=Audience.choices, default=Audience.SCHOOL_LIBRARY_STAFF
    )
    publisher = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="guidance_documents"
    )
    is_published = models.BooleanField(_("công bố"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tài liệu hướng dẫn nghiệp vụ")
        verbose_name_plural = _("tài liệu hướng dẫn nghiệp vụ")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


def guidance_path(instance, filename: str) -> str:  # named by migration 0001; uploads use PrivateUpload
    return f"training/guidance/{instance.document_id}/{filename}"


class GuidanceVersion(models.Model):
    document = models.ForeignKey(
        GuidanceDocument, verbose_name=_("tài liệu"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.CharField(_("phiên bản"), max_length=20, help_text=_("Ví dụ: 1.0, 2.1"))
    file = models.FileField(_("tệp"), upload_to=PrivateUpload("training/guidance", "original_name"), max_length=300)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200, blank=True, editable=False)
    notes = models.CharField(_("nội dung thay đổi"), max_length=300, blank=True)
    published_on = models.DateField(_("ngày ban hành"), default=timezone.localdate)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    download_count = models.PositiveIntegerField(_("lượt tải"), default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["download_count"])

    class Meta:
        verbose_name = _("phiên bản tài liệu")
        verbose_name_plural = _("phiên bản tài liệu")
        ordering = ["document", "-published_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["document", "version"], name="guidance_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} – {self.version}"
