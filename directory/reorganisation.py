"""Administrative reorganisations as reviewed, reversible events.

`reorganisation_plan("phutho-2025")` reads the database and the data shipped in
`directory/data/` and returns every change it would make, without writing anything (what
`manage.py reorganise … --dry-run` prints). `reorganisation_apply(plan=…)` makes those
changes in one transaction and records each as a part of a `Reorganisation`;
`reorganisation_undo(reorganisation=…)` restores the state before it, also in one
transaction.

Nothing filed before the effective date is touched: reports, plans, rotations, nominations,
certificates and history rows keep their organisation. Closed organisations keep their rows
(with `valid_to`), so the directory reads as it stood on any day.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from core import versioned

from .models import (
    AccountMove,
    AdministrativeUnit,
    Organisation,
    OrganisationChange,
    Reorganisation,
    UnitChange,
    UnitSuccession,
    User,
)
from .roles import apply_role
from .services import slugify_vi

DATA_DIR = Path(__file__).resolve().parent / "data"
PHUTHO_2025 = "phutho-2025"
HOA_BINH_PROVINCE_CODE = "17"
# Kinds that carry on inside the new map (schools pass to the commune or the province,
# district libraries to the Provincial Library); the district offices themselves close.
SCHOOL_LEVELS_TO_PROVINCE = ("upper_secondary", "continuing")


@dataclass
class Plan:
    """Every change of one reorganisation, computed from the database without writing."""

    code: str
    title: str
    legal_basis: str
    effective_date: datetime.date
    province: dict = field(default_factory=dict)
    units_created: list[dict] = field(default_factory=list)
    units_closed: list[AdministrativeUnit] = field(default_factory=list)
    successions: list[tuple] = field(default_factory=list)  # (predecessor unit, successor code, note)
    orgs_created: list[dict] = field(default_factory=list)
    orgs_closed: list[tuple] = field(default_factory=list)  # (organisation, [successor org codes])
    orgs_renamed: list[tuple] = field(default_factory=list)  # (organisation, new name)
    orgs_transferred: list[dict] = field(default_factory=list)
    account_moves: list[tuple] = field(default_factory=list)  # (user, org code, role, note)
    periods: list[tuple] = field(default_factory=list)  # (period, [org codes])
    names: dict[str, str] = field(default_factory=dict)  # organisation code → name, for the listing

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    @property
    def last_day_before(self) -> datetime.date:
        return self.effective_date - datetime.timedelta(days=1)

    @property
    def units_by_code(self) -> dict[str, str]:
        return {u["code"]: u["name_with_type"] for u in self.units_created}

    def lines(self) -> list[str]:
        """Every change, one line each, in the order they are applied."""
        day = self.last_day_before.strftime("%d/%m/%Y")
        start = self.effective_date.strftime("%d/%m/%Y")
        out = [
            _("Sắp xếp: %(title)s, có hiệu lực từ %(d)s.") % {"title": self.title, "d": start},
            _("Thành lập đơn vị hành chính: %(name)s (mã %(code)s).")
            % {"name": self.province["name_with_type"], "code": self.province["code"]},
        ]
        out += [
            _("Thành lập đơn vị hành chính: %(name)s (mã %(code)s).") % {"name": u["name_with_type"], "code": u["code"]}
            for u in self.units_created
        ]
        out += [
            _("Chấm dứt đơn vị hành chính từ sau %(d)s: %(name)s (mã %(code)s).")
            % {"d": day, "name": u.name_with_type, "code": u.code}
            for u in self.units_closed
        ]
        out += [
            _("Kế thừa địa bàn: %(old)s → %(new)s. %(note)s") % {"old": p.name_with_type, "new": c, "note": n}
            for p, c, n in self.successions
        ]
        out += [
            _("Thành lập cơ quan: %(name)s (mã %(code)s).") % {"name": o["name"], "code": o["code"]}
            for o in self.orgs_created
        ]
        out += [
            _("Chấm dứt hoạt động từ sau %(d)s: %(name)s; nhiệm vụ chuyển cho %(n)s đơn vị: %(to)s.")
            % {"d": day, "name": o.name, "n": len(codes), "to": "; ".join(self.name(c) for c in codes)}
            for o, codes in self.orgs_closed
        ]
        out += [_("Đổi tên: %(old)s → %(new)s.") % {"old": o.name, "new": new} for o, new in self.orgs_renamed]
        out += [
            _("Chuyển giao: %(name)s → trực thuộc %(parent)s%(commune)s.")
            % {
                "name": t["organisation"].name,
                "parent": self.name(t["parent_code"]),
                "commune": (_(", địa bàn %(c)s") % {"c": self.units_by_code.get(t["commune_code"], "")})
                if t.get("commune_code")
                else "",
            }
            + (f" {t['note']}" if t.get("note") else "")
            for t in self.orgs_transferred
        ]
        out += [
            _("Điều chuyển tài khoản %(user)s: %(old)s → %(new)s.")
            % {"user": u.username, "old": u.organisation, "new": self.name(code)}
            for u, code, _role, _note in self.account_moves
        ]
        out += [
            _("Kỳ báo cáo %(period)s: %(n)s đơn vị phải báo cáo (%(codes)s).")
            % {"period": p, "n": len(codes), "codes": "; ".join(self.name(c) for c in codes)}
            for p, codes in self.periods
        ]
        return out


def _type_label(type_word: str) -> str:
    return type_word[:1].upper() + type_word[1:]


def _bare_name(name_with_type: str, type_word: str) -> str:
    prefix = _type_label(type_word) + " "
    return name_with_type[len(prefix) :] if name_with_type.startswith(prefix) else name_with_type


def _phutho_2025_plan() -> Plan:
    data = json.loads((DATA_DIR / "phutho_2025_units.json").read_text(encoding="utf-8"))
    effective = datetime.date.fromisoformat(data["effective"])
    last = effective - datetime.timedelta(days=1)
    linked = [u for u in data["units"] if u.get("former_hoabinh_district_code")]
    if (len(data["units"]), len(linked)) != (data["counts"]["units"], data["counts"]["in_former_hoabinh"]):
        raise ValidationError(_("Tệp dữ liệu đơn vị hành chính không khớp với số lượng ghi trong tệp."))
    plan = Plan(
        code=PHUTHO_2025,
        # Stored data, not interface text: always Vietnamese.
        title="Hợp nhất tỉnh Hòa Bình, Vĩnh Phúc, Phú Thọ thành tỉnh Phú Thọ; kết thúc cấp huyện",
        legal_basis="\n".join(data["legal_basis"]),
        effective_date=effective,
    )
    province = data["province"]
    plan.province = {
        "code": province["code"],
        "name": _bare_name(province["name"], "tỉnh"),
        "name_with_type": province["name"],
        "type_label": "Tỉnh",
    }
    for unit in data["units"]:
        plan.units_created.append(
            {
                "code": unit["code"],
                "name": _bare_name(unit["name"], unit["type"]),
                "name_with_type": unit["name"],
                "type_label": _type_label(unit["type"]),
                "former_district_code": unit.get("former_hoabinh_district_code"),
                "code_taken_from": unit.get("code_taken_from", ""),
            }
        )
    old_province = AdministrativeUnit.objects.filter(
        code=HOA_BINH_PROVINCE_CODE, level=AdministrativeUnit.Level.PROVINCE, valid_from__isnull=True
    ).first()
    if old_province is None:
        raise ValidationError(_("Chưa có dữ liệu đơn vị hành chính tỉnh Hòa Bình: chạy load_directory trước."))
    live = Q(valid_to__isnull=True) | Q(valid_to__gt=last)
    districts = list(
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT, parent=old_province)
        .filter(live)
        .order_by("code")
    )
    merged_districts = {
        u.code: u
        for u in AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.DISTRICT, parent=old_province, merged_into__isnull=False
        ).select_related("merged_into")
    }
    communes = list(
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE, parent__in=districts)
        .filter(live)
        .order_by("code")
    )
    plan.units_closed = [old_province, *districts, *communes]

    # Territory: district → the new units that kept one of its communes' codes (a commune of
    # Kỳ Sơn counts for Hòa Bình city, which Kỳ Sơn joined in 2020).
    district_by_code = {d.code: d for d in districts}
    successors_of: dict[str, list[dict]] = {d.code: [] for d in districts}
    old_commune_by_code = {
        c.code: c
        for c in AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE, parent__parent=old_province, valid_from__isnull=True
        )
    }
    plan.successions.append((old_province, plan.province["code"], "Hợp nhất vào tỉnh Phú Thọ."))
    for unit in plan.units_created:
        code = unit["former_district_code"]
        if not code:
            continue
        note = f"Mã đơn vị mới là mã của {unit['code_taken_from']} (cũ)."
        if code not in district_by_code and code in merged_districts:
            merged = merged_districts[code]
            note += f" Địa bàn cũ của {merged.name_with_type}, đã sáp nhập vào {merged.merged_into.name_with_type} năm 2020."
            code = merged_districts[code].merged_into.code
        if code not in district_by_code:
            continue
        successors_of[code].append(unit)
        plan.successions.append((district_by_code[code], unit["code"], note))
        old_commune = old_commune_by_code.get(unit["code"])
        if old_commune is not None:
            plan.successions.append((old_commune, unit["code"], "Giữ nguyên mã đơn vị hành chính."))

    def office_code(unit_code: str) -> str:
        return f"VHXH-{unit_code}"

    seat: dict[str, str] = {}
    second: dict[str, str] = {}
    for district in districts:
        units = successors_of[district.code]
        if not units:
            continue
        named = [u for u in units if u["name"] == district.name]
        seat[district.code] = (named or units)[0]["code"]
        others = [u["code"] for u in units if u["code"] != seat[district.code]]
        second[district.code] = others[0] if others else seat[district.code]
        for unit in units:
            plan.orgs_created.append(
                {
                    "code": office_code(unit["code"]),
                    "name": f"Phòng Văn hóa – Xã hội {unit['type_label'].lower()} {unit['name']}",
                    "short_name": f"Phòng VH-XH {unit['name']}",
                    "commune_code": unit["code"],
                }
            )

    offices = Organisation.objects.filter(district__in=districts, kind__in=Organisation.DISTRICT_OFFICE_KINDS).filter(
        live
    )
    offices = list(offices.select_related("district").order_by("district__code", "kind"))
    for office in offices:
        codes = [office_code(u["code"]) for u in successors_of[office.district.code]]
        plan.orgs_closed.append((office, codes))
    closed_ids = {o.pk for o in offices}

    for code, old, new in (
        ("SVHTTDL", "tỉnh Hòa Bình", "tỉnh Phú Thọ"),
        ("SGDDT", "tỉnh Hòa Bình", "tỉnh Phú Thọ"),
        ("TVT", "tỉnh Hòa Bình", "tỉnh Phú Thọ"),
    ):
        org = Organisation.objects.filter(code=code).first()
        if org is not None and old in org.name:
            plan.orgs_renamed.append((org, org.name.replace(old, new)))

    libraries = Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_LIBRARY, district__in=districts).filter(live)
    for library in libraries.select_related("district").order_by("district__code", "code"):
        plan.orgs_transferred.append(
            {
                "organisation": library,
                "parent_code": "TVT",
                "name": f"Thư viện tỉnh Phú Thọ – Chi nhánh {library.district.name}",
                "note": "Thư viện cấp huyện trở thành chi nhánh của Thư viện tỉnh.",
            }
        )
    schools = (
        Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, district__in=districts)
        .filter(live)
        .select_related("district", "commune")
        .prefetch_related("children")
        .order_by("district__code", "code")
    )
    for school in schools:
        district_code = school.district.code
        commune_code = school.commune.code if school.commune_id else None
        if commune_code and any(u["code"] == commune_code for u in successors_of[district_code]):
            note = "Xã/phường mới theo mã xã cũ."
        else:
            commune_code = seat.get(district_code)
            note = "Chưa có xã/phường mới theo mã xã cũ: tạm giao xã/phường trung tâm, cần rà soát."
        if commune_code is None:
            continue
        parent = "SGDDT" if school.school_level in SCHOOL_LEVELS_TO_PROVINCE else office_code(commune_code)
        plan.orgs_transferred.append(
            {"organisation": school, "parent_code": parent, "commune_code": commune_code, "note": note}
        )
        for child in school.children.all():
            plan.orgs_transferred.append(
                {"organisation": child, "parent_code": school.code, "commune_code": commune_code, "note": ""}
            )

    users = (
        User.objects.filter(organisation_id__in=closed_ids, is_active=True)
        .select_related("organisation__district")
        .order_by("username")
    )
    library_of: dict[int, Organisation] = {}  # culture centre → its district library
    for library in libraries:
        library_of.setdefault(library.parent_id, library)
    for user in users:
        office = user.organisation
        if office.kind == Organisation.Kind.CULTURE_CENTRE and office.pk in library_of:
            target, role = library_of[office.pk].code, User.Role.LIBRARY_STAFF
            note = "Cán bộ thư viện của Trung tâm chuyển về chi nhánh Thư viện tỉnh."
        else:
            pick = seat if office.kind == Organisation.Kind.CULTURE_OFFICE else second
            if office.district.code not in pick:
                continue
            target, role = office_code(pick[office.district.code]), user.role
            note = "Chuyển về Phòng Văn hóa – Xã hội cấp xã."
        plan.account_moves.append((user, target, role, note))

    plan.names = {o["code"]: o["name"] for o in plan.orgs_created}
    plan.names.update(
        Organisation.objects.filter(Q(code__in=("TVT", "SGDDT")) | Q(pk__in=[s.pk for s in schools])).values_list(
            "code", "name"
        )
    )
    # The reporting lists are the reports app's; reached through the app registry so that the
    # directory does not import the app built on it.
    ReportingPeriod = apps.get_model("reports", "ReportingPeriod")

    created_codes = {o["code"] for o in plan.orgs_created}
    periods = ReportingPeriod.objects.filter(
        Q(year__gt=effective.year) | Q(year=effective.year, half__gte="H2" if effective.month > 6 else "H1")
    ).order_by("year", "half")
    for period in periods:
        kept = period.required_organisations.exclude(pk__in=closed_ids).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=period.data_end)
        )
        codes = sorted({*kept.values_list("code", flat=True), *created_codes})
        plan.periods.append((period, codes))
    return plan


PLANS = {PHUTHO_2025: _phutho_2025_plan}


def reorganisation_plan(code: str) -> Plan:
    """The plan of a known reorganisation, read from the database without writing.

    Raises ValidationError for an unknown code, one already applied, or missing base data."""
    if code not in PLANS:
        raise ValidationError(_("Không có đợt sắp xếp “%(code)s”.") % {"code": code})
    if Reorganisation.objects.filter(code=code).exists():
        raise ValidationError(_("Đợt sắp xếp “%(code)s” đã được áp dụng.") % {"code": code})
    return PLANS[code]()


def _snapshot(obj, fields: list[str]) -> dict:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return out


def _restore(obj, before: dict) -> None:
    for name, value in before.items():
        if name.startswith("valid_") and value:
            value = datetime.date.fromisoformat(value)
        setattr(obj, name, value)
    obj.save(update_fields=list(before))


@transaction.atomic
def reorganisation_apply(*, plan: Plan, by: User | None = None) -> Reorganisation:
    """Make every change of `plan` and record it. One transaction: on any error nothing is
    written. Returns the recorded reorganisation."""
    # Much of it is written in bulk, past the models' save signals: the cached figures of every
    # app read the directory, so all of them are renewed when the transaction commits.
    versioned.bump_all()
    effective, last = plan.effective_date, plan.last_day_before
    reorg = Reorganisation.objects.create(
        code=plan.code, title=plan.title, legal_basis=plan.legal_basis, effective_date=effective, applied_by=by
    )
    province = AdministrativeUnit(
        level=AdministrativeUnit.Level.PROVINCE,
        slug=slugify_vi(plan.province["name"]),
        valid_from=effective,
        **{k: plan.province[k] for k in ("code", "name", "name_with_type", "type_label")},
    )
    province.full_clean()
    province.save()
    UnitChange.objects.create(reorganisation=reorg, unit=province, action="created", valid_from=effective)
    units = {province.code: province}
    for data in plan.units_created:
        unit = AdministrativeUnit.objects.create(
            code=data["code"],
            name=data["name"],
            name_with_type=data["name_with_type"],
            type_label=data["type_label"],
            level=AdministrativeUnit.Level.COMMUNE,
            parent=province,
            slug=slugify_vi(data["name"]),
            valid_from=effective,
        )
        units[unit.code] = unit
    UnitChange.objects.bulk_create(
        UnitChange(reorganisation=reorg, unit=u, action="created", valid_from=effective)
        for code, u in units.items()
        if code != province.code
    )
    old_province = plan.units_closed[0]
    for unit in plan.units_closed:
        before = _snapshot(unit, ["valid_to", "merged_into_id", "change_note"])
        UnitChange.objects.create(reorganisation=reorg, unit=unit, action="closed", valid_to=last, before=before)
        unit.valid_to = last
        if unit.pk == old_province.pk:
            unit.merged_into = province
            unit.change_note = "Hợp nhất vào tỉnh Phú Thọ theo Nghị quyết 202/2025/QH15 ngày 12/06/2025."
        unit.save(update_fields=["valid_to", "merged_into", "change_note"])
    UnitSuccession.objects.bulk_create(
        UnitSuccession(reorganisation=reorg, predecessor=p, successor=units[c], valid_from=effective, note=n)
        for p, c, n in plan.successions
    )

    orgs: dict[str, Organisation] = {}
    for data in plan.orgs_created:
        org = Organisation(
            code=data["code"],
            name=data["name"],
            short_name=data["short_name"],
            kind=Organisation.Kind.CULTURE_SOCIAL_OFFICE,
            sector=Organisation.Sector.CULTURE,
            commune=units[data["commune_code"]],
            valid_from=effective,
        )
        org.full_clean()
        org.save()
        orgs[org.code] = org
        OrganisationChange.objects.create(
            reorganisation=reorg, organisation=org, action="created", effective_date=effective, new_name=org.name
        )

    def org_by_code(code):
        if code not in orgs:
            orgs[code] = Organisation.objects.get(code=code)
        return orgs[code]

    for org, codes in plan.orgs_closed:
        change = OrganisationChange.objects.create(
            reorganisation=reorg,
            organisation=org,
            action="closed",
            effective_date=effective,
            old_name=org.name,
            before=_snapshot(org, ["valid_to"]),
        )
        change.successors.set([org_by_code(c) for c in codes])
        org.valid_to = last
        org.save(update_fields=["valid_to"])
    for org, new_name in plan.orgs_renamed:
        OrganisationChange.objects.create(
            reorganisation=reorg,
            organisation=org,
            action="renamed",
            effective_date=effective,
            old_name=org.name,
            new_name=new_name,
            before=_snapshot(org, ["name"]),
        )
        org.name = new_name
        org.save(update_fields=["name"])
    for data in plan.orgs_transferred:
        org = data["organisation"]
        parent = org_by_code(data["parent_code"])
        commune = units.get(data.get("commune_code"))
        OrganisationChange.objects.create(
            reorganisation=reorg,
            organisation=org,
            action="transferred",
            effective_date=effective,
            old_name=org.name,
            new_name=data.get("name", org.name),
            old_parent_id=org.parent_id,
            new_parent=parent,
            note=data.get("note", ""),
            before=_snapshot(org, ["name", "parent_id", "commune_id"]),
        )
        org.parent = parent
        org.name = data.get("name", org.name)
        if commune is not None:
            org.commune = commune
        org.save(update_fields=["name", "parent", "commune"])
    for user, code, role, _note in plan.account_moves:
        target = org_by_code(code)
        AccountMove.objects.create(
            reorganisation=reorg,
            user=user,
            from_organisation_id=user.organisation_id,
            to_organisation=target,
            effective_date=effective,
            before=_snapshot(user, ["organisation_id", "role", "position"]),
        )
        user.organisation, user.role = target, role
        user.position = _position_for(target, head=user.is_head)
        apply_role(user)
        user.save(update_fields=["organisation", "role", "position", "is_staff"])
    periods = {}
    for period, codes in plan.periods:
        periods[str(period.pk)] = list(period.required_organisations.values_list("pk", flat=True))
        period.required_organisations.set([org_by_code(c) for c in codes])
    reorg.undo_data = {"periods": periods}
    reorg.save(update_fields=["undo_data"])
    return reorg


def _position_for(org: Organisation, *, head: bool) -> str:
    if org.kind == Organisation.Kind.CULTURE_SOCIAL_OFFICE:
        return "Trưởng phòng Văn hóa – Xã hội" if head else "Chuyên viên Phòng Văn hóa – Xã hội"
    return "Phụ trách chi nhánh thư viện" if head else "Cán bộ thư viện"


@transaction.atomic
def reorganisation_undo(*, reorganisation: Reorganisation) -> None:
    """Restore the state before `reorganisation` and delete its record.

    Raises ValidationError (and changes nothing) when something was filed since under an
    organisation or unit it created — e.g. a commune's report — since undoing it would lose
    that record."""
    versioned.bump_all()  # as in reorganisation_apply
    ReportingPeriod = apps.get_model("reports", "ReportingPeriod")

    for pk, org_ids in reorganisation.undo_data.get("periods", {}).items():
        period = ReportingPeriod.objects.filter(pk=int(pk)).first()
        if period is not None:
            period.required_organisations.set(org_ids)
    for move in reorganisation.account_moves.select_related("user"):
        user = move.user
        _restore(user, move.before)
        apply_role(user)
        user.save(update_fields=["is_staff"])
    created = []
    for change in reorganisation.organisation_changes.select_related("organisation").order_by("-pk"):
        if change.action == OrganisationChange.Action.CREATED:
            created.append(change.organisation)
        else:
            _restore(change.organisation, change.before)
    reorganisation.account_moves.all().delete()
    reorganisation.organisation_changes.all().delete()
    try:
        for org in created:
            org.delete()
        reorganisation.successions.all().delete()
        created_units = []
        for change in reorganisation.unit_changes.select_related("unit"):
            if change.action == UnitChange.Action.CREATED:
                created_units.append(change.unit)
            else:
                _restore(change.unit, change.before)
        reorganisation.unit_changes.all().delete()
        for unit in sorted(created_units, key=lambda u: u.level == AdministrativeUnit.Level.PROVINCE):
            unit.delete()
    except ProtectedError as exc:
        names = ", ".join(sorted({str(o) for o in list(exc.protected_objects)[:3]}))
        raise ValidationError(
            _("Không thể hoàn tác: đã có dữ liệu gắn với đơn vị mới thành lập (%(names)s).") % {"names": names}
        ) from None
    reorganisation.delete()
