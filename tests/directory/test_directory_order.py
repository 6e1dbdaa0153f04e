"""The directory lists organisations by district code, kind and name, those without a
district last, reading one page at a time; the district filter takes a code or a name."""

import pytest
from django.urls import reverse

from directory import filters
from directory.models import AdministrativeUnit, Organisation
from directory.selectors import DirectoryOrder, organisations_for_user
from tests.factories import SchoolFactory


def expected(qs):
    placed = list(qs.filter(district__isnull=False).order_by("district__code", "kind", "name", "pk"))
    return placed + list(qs.filter(district__isnull=True).order_by("kind", "name", "pk"))


@pytest.mark.parametrize("size", [7, 30, 100])
def test_pages_put_together_are_the_whole_list_in_directory_order(thuvien, size):
    SchoolFactory.create_batch(5)
    qs = organisations_for_user(thuvien)
    rows = DirectoryOrder(qs)
    assert rows.count() == qs.count() == len(rows)
    unplaced = qs.filter(district__isnull=True).count()
    assert unplaced > 0
    pages = [rows[i : i + size] for i in range(0, rows.count(), size)]
    # A page may straddle the last districted rows and the province-level ones.
    assert [o.pk for page in pages for o in page] == [o.pk for o in expected(qs)]
    assert rows[rows.count() - 1].district_id is None
    with pytest.raises(IndexError):
        rows[rows.count()]


def test_the_page_shows_organisations_without_a_district_after_every_district(client, thuvien):
    client.force_login(thuvien)
    total = organisations_for_user(thuvien).count()
    last = (total - 1) // 30 + 1
    response = client.get(reverse("directory:organisation-list"), {"page": last})
    shown = list(response.context["page"])
    assert shown[-1].district_id is None
    assert f"{total} đơn vị" in response.content.decode()


def test_the_district_filter_takes_a_code_or_a_name_without_accents(client, thuvien):
    client.force_login(thuvien)
    url = reverse("directory:organisation-list")
    lac_son = AdministrativeUnit.objects.get(level="district", name="Lạc Sơn")
    by_code = client.get(url, {"district": lac_son.code}).context["page"]
    by_name = client.get(url, {"district": "lac son"}).context["page"]
    assert [o.pk for o in by_code] == [o.pk for o in by_name]
    assert by_code.paginator.count == Organisation.objects.filter(district=lac_son).count() > 0
    assert {o.district_id for o in by_code} == {lac_son.pk}
    response = client.get(url, {"district": "khong co huyen nay"})
    assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_a_province_chooses_its_district_from_a_list_a_country_types_it(client, thuvien, monkeypatch):
    client.force_login(thuvien)
    url = reverse("directory:organisation-list")
    body = client.get(url).content.decode()
    assert '<select name="district"' in body
    assert ">Huyện Lạc Sơn</option>" in body
    monkeypatch.setattr(filters, "DISTRICT_SELECT_LIMIT", 5)
    body = client.get(url, {"district": "lac son"}).content.decode()
    assert '<select name="district"' not in body
    assert 'type="search" name="district" value="lac son"' in body
    assert "Huyện Lạc Sơn</option>" not in body


def test_the_api_lists_organisations_in_the_same_order_and_filters_by_name(client, thuvien):
    client.force_login(thuvien)
    data = client.get("/api/v1/organisations/", {"page_size": 500}).json()
    qs = organisations_for_user(thuvien)
    assert data["count"] == qs.count()
    assert [o["code"] for o in data["results"]] == [o.code for o in expected(qs)][:500]
    lac_son = AdministrativeUnit.objects.get(level="district", name="Lạc Sơn")
    named = client.get("/api/v1/organisations/", {"district": "Lạc Sơn"}).json()
    assert named["count"] == Organisation.objects.filter(district=lac_son).count()
    assert client.get("/api/v1/organisations/", {"district": "nowhere"}).status_code == 400
