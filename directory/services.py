"""Writes to the directory: organisations, people and imports."""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core import versioned
from core.search import normalise
from core.spreadsheets import CellError, SpreadsheetError, read_table

from .models import AdministrativeUnit, Organisation, User
from .roles import apply_role

UNITS_FILE = Path(__file__).resolve().parent / "data" / "hoabinh_units.json"
KY_SON_CODE = "151"
HOA_BINH_CITY_CODE = "148"
# Resolution 830/NQ-UBTVQH14 of 17/12/2019: Kỳ Sơn district merged into Hòa Bình city,
# effective 01/02/2020 (between the GSO snapshots of 01/12/2019 and 01/01/2020 the codes
# already moved; the legal effect date is what the portal records).
KY_SON_MERGER_DATE = date(2020, 2, 1)


def slugify_vi(text: str) -> str:
    """'Lạc Sơn' → 'lac-son' (used for account names and URLs)."""
    return "-".join(normalise(text).replace("-", " ").split())


@transaction.atomic
def units_load(*, path: Path = UNITS_FILE) -> int:
    """Load or refresh the administrative units of Hòa Bình from the GSO data. Idempotent.

    Returns the number of units in the database afterwards.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    province_data = data["province"]
    # Units a reorganisation closed keep the dates it gave them (reloading must not reopen
    # Hòa Bình's districts after the 2025 merger); only the original units are matched.
    from .models import UnitChange

    reorganised = set(UnitChange.objects.values_list("unit_id", flat=True))
    province, _created = AdministrativeUnit.objects.update_or_create(
        code=province_data["code"],
        valid_from__isnull=True,
        defaults={
            "name": province_data["name"],
            "name_with_type": province_data["name_with_type"],
            "type_label": province_data["type_vi"],
            "level": AdministrativeUnit.Level.PROVINCE,
            "slug": slugify_vi(province_data["name"]),
        },
    )
    changes = data.get("changes_2020", {})
    codes_2020 = set(changes.get("district_codes_2020", []))
    removed_communes = {c["code"] for c in changes.get("communes_removed", [])}
    for district_data in data["districts"]:
        survives = not codes_2020 or district_data["code"] in codes_2020
        district = AdministrativeUnit.objects.filter(code=district_data["code"], valid_from__isnull=True).first()
        keep_dates = district is not None and district.pk in reorganised
        district, _created = AdministrativeUnit.objects.update_or_create(
            code=district_data["code"],
            valid_from__isnull=True,
            defaults={
                "name": district_data["name"],
                "name_with_type": district_data["name_with_type"],
                "type_label": district_data["type_vi"],
                "level": AdministrativeUnit.Level.DISTRICT,
                "parent": province,
                "slug": slugify_vi(district_data["name"]),
                **({} if keep_dates else {"valid_to": None if survives else date(2020, 1, 31)}),
            },
        )
        for commune in district_data["communes"]:
            AdministrativeUnit.objects.update_or_create(
                code=commune["code"],
                valid_from__isnull=True,
                defaults={
                    "name": commune["name"],
                    "name_with_type": commune["name_with_type"],
                    "type_label": commune["type_vi"],
                    "level": AdministrativeUnit.Level.COMMUNE,
                    "parent": district,
                    "slug": slugify_vi(commune["name"]),
                    **(
                        {}
                        if keep_dates
                        else {"valid_to": date(2020, 1, 31) if commune["code"] in removed_communes else None}
                    ),
                },
            )
    ky_son = AdministrativeUnit.objects.filter(code=KY_SON_CODE, valid_from__isnull=True).first()
    city = AdministrativeUnit.objects.filter(code=HOA_BINH_CITY_CODE, valid_from__isnull=True).first()
    if ky_son and city and KY_SON_CODE not in codes_2020:
        ky_son.valid_to = date(2020, 1, 31)
        ky_son.merged_into = city
        # Stored data, not interface text: not translated.
        ky_son.change_note = "Sáp nhập vào thành phố Hòa Bình theo Nghị quyết 830/NQ-UBTVQH14 ngày 17/12/2019."
        ky_son.save(update_fields=["valid_to", "merged_into", "change_note"])
    return AdministrativeUnit.objects.count()


# --- Import of schools and libraries ------------------------------------------------------

HEADER_ALIASES = {
    "code": {"ma", "ma don vi", "ma truong", "code"},
    "name": {"ten", "ten don vi", "ten truong", "name"},
    "kind": {"loai", "loai don vi", "kind"},
    "school_level": {"cap hoc", "cap", "level"},
    "district": {"huyen", "huyen/thanh pho", "huyen / thanh pho", "ma huyen", "district"},
    "commune": {"xa", "xa/phuong", "xa / phuong", "ma xa", "commune"},
    "address": {"dia chi", "address"},
    "phone": {"dien thoai", "so dien thoai", "phone"},
    "email": {"email", "thu dien tu"},
}
REQUIRED_COLUMNS = ("code", "name", "kind", "district")
KIND_ALIASES = {
    "truong": Organisation.Kind.SCHOOL,
    "truong hoc": Organisation.Kind.SCHOOL,
    "school": Organisation.Kind.SCHOOL,
    "thu vien": Organisation.Kind.PUBLIC_LIBRARY,
    "thu vien cong cong": Organisation.Kind.PUBLIC_LIBRARY,
    "thu vien huyen": Organisation.Kind.PUBLIC_LIBRARY,
    "public_library": Organisation.Kind.PUBLIC_LIBRARY,
}
LEVEL_ALIASES = (
    {normalise(label): value for value, label in Organisation.SchoolLevel.choices}
    | {value: value for value in Organisation.SchoolLevel.values}
    | {"thcs": "lower_secondary", "thpt": "upper_secondary", "gdtx": "continuing", "lien cap": "multi_level"}
)


@dataclass
class ImportResult:
    errors: list[CellError] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def organisations_import(*, uploaded, filename: str | None = None, by: User | None = None) -> ImportResult:
    """Import schools (each with its school library) and public libraries from .xlsx/.csv.

    Every row is checked first; if any row is wrong nothing is written and the result lists
    each problem with its cell. Existing codes are updated, new ones created.
    """
    result = ImportResult()
    try:
        rows = read_table(uploaded, filename=filename)
    except SpreadsheetError as exc:
        result.errors.append(CellError(row=1, column="", message=str(exc)))
        return result
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    if len(rows) < 2:
        result.errors.append(CellError(row=1, column="", message=_("Tệp không có dòng dữ liệu nào.")))
        return result

    header = [normalise(str(h)) if h is not None else "" for h in rows[0]]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        for key, aliases in HEADER_ALIASES.items():
            if title in aliases and key not in columns:
                columns[key] = index
    for key in REQUIRED_COLUMNS:
        if key not in columns:
            result.errors.append(
                CellError(row=1, column="", message=_("Thiếu cột bắt buộc: %(col)s.") % {"col": _COLUMN_LABELS[key]})
            )
    if result.errors:
        return result

    district_by_key = {}
    for unit in AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT):
        district_by_key[unit.code] = unit
        district_by_key[normalise(unit.name)] = unit
        district_by_key[normalise(unit.name_with_type)] = unit
    communes = {}
    for unit in AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE):
        communes[(unit.parent_id, unit.code)] = unit
        communes[(unit.parent_id, normalise(unit.name))] = unit
        communes[(unit.parent_id, normalise(unit.name_with_type))] = unit

    parsed = []
    seen_codes: dict[str, int] = {}
    for offset, row in enumerate(rows[1:], start=2):

        def cell(key, row=row):
            index = columns.get(key)
            value = row[index] if index is not None and index < len(row) else None
            return "" if value is None else str(value).strip()

        def error(key, message, offset=offset):
            result.errors.append(CellError(row=offset, column=_column_letter(columns[key]), message=message))

        code, name = cell("code"), cell("name")
        if not code:
            error("code", _("Thiếu mã đơn vị."))
        elif code in seen_codes:
            error("code", _("Mã %(code)s trùng với dòng %(row)s.") % {"code": code, "row": seen_codes[code]})
        else:
            seen_codes[code] = offset
        if not name:
            error("name", _("Thiếu tên đơn vị."))
        kind = KIND_ALIASES.get(normalise(cell("kind")))
        if kind is None:
            error(
                "kind", _("Loại đơn vị “%(v)s” không hợp lệ: dùng “Trường học” hoặc “Thư viện”.") % {"v": cell("kind")}
            )
        level = ""
        if kind == Organisation.Kind.SCHOOL:
            level = LEVEL_ALIASES.get(normalise(cell("school_level")), "")
            if not level:
                if "school_level" in columns:
                    error("school_level", _("Cấp học “%(v)s” không hợp lệ.") % {"v": cell("school_level")})
                else:
                    error("kind", _("Trường học cần có cột Cấp học."))
        district = district_by_key.get(normalise(cell("district"))) or district_by_key.get(cell("district"))
        if district is None:
            error("district", _("Không tìm thấy huyện/thành phố “%(v)s”.") % {"v": cell("district")})
        commune = None
        if district is not None and cell("commune"):
            commune = communes.get((district.pk, cell("commune"))) or communes.get(
                (district.pk, normalise(cell("commune")))
            )
            if commune is None:
                error(
                    "commune",
                    _("Không tìm thấy xã/phường “%(v)s” thuộc %(d)s.") % {"v": cell("commune"), "d": district},
                )
        email = cell("email")
        if email and "@" not in email:
            error("email", _("Địa chỉ thư điện tử không hợp lệ."))
        parsed.append(
            {
                "code": code,
                "name": name,
                "kind": kind,
                "school_level": level,
                "district": district,
                "commune": commune,
                "address": cell("address"),
                "phone": cell("phone"),
                "email": email,
            }
        )
    if result.errors:
        return result

    with transaction.atomic():
        _organisations_write(parsed, result, by)
    return result


def _organisations_write(parsed: list[dict], result: ImportResult, by: User | None) -> None:
    """Existing codes updated one by one; new organisations (and new schools' libraries)
    inserted in bulk with their history rows: a country's 45,000 schools in seconds."""
    kinds = Organisation.Kind
    parents: dict = {}
    for org in Organisation.objects.filter(
        kind__in=[kinds.CULTURE_CENTRE, kinds.EDUCATION_OFFICE], district__in={v["district"].pk for v in parsed}
    ).order_by("pk"):
        parents.setdefault((org.kind, org.district_id), org)
    existing = Organisation.objects.in_bulk([v["code"] for v in parsed], field_name="code")
    new = []
    for values in parsed:
        kind = values["kind"]
        parent_kind = kinds.CULTURE_CENTRE if kind == kinds.PUBLIC_LIBRARY else kinds.EDUCATION_OFFICE
        values = {**values, "parent": parents.get((parent_kind, values["district"].pk))}
        org = existing.get(values["code"])
        if org is not None:
            _organisation_upsert(values, result, org=org)
            continue
        org = Organisation(code=values["code"], **_organisation_fields(values))
        # Codes were checked unique in the file and absent from the directory; the check
        # constraints hold for the kinds and levels parsed above, and the database enforces them.
        org.full_clean(validate_unique=False, validate_constraints=False)
        new.append(org)
        result.created += 1
    bulk_create_with_history(new, Organisation, batch_size=2000, default_user=by)
    libraries = [
        Organisation(
            code=f"{school.code}-TV",
            name=f"Thư viện {school.name}",
            kind=kinds.SCHOOL_LIBRARY,
            sector=Organisation.Sector.EDUCATION,
            district=school.district,
            commune=school.commune,
            parent=school,
        )
        for school in new
        if school.kind == kinds.SCHOOL
    ]
    bulk_create_with_history(libraries, Organisation, batch_size=2000, default_user=by)
    versioned.bump_all()  # bulk inserts send no save signals: the cached figures count these schools


def _organisation_fields(values: dict) -> dict:
    kind = values["kind"]
    return {
        "name": values["name"],
        "kind": kind,
        "sector": Organisation.sector_for_kind(kind),
        "school_level": values["school_level"],
        "district": values["district"],
        "commune": values["commune"],
        "address": values["address"],
        "phone": values["phone"],
        "email": values["email"],
        "parent": values["parent"],
    }


_COLUMN_LABELS = {
    "code": "Mã",
    "name": "Tên",
    "kind": "Loại",
    "district": "Huyện/thành phố",
}


def _organisation_upsert(values: dict, result: ImportResult, *, org: Organisation) -> None:
    for key, value in _organisation_fields(values).items():
        setattr(org, key, value)
    result.updated += 1
    org.full_clean()
    org.save()
    if org.kind == Organisation.Kind.SCHOOL:
        school_library_ensure(school=org)


def school_library_ensure(*, school: Organisation) -> Organisation:
    """The school's library, created when missing (named after the school)."""
    library = Organisation.objects.filter(parent=school, kind=Organisation.Kind.SCHOOL_LIBRARY).first()
    name = f"Thư viện {school.name}"  # stored data, always Vietnamese
    if library is None:
        library = Organisation(
            code=f"{school.code}-TV",
            name=name,
            kind=Organisation.Kind.SCHOOL_LIBRARY,
            sector=Organisation.Sector.EDUCATION,
            district=school.district,
            commune=school.commune,
            parent=school,
        )
        library.full_clean()
        library.save()
    elif library.name != name or library.district_id != school.district_id:
        library.name, library.district, library.commune = name, school.district, school.commune
        library.save(update_fields=["name", "district", "commune"])
    return library


def user_upsert(
    *,
    username: str,
    full_name: str,
    role: str,
    organisation: Organisation | None,
    email: str = "",
    position: str = "",
    is_head: bool = False,
    password: str | None = None,
) -> User:
    """Create or update an account with its role's admin access. Idempotent."""
    with transaction.atomic():
        user = User.objects.filter(username__iexact=username).first() or User(username=username)
        user.full_name = full_name
        user.role = role
        user.organisation = organisation
        user.email = email
        user.position = position
        user.is_head = is_head
        if password:
            user.set_password(password)
        elif not user.pk:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        apply_role(user)
        user.save(update_fields=["is_staff"])
    return user


# --- The programme's standing organisations ------------------------------------------------

PROVINCE_ORGANISATIONS = [
    # code, name, short name, kind, sector, parent code
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch tỉnh Hòa Bình", "Sở VHTTDL", "department", "culture", None),
    ("SGDDT", "Sở Giáo dục và Đào tạo tỉnh Hòa Bình", "Sở GD&ĐT", "department", "education", None),
    ("TVT", "Thư viện tỉnh Hòa Bình", "Thư viện tỉnh", "provincial_library", "culture", "SVHTTDL"),
    ("VPSGD", "Văn phòng Sở Giáo dục và Đào tạo", "Văn phòng Sở GD&ĐT", "doet_office", "education", "SGDDT"),
]


def _district_word(district: AdministrativeUnit) -> str:
    return "thành phố" if district.type_label.lower().startswith("thành phố") else "huyện"


@transaction.atomic
def reference_organisations_load() -> int:
    """Create or refresh the departments, focal units and, for every district of the 2019
    list, its three offices and its public library. Kỳ Sơn's close with the district.
    Idempotent; returns the number of organisations touched. Organisations a reorganisation
    closed, renamed or transferred are left as it made them."""
    from .models import OrganisationChange

    changed = set(OrganisationChange.objects.values_list("organisation__code", flat=True))

    def upsert(*, code, defaults):
        if code in changed:
            return Organisation.objects.get(code=code), False
        return Organisation.objects.update_or_create(code=code, defaults=defaults)

    touched = 0
    by_code: dict[str, Organisation] = {}
    for code, name, short, kind, sector, parent_code in PROVINCE_ORGANISATIONS:
        org, _created = upsert(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "sector": sector,
                "parent": by_code.get(parent_code),
            },
        )
        by_code[code] = org
        touched += 1
    for district in AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT).order_by("code"):
        word = _district_word(district)
        offices = [
            ("VHTT", f"Phòng Văn hóa và Thông tin {word} {district.name}", "culture_office", "SVHTTDL"),
            (
                "TTVH",
                f"Trung tâm Văn hóa, Thể thao và Truyền thông {word} {district.name}",
                "culture_centre",
                "SVHTTDL",
            ),
            ("GDDT", f"Phòng Giáo dục và Đào tạo {word} {district.name}", "education_office", "SGDDT"),
        ]
        for prefix, name, kind, parent_code in offices:
            org, _created = upsert(
                code=f"{prefix}-{district.code}",
                defaults={
                    "name": name,
                    "kind": kind,
                    "sector": Organisation.sector_for_kind(kind),
                    "district": district,
                    "parent": by_code[parent_code],
                    "valid_to": district.valid_to,
                },
            )
            by_code[f"{prefix}-{district.code}"] = org
            touched += 1
        upsert(
            code=f"TVH-{district.code}",
            defaults={
                "name": f"Thư viện {word} {district.name}",
                "kind": Organisation.Kind.PUBLIC_LIBRARY,
                "sector": Organisation.Sector.CULTURE,
                "district": district,
                "parent": by_code[f"TTVH-{district.code}"],
                "valid_to": district.valid_to,
            },
        )
        touched += 1
    return touched
