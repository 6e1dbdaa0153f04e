"""Who is who: administrative units, organisations and the people who work in them."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AdministrativeUnit(models.Model):
    """A province, district/city or commune with its official GSO code.

    Units are never deleted when geography changes: a unit that ceased to exist keeps its
    record with `valid_to` and, where it was merged, `merged_into`, so history stays attached
    to the unit as it was (Kỳ Sơn merged into Hòa Bình city in 2020).
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        DISTRICT = "district", _("Huyện / thành phố")
        COMMUNE = "commune", _("Xã / phường / thị trấn")

    # A new unit may keep the official code of one it absorbed (Phú Thọ's 2025 communes keep
    # one of their former communes' codes), so a code is unique per start date, not alone.
    code = models.CharField(_("mã hành chính"), max_length=10)
    name = models.CharField(_("tên"), max_length=100)
    name_with_type = models.CharField(_("tên đầy đủ"), max_length=120)
    type_label = models.CharField(
        _("loại đơn vị"), max_length=30, help_text=_("Tỉnh, Thành phố, Huyện, Xã, Phường, Thị trấn")
    )
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(_("định danh"), max_length=60, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
    )
    change_note = models.CharField(_("ghi chú thay đổi"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="adminunit_valid_range",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(valid_from__isnull=True), name="adminunit_code_unique_original"
            ),
            models.UniqueConstraint(fields=["code", "valid_from"], name="adminunit_code_unique_from"),
        ]

    def __str__(self) -> str:
        return self.name_with_type

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Organisation(models.Model):
    """Any body that takes part in the programme: departments, their focal units, district
    offices, public libraries, schools and school libraries."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở")
        PROVINCIAL_LIBRARY = "provincial_library", _("Thư viện tỉnh")
        DOET_OFFICE = "doet_office", _("Văn phòng Sở GD&ĐT")
        CULTURE_OFFICE = "culture_office", _("Phòng Văn hóa và Thông tin")
        CULTURE_CENTRE = "culture_centre", _("Trung tâm Văn hóa, Thể thao và Truyền thông")
        EDUCATION_OFFICE = "education_office", _("Phòng Giáo dục và Đào tạo")
        PUBLIC_LIBRARY = "public_library", _("Thư viện công cộng cấp huyện")
        SCHOOL = "school", _("Trường học")
        SCHOOL_LIBRARY = "school_library", _("Thư viện trường học")
        CULTURE_SOCIAL_OFFICE = "culture_social_office", _("Phòng Văn hóa – Xã hội cấp xã")

    class Sector(models.TextChoices):
        CULTURE = "culture", _("Văn hóa, Thể thao và Du lịch")
        EDUCATION = "education", _("Giáo dục và Đào tạo")

    class SchoolLevel(models.TextChoices):
        PRESCHOOL = "preschool", _("Mầm non")
        PRIMARY = "primary", _("Tiểu học")
        LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
        UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
        MULTI_LEVEL = "multi_level", _("Nhiều cấp học")
        CONTINUING = "continuing", _("Giáo dục thường xuyên")

    FOCAL_KINDS = (Kind.PROVINCIAL_LIBRARY, Kind.DOET_OFFICE)
    DISTRICT_OFFICE_KINDS = (Kind.CULTURE_OFFICE, Kind.CULTURE_CENTRE, Kind.EDUCATION_OFFICE)
    # Who files the 6-monthly report: the district offices until 30/06/2025, then the communes'
    # culture-social offices (two-tier local government from 01/07/2025).
    REPORTING_KINDS = (*DISTRICT_OFFICE_KINDS, Kind.CULTURE_SOCIAL_OFFICE)
    LIBRARY_KINDS = (Kind.PROVINCIAL_LIBRARY, Kind.PUBLIC_LIBRARY)
    CULTURE_KINDS = (
        Kind.PROVINCIAL_LIBRARY,
        Kind.CULTURE_OFFICE,
        Kind.CULTURE_CENTRE,
        Kind.PUBLIC_LIBRARY,
        Kind.CULTURE_SOCIAL_OFFICE,
    )

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    sector = models.CharField(_("ngành"), max_length=20, choices=Sector.choices)
    district = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("huyện / thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        limit_choices_to={"level": AdministrativeUnit.Level.DISTRICT},
        help_text=_("Để trống với đơn vị cấp tỉnh."),
    )
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã / phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdministrativeUnit.Level.COMMUNE},
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    school_level = models.CharField(_("cấp học"), max_length=20, choices=SchoolLevel.choices, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    valid_from = models.DateField(_("hoạt động từ"), null=True, blank=True)
    valid_to = models.DateField(_("hoạt động đến"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["district__code", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="school") | ~models.Q(school_level=""),
                name="org_school_has_level",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="school") | models.Q(school_level=""),
                name="org_level_only_for_schools",
            ),
        ]
        indexes = [models.Index(fields=["kind", "district"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_focal_unit(self) -> bool:
        return self.kind in self.FOCAL_KINDS

    @property
    def is_district_office(self) -> bool:
        return self.kind in self.DISTRICT_OFFICE_KINDS

    @property
    def is_commune_office(self) -> bool:
        return self.kind == self.Kind.CULTURE_SOCIAL_OFFICE

    @property
    def is_reporting_office(self) -> bool:
        return self.kind in self.REPORTING_KINDS

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def is_library(self) -> bool:
        return self.kind in (*self.LIBRARY_KINDS, self.Kind.SCHOOL_LIBRARY)

    @classmethod
    def sector_for_kind(cls, kind: str) -> str:
        return cls.Sector.CULTURE if kind in cls.CULTURE_KINDS else cls.Sector.EDUCATION


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Logins are case-insensitive: "ThuVien" is "thuvien".
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who signs in. The role decides what they may do; the organisation (and its
    district) decides what they may see — see `directory.selectors`."""

    class Role(models.TextChoices):
        LEADERSHIP = "leadership", _("Lãnh đạo Sở")
        FOCAL_OFFICER = "focal_officer", _("Cán bộ đầu mối")
        DISTRICT_OFFICER = "district_officer", _("Cán bộ cấp huyện / xã")
        SCHOOL_LIBRARIAN = "school_librarian", _("Nhân viên thư viện trường học")
        LIBRARY_STAFF = "library_staff", _("Cán bộ thư viện công cộng")
        SYSADMIN = "sysadmin", _("Quản trị hệ thống")

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.DISTRICT_OFFICER)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    is_head = models.BooleanField(
        _("là thủ trưởng đơn vị"), default=False, help_text=_("Nhận thông báo nhắc việc khi đơn vị quá hạn.")
    )

    objects = PortalUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False)
                | models.Q(role__in=["sysadmin"])
                | models.Q(is_superuser=True),
                name="user_has_organisation_unless_admin",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    @property
    def is_leadership(self) -> bool:
        return self.role == self.Role.LEADERSHIP

    @property
    def is_focal_officer(self) -> bool:
        return self.role == self.Role.FOCAL_OFFICER

    @property
    def is_district_officer(self) -> bool:
        return self.role == self.Role.DISTRICT_OFFICER

    @property
    def is_school_librarian(self) -> bool:
        return self.role == self.Role.SCHOOL_LIBRARIAN

    @property
    def sector(self) -> str | None:
        return self.organisation.sector if self.organisation_id else None


