"""The directory's role predicates (directory.access) and the province-wide scope test
(directory.selectors.sees_whole_province) that gates the province-wide pages."""

from directory.access import is_district_office_member, is_province_manager
from directory.selectors import sees_whole_province


def test_province_wide_pages_are_for_province_wide_roles(thuvien, giamdoc_sgddt, gddt_lac_son, tv_lac_son):
    assert sees_whole_province(thuvien) and sees_whole_province(giamdoc_sgddt)
    assert not sees_whole_province(gddt_lac_son)
    assert not sees_whole_province(tv_lac_son)


def test_province_managers_run_the_programme_leadership_reads(thuvien, giamdoc_sgddt, gddt_lac_son):
    assert is_province_manager(thuvien)
    assert not is_province_manager(giamdoc_sgddt)
    assert not is_province_manager(gddt_lac_son)
    assert is_district_office_member(gddt_lac_son) and not is_district_office_member(thuvien)
