"""Demo data for the directory: Hòa Bình's organisations, schools and the demo accounts."""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from .models import AdministrativeUnit, Organisation, User
from .selectors import districts
from .services import reference_organisations_load, school_library_ensure, slugify_vi, units_load, user_upsert

DEMO_PASSWORD = "hoabinh-demo"

# Family, middle and given names common in Hòa Bình (Kinh and Mường).
FAMILY = ["Nguyễn", "Bùi", "Đinh", "Quách", "Trần", "Lê", "Phạm", "Hoàng", "Xa", "Hà", "Vũ", "Đặng"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Thị Hồng", "Thị Lan", "Thị Thanh"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Công", "Xuân"]
GIVEN_F = ["Hương", "Lan", "Hằng", "Thảo", "Nga", "Huyền", "Mai", "Oanh", "Trang", "Yến", "Dung", "Hà"]
GIVEN_M = ["Hùng", "Thắng", "Sơn", "Tuấn", "Dũng", "Khánh", "Long", "Phong", "Hải", "Tiến", "Quân", "Bình"]


def person_name(seed: int) -> str:
    family = FAMILY[seed % len(FAMILY)]
    if seed % 3:
        return f"{family} {MIDDLE_F[seed % len(MIDDLE_F)]} {GIVEN_F[(seed * 7) % len(GIVEN_F)]}"
    return f"{family} {MIDDLE_M[seed % len(MIDDLE_M)]} {GIVEN_M[(seed * 5) % len(GIVEN_M)]}"


# (school level, name pattern); {c} is a commune name, {d} the district name.
SCHOOL_PATTERNS = [
    ("primary", "Trường Tiểu học {c}"),
    ("lower_secondary", "Trường THCS {c}"),
    ("preschool", "Trường Mầm non {c}"),
    ("multi_level", "Trường PTDTBT Tiểu học và THCS {c}"),
    ("upper_secondary", "Trường THPT {d}"),
    ("continuing", "Trung tâm GDNN - GDTX {w} {d}"),
]


def _schools_for(district: AdministrativeUnit) -> list[tuple[str, str, AdministrativeUnit | None]]:
    communes = list(AdministrativeUnit.objects.filter(parent=district, valid_to__isnull=True).order_by("code"))
    count = 4 + int(district.code) % 3  # 4 to 6 schools
    word = "thành phố" if district.type_label.lower().startswith("thành phố") else "huyện"
    schools = []
    for index in range(count):
        level, pattern = SCHOOL_PATTERNS[index]
        commune = communes[(index * 3) % len(communes)] if communes else None
        name = pattern.format(c=commune.name if commune else district.name, d=district.name, w=word)
        schools.append((level, name, commune))
    return schools


@transaction.atomic
def seed(stdout=None) -> dict:
    """Idempotent: organisations of Hòa Bình, demo schools and every demo account."""
    from django.core.management.base import CommandError

    from .models import Reorganisation

    if Reorganisation.objects.exists():
        # The demo is Hòa Bình's districts; reseeding over a reorganised directory would move
        # the accounts back to closed offices.
        raise CommandError("A reorganisation is applied: run `manage.py reorganise phutho-2025 --undo` first.")
    units_load()
    reference_organisations_load()
    password = make_password(DEMO_PASSWORD)
    today = timezone.localdate()
    education_offices = {o.district_id: o for o in Organisation.objects.filter(kind="education_office")}
    librarians_school = {}
    for district in districts():
        active = district.is_valid_on(today)
        for index, (level, name, commune) in enumerate(_schools_for(district)):
            code = f"TH-{district.code}-{index + 1:02d}"
            school, _created = Organisation.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": Organisation.Kind.SCHOOL,
                    "sector": Organisation.Sector.EDUCATION,
                    "school_level": level,
                    "district": district,
                    "commune": commune,
                    "parent": education_offices.get(district.pk),
                    "address": f"{commune.name_with_type if commune else ''}, {district.name_with_type}, tỉnh Hòa Bình",
                    "phone": f"0218.38{int(district.code) % 100:02d}.{index + 11:03d}",
                    "valid_to": district.valid_to,
                },
            )
            library = school_library_ensure(school=school)
            if index == 0 and active:
                librarians_school[district.pk] = library

    accounts = [
        ("giamdoc.vhttdl", "Bùi Văn Thành", User.Role.LEADERSHIP, "SVHTTDL", "Giám đốc Sở", True),
        ("giamdoc.sgddt", "Đinh Thị Thu Hà", User.Role.LEADERSHIP, "SGDDT", "Giám đốc Sở", True),
        ("thuvien", "Quách Thị Lan Hương", User.Role.FOCAL_OFFICER, "TVT", "Phó Giám đốc Thư viện tỉnh", False),
        ("vanphong", "Nguyễn Minh Tuấn", User.Role.FOCAL_OFFICER, "VPSGD", "Chuyên viên Văn phòng Sở", False),
    ]
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=[a[3] for a in accounts])}
    count = 0
    for username, full_name, role, org_code, position, is_head in accounts:
        _demo_user(username, full_name, role, orgs[org_code], position, is_head, password)
        count += 1
    admin = User.objects.filter(username="admin").first() or User(username="admin")
    admin.full_name, admin.role, admin.email = "Quản trị hệ thống", User.Role.SYSADMIN, "admin@thuvien.hoabinh.gov.vn"
    admin.is_superuser = admin.is_staff = True
    admin.password = password
    admin.save()
    count += 1

    seed_number = 0
    for district in districts(on=today):
        slug = slugify_vi(district.name)
        offices = {
            o.kind: o
            for o in Organisation.objects.filter(district=district, kind__in=Organisation.DISTRICT_OFFICE_KINDS)
        }
        for prefix, kind, position in (
            ("vhtt", "culture_office", "Chuyên viên Phòng Văn hóa và Thông tin"),
            ("ttvh", "culture_centre", "Cán bộ thư viện, Trung tâm VH-TT&TT"),
            ("gddt", "education_office", "Chuyên viên Phòng Giáo dục và Đào tạo"),
        ):
            seed_number += 1
            _demo_user(
                f"{prefix}.{slug}",
                person_name(seed_number),
                User.Role.DISTRICT_OFFICER,
                offices[kind],
                position,
                False,
                password,
            )
            seed_number += 1
            _demo_user(
                f"{prefix}.{slug}.truong",
                person_name(seed_number),
                User.Role.DISTRICT_OFFICER,
                offices[kind],
                "Trưởng phòng" if kind != "culture_centre" else "Giám đốc Trung tâm",
                True,
                password,
            )
            count += 2
        seed_number += 1
        library = librarians_school[district.pk]
        _demo_user(
            f"tv.{slug}",
            person_name(seed_number),
            User.Role.SCHOOL_LIBRARIAN,
            library,
            "Nhân viên thư viện",
            False,
            password,
        )
        count += 1
    if stdout:
        stdout.write(f"  directory: {Organisation.objects.count()} organisations, {count} demo accounts")
    return {"organisations": Organisation.objects.count(), "accounts": count}


def _demo_user(username, full_name, role, organisation, position, is_head, password_hash):
    user = user_upsert(
        username=username,
        full_name=full_name,
        role=role,
        organisation=organisation,
        email=f"{username}@demo.hoabinh.gov.vn",
        position=position,
        is_head=is_head,
    )
    if user.password != password_hash:
        user.password = password_hash
        user.save(update_fields=["password"])
    return user
