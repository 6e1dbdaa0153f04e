"""`manage.py reorganise phutho-2025`: the 2025 merger into Phú Thọ as a reviewed, reversible event."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from directory import selectors
from directory.models import AdministrativeUnit, Organisation, OrganisationChange, Reorganisation, User
from directory.reorganisation import reorganisation_apply, reorganisation_plan, reorganisation_undo
from directory.services import school_library_ensure
from reports import services as report_services
from tests.conftest import org
from tests.factories import UserFactory
from tests.reports.factories import filled_report, period

from .reorg_helpers import row_counts, table_rows

LAST_DAY = datetime.date(2025, 6, 30)
FIRST_DAY = datetime.date(2025, 7, 1)


@pytest.fixture
def world(db, vhtt_lac_son, gddt_mai_chau, tv_lac_son):
    """A 2024 H1 period with submitted district reports and a 2025 H2 period already opened,
    a Lạc Sơn school in the commune whose code the new Xã Lạc Sơn kept."""
    vu_ban = AdministrativeUnit.objects.get(code="05266", valid_from__isnull=True)
    school = Organisation.objects.get(code="TH-157-T1")
    school.commune = vu_ban
    school.save(update_fields=["commune"])
    school_library_ensure(school=school)
    h1 = period(2024, "H1")
    filled_report(h1, vhtt_lac_son.organisation, vhtt_lac_son, submit=True)
    filled_report(h1, gddt_mai_chau.organisation, gddt_mai_chau, submit=True)
    h2_2025 = period(2025, "H2")
    return {"h1": h1, "h2_2025": h2_2025, "school": school}


def test_dry_run_prints_every_change_and_writes_nothing(world, capsys):
    before = row_counts()
    call_command("reorganise", "phutho-2025", "--dry-run")
    out = capsys.readouterr().out
    assert row_counts() == before
    assert "Thành lập đơn vị hành chính: Tỉnh Phú Thọ (mã 25)." in out
    assert "Chấm dứt hoạt động từ sau 30/06/2025: Phòng Văn hóa và Thông tin huyện Lạc Sơn" in out
    assert "Điều chuyển tài khoản vhtt.lac-son: Phòng Văn hóa và Thông tin huyện Lạc Sơn → " in out
    assert "Phòng Văn hóa – Xã hội xã Lạc Sơn" in out
    assert "Dry run" in out and "nothing written" in out


def test_apply_creates_the_new_map_and_closes_the_districts(world):
    call_command("reorganise", "phutho-2025", "--apply")
    phu_tho = AdministrativeUnit.objects.get(code="25")
    assert phu_tho.valid_from == FIRST_DAY
    assert phu_tho.children.filter(level="commune").count() == 148
    hoa_binh = AdministrativeUnit.objects.get(code="17")
    assert (hoa_binh.valid_to, hoa_binh.merged_into) == (LAST_DAY, phu_tho)

    lac_son = AdministrativeUnit.objects.get(code="157")
    assert lac_son.valid_to == LAST_DAY
    successors = set(lac_son.successor_links.values_list("successor__name_with_type", flat=True))
    assert len(successors) == 8 and "Xã Lạc Sơn" in successors and "Xã Mường Vang" in successors
    # Kỳ Sơn's communes count for Hòa Bình city, which Kỳ Sơn joined in 2020.
    city = AdministrativeUnit.objects.get(code="148")
    assert "Phường Kỳ Sơn" in set(city.successor_links.values_list("successor__name_with_type", flat=True))
    assert city.successor_links.count() == 5

    offices = Organisation.objects.filter(kind=Organisation.Kind.CULTURE_SOCIAL_OFFICE)
    assert offices.count() == 46
    office = offices.get(commune__code="05266", commune__valid_from=FIRST_DAY)
    assert office.name == "Phòng Văn hóa – Xã hội xã Lạc Sơn"
    for code in ("VHTT-157", "TTVH-157", "GDDT-157"):
        closed = Organisation.objects.get(code=code)
        assert closed.valid_to == LAST_DAY
        change = closed.changes.get(action=OrganisationChange.Action.CLOSED)
        assert office in change.successors.all() and change.successors.count() == 8

    library = Organisation.objects.get(code="TVH-157")
    assert library.parent.code == "TVT" and library.name == "Thư viện tỉnh Phú Thọ – Chi nhánh Lạc Sơn"
    school = world["school"]
    school.refresh_from_db()
    assert school.parent == office and school.commune.code == "05266" and school.district.code == "157"

    # The periods from 2025 H2 are reported by the communes.
    assert set(world["h2_2025"].required_organisations.values_list("kind", flat=True)) == {"culture_social_office"}
    assert world["h2_2025"].required_organisations.count() == 46
    assert world["h1"].required_organisations.filter(code="VHTT-157").exists()


def test_accounts_move_with_their_history(world, vhtt_lac_son):
    call_command("reorganise", "phutho-2025", "--apply")
    vhtt_lac_son.refresh_from_db()
    assert vhtt_lac_son.organisation.code == "VHXH-05266"
    assert vhtt_lac_son.history.order_by("history_date")[0].organisation_id == org("VHTT-157").pk
    move = vhtt_lac_son.moves.get()
    assert (move.from_organisation.code, move.effective_date) == ("VHTT-157", FIRST_DAY)
    assert User.objects.get(username="tv.lac-son").organisation.kind == Organisation.Kind.SCHOOL_LIBRARY


def test_directory_reads_as_of_a_day(world):
    call_command("reorganise", "phutho-2025", "--apply")
    assert selectors.province_on(datetime.date(2024, 6, 30)).code == "17"
    assert selectors.province_on(datetime.date(2026, 6, 30)).name == "Phú Thọ"
    assert selectors.units_on(datetime.date(2024, 6, 30), level="district").count() == 10
    assert selectors.units_on(datetime.date(2026, 6, 30), level="district").count() == 0
    department = org("SVHTTDL")
    assert department.name == "Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ"
    assert selectors.organisation_name_on(department, LAST_DAY) == "Sở Văn hóa, Thể thao và Du lịch tỉnh Hòa Bình"
    assert selectors.organisation_name_on(department, FIRST_DAY) == department.name
    assert selectors.organisation_name_on(org("TVH-157"), datetime.date(2024, 12, 31)) == "Thư viện huyện Lạc Sơn"
    on_2024 = selectors.organisations_on(datetime.date(2024, 12, 31))
    assert on_2024.filter(code="VHTT-157").exists() and not on_2024.filter(code="VHXH-05266").exists()
    on_2026 = selectors.organisations_on(datetime.date(2026, 1, 1))
    assert not on_2026.filter(code="VHTT-157").exists() and on_2026.filter(code="VHXH-05266").exists()


def test_apply_is_one_transaction(world):
    before = row_counts()
    plan = reorganisation_plan("phutho-2025")
    user = User.objects.get(username="vhtt.lac-son")
    plan.account_moves.append((user, "NO-SUCH-OFFICE", user.role, ""))  # fails after everything else
    with pytest.raises(Organisation.DoesNotExist):
        reorganisation_apply(plan=plan)
    assert row_counts() == before


def test_undo_restores_the_previous_state(world, capsys):
    before = table_rows()
    call_command("reorganise", "phutho-2025", "--apply")
    assert table_rows() != before
    call_command("reorganise", "phutho-2025", "--undo")
    assert "undone" in capsys.readouterr().out
    assert table_rows() == before
    # And it can be applied again.
    call_command("reorganise", "phutho-2025", "--apply")
    assert Reorganisation.objects.get().organisation_changes.filter(action="created").count() == 46


def test_undo_refuses_and_changes_nothing_once_a_commune_has_filed(world):
    call_command("reorganise", "phutho-2025", "--apply")
    officer = UserFactory(username="vhxh.lac-son", organisation=org("VHXH-05266"))
    report_services.report_start(period=world["h2_2025"], organisation=officer.organisation, by=officer)
    before = table_rows()
    with pytest.raises(ValidationError, match="Không thể hoàn tác"):
        reorganisation_undo(reorganisation=Reorganisation.objects.get())
    assert table_rows() == before


def test_apply_twice_or_undo_without_apply_is_refused(world):
    with pytest.raises(CommandError, match="nothing to undo"):
        call_command("reorganise", "phutho-2025", "--undo")
    call_command("reorganise", "phutho-2025", "--apply")
    with pytest.raises(CommandError, match="đã được áp dụng"):
        call_command("reorganise", "phutho-2025", "--apply")


def test_reloading_the_directory_keeps_the_reorganisation(world):
    call_command("reorganise", "phutho-2025", "--apply")
    call_command("load_directory")
    assert AdministrativeUnit.objects.get(code="157").valid_to == LAST_DAY
    assert org("TVT").name == "Thư viện tỉnh Phú Thọ"
    assert org("VHTT-157").valid_to == LAST_DAY


def test_a_commune_officer_sees_their_commune_and_not_another(world):
    call_command("reorganise", "phutho-2025", "--apply")
    officer = User.objects.get(username="vhtt.lac-son")
    visible = selectors.scope_queryset(officer, Organisation.objects.all(), org_field="")
    assert set(visible.values_list("code", flat=True)) == {"VHXH-05266", "TH-157-T1", "TH-157-T1-TV"}
    mai_chau = User.objects.get(username="gddt.mai-chau")
    assert mai_chau.organisation.commune.name == "Tân Mai"
    assert not selectors.scope_queryset(mai_chau, Organisation.objects.filter(code="TH-157-T1"), org_field="").exists()
    assert selectors.predecessor_organisation_ids(officer.organisation) == {
        org(c).pk for c in ("VHTT-157", "TTVH-157", "GDDT-157")
    }


def test_seed_demo_refuses_over_a_reorganised_directory(world, vhtt_lac_son):
    call_command("reorganise", "phutho-2025", "--apply")
    with pytest.raises(CommandError, match="--undo"):
        call_command("seed_demo", "--force")
    vhtt_lac_son.refresh_from_db()
    assert vhtt_lac_son.organisation.code == "VHXH-05266"


def test_cached_completeness_follows_the_reorganisation(world):
    """The completeness figures are cached; the reorganisation, written largely in bulk, still
    renews them: the 2025 H2 period is counted by the communes that report from then on."""
    from reports import selectors as report_selectors

    h2 = world["h2_2025"]
    before = report_selectors.completeness_summary(h2)
    call_command("reorganise", "phutho-2025", "--apply")
    after = report_selectors.completeness_summary(h2)
    fresh = report_selectors._completeness_summary(h2, None)
    assert after.unit_codes != before.unit_codes
    assert sorted(after.unit_codes.values()) == sorted(fresh.unit_codes.values())
    assert after.total.expected == fresh.total.expected
