from datetime import date

from directory.models import AdministrativeUnit, Organisation
from directory.selectors import districts
from directory.services import reference_organisations_load, units_load


def test_hoa_binh_has_its_eleven_2019_districts_with_official_codes(db):
    codes = list(districts().values_list("code", flat=True))
    assert codes == ["148", "150", "151", "152", "153", "154", "155", "156", "157", "158", "159"]
    assert AdministrativeUnit.objects.get(code="157").name == "Lạc Sơn"
    assert AdministrativeUnit.objects.filter(level="commune").count() == 210


def test_ky_son_is_recorded_as_merged_into_hoa_binh_city_in_2020(db):
    ky_son = AdministrativeUnit.objects.get(code="151")
    assert ky_son.merged_into.code == "148"
    assert ky_son.valid_to < date(2020, 12, 31)
    assert ky_son.is_valid_on(date(2019, 6, 1))
    assert not ky_son.is_valid_on(date(2021, 1, 1))
    assert "151" in districts(on=date(2019, 6, 1)).values_list("code", flat=True)
    assert "151" not in districts(on=date(2021, 1, 1)).values_list("code", flat=True)


def test_every_district_has_its_three_offices_and_library_and_ky_son_s_are_closed(db):
    for district in districts():
        kinds = set(Organisation.objects.filter(district=district).values_list("kind", flat=True))
        assert {"culture_office", "culture_centre", "education_office", "public_library"} <= kinds
    assert all(o.valid_to is not None for o in Organisation.objects.filter(district__code="151"))
    assert Organisation.objects.get(code="TVT").is_focal_unit
    assert Organisation.objects.get(code="VPSGD").is_focal_unit


def test_loading_twice_changes_nothing(db):
    units_before = AdministrativeUnit.objects.count()
    orgs_before = Organisation.objects.count()
    units_load()
    reference_organisations_load()
    assert AdministrativeUnit.objects.count() == units_before
    assert Organisation.objects.count() == orgs_before