# --- Reorganisations -----------------------------------------------------------------------


class Reorganisation(models.Model):
    """A dated change of the administrative map, recorded as data and reversible.

    Its parts say what happened on `effective_date`: units closed and created, which old
    unit's territory each new one took over, organisations closed, created, renamed or
    transferred, and accounts moved. Records filed before the date are never rewritten: they
    keep their organisation, and the directory can be read as it stood on any day
    (`directory.selectors` "as of" helpers).
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    title = models.CharField(_("tên"), max_length=300)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    effective_date = models.DateField(_("có hiệu lực từ"))
    applied_at = models.DateTimeField(_("áp dụng lúc"), auto_now_add=True)
    applied_by = models.ForeignKey(
        "User", verbose_name=_("người áp dụng"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the undo needs beyond the parts themselves (e.g. the reporting lists of periods).
    undo_data = models.JSONField(_("dữ liệu hoàn tác"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sắp xếp đơn vị hành chính")
        verbose_name_plural = _("sắp xếp đơn vị hành chính")
        ordering = ["-effective_date"]

    def __str__(self) -> str:
        return self.title

    @property
    def last_day_before(self):
        import datetime

        return self.effective_date - datetime.timedelta(days=1)


class UnitChange(models.Model):
    """A unit created or closed by a reorganisation; `before` keeps what undo restores."""

    class Action(models.TextChoices):
        CREATED = "created", _("Thành lập")
        CLOSED = "closed", _("Chấm dứt hoạt động")

    reorganisation = models.ForeignKey(
        Reorganisation, verbose_name=_("đợt sắp xếp"), on_delete=models.CASCADE, related_name="unit_changes"
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị hành chính"), on_delete=models.PROTECT, related_name="changes"
    )
    action = models.CharField(_("thay đổi"), max_length=10, choices=Action.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    before = models.JSONField(_("trước khi sắp xếp"), default=dict, blank=True)

    class Meta:
        verbose_name = _("thay đổi đơn vị hành chính")
        verbose_name_plural = _("thay đổi đơn vị hành chính")
        ordering = ["reorganisation", "action", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["reorganisation", "unit"], name="unitchange_once")]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.unit}"


class UnitSuccession(models.Model):
    """From `valid_from`, (part of) the territory of `predecessor` belongs to `successor`.
    Many to many: a district has several successor communes, a commune may take parts of
    several districts."""

    reorganisation = models.ForeignKey(
        Reorganisation, verbose_name=_("đợt sắp xếp"), on_delete=models.CASCADE, related_name="successions"
    )
    predecessor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị cũ"), on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị mới"), on_delete=models.PROTECT, related_name="predecessor_links"
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kế thừa địa bàn")
        verbose_name_plural = _("kế thừa địa bàn")
        ordering = ["predecessor__code", "successor__code"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_once"),
            models.CheckConstraint(condition=~models.Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class OrganisationChange(models.Model):
    """An organisation created, closed, renamed or transferred (new parent / commune) by a
    reorganisation. The names kept here let pages and documents about an earlier day show
    the name then in force; `successors` says who carries on a closed body's work."""

    class Action(models.TextChoices):
        CREATED = "created", _("Thành lập")
        CLOSED = "closed", _("Chấm dứt hoạt động")
        RENAMED = "renamed", _("Đổi tên")
        TRANSFERRED = "transferred", _("Chuyển giao")

    reorganisation = models.ForeignKey(
        Reorganisation, verbose_name=_("đợt sắp xếp"), on_delete=models.CASCADE, related_name="organisation_changes"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan, đơn vị"), on_delete=models.PROTECT, related_name="changes"
    )
    action = models.CharField(_("thay đổi"), max_length=12, choices=Action.choices)
    effective_date = models.DateField(_("có hiệu lực từ"))
    old_name = models.CharField(_("tên cũ"), max_length=200, blank=True)
    new_name = models.CharField(_("tên mới"), max_length=200, blank=True)
    old_parent = models.ForeignKey(
        Organisation, verbose_name=_("trực thuộc cũ"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_parent = models.ForeignKey(
        Organisation,
        verbose_name=_("trực thuộc mới"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    successors = models.ManyToManyField(
        Organisation, verbose_name=_("đơn vị tiếp nhận nhiệm vụ"), blank=True, related_name="inherited_changes"
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    before = models.JSONField(_("trước khi sắp xếp"), default=dict, blank=True)

    class Meta:
        verbose_name = _("thay đổi cơ quan, đơn vị")
        verbose_name_plural = _("thay đổi cơ quan, đơn vị")
        ordering = ["reorganisation", "action", "organisation__code"]
        indexes = [models.Index(fields=["organisation", "effective_date"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.organisation}"


class AccountMove(models.Model):
    """An account moved to another organisation by a reorganisation (the user's own history
    keeps every earlier state)."""

    reorganisation = models.ForeignKey(
        Reorganisation, verbose_name=_("đợt sắp xếp"), on_delete=models.CASCADE, related_name="account_moves"
    )
    user = models.ForeignKey(User, verbose_name=_("tài khoản"), on_delete=models.PROTECT, related_name="moves")
    from_organisation = models.ForeignKey(
        Organisation, verbose_name=_("từ đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("sang đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    effective_date = models.DateField(_("có hiệu lực từ"))
    before = models.JSONField(_("trước khi sắp xếp"), default=dict, blank=True)

    class Meta:
        verbose_name = _("điều chuyển tài khoản")
        verbose_name_plural = _("điều chuyển tài khoản")
        ordering = ["reorganisation", "user__username"]
        constraints = [models.UniqueConstraint(fields=["reorganisation", "user"], name="accountmove_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.from_organisation} → {self.to_organisation}"
