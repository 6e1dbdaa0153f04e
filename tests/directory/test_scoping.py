"""What each role may see: one selector decides, every view obeys it."""

import pytest
from django.urls import reverse

from directory.models import Organisation
from directory.selectors import organisations_for_user, organisations_search, scope_queryset
from tests.conftest import org
from tests.factories import SchoolFactory


def detail(organisation):
    return reverse("directory:organisation-detail", args=[organisation.pk])


def test_district_officer_sees_own_district_and_province_contacts_only(gddt_lac_son):
    visible = organisations_for_user(gddt_lac_son)
    assert visible.filter(code="GDDT-157").exists()
    assert visible.filter(code="TVT").exists()  # the focal units are everyone's contacts
    assert not visible.filter(code="GDDT-156").exists()
    assert not visible.exclude(district__isnull=True).exclude(district__code="157").exists()


def test_focal_officer_and_leadership_see_every_organisation(thuvien, giamdoc_sgddt):
    total = Organisation.objects.count()
    assert organisations_for_user(thuvien).count() == total
    assert organisations_for_user(giamdoc_sgddt).count() == total


def test_school_librarian_sees_only_their_school_and_its_library(tv_lac_son, lac_son_school):
    other_school = SchoolFactory(district=lac_son_school.district)
    scoped = scope_queryset(tv_lac_son, Organisation.objects.all(), org_field="")
    assert set(scoped.values_list("kind", flat=True)) == {"school", "school_library"}
    assert scoped.filter(pk=lac_son_school.pk).exists()
    assert not scoped.filter(pk=other_school.pk).exists()


def test_a_deactivated_account_sees_nothing(gddt_lac_son):
    gddt_lac_son.is_active = False
    assert not organisations_for_user(gddt_lac_son).exists()


def test_an_account_must_belong_to_an_organisation_unless_it_administers(db):
    from django.db import IntegrityError, transaction

    from tests.factories import UserFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role="district_officer", organisation=None)


def test_officer_of_one_district_gets_404_for_another_districts_organisation(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    assert client.get(detail(org("GDDT-156"))).status_code == 404
    assert client.get(detail(org("TVH-148"))).status_code == 404


def test_officer_opens_own_districts_organisation(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    response = client.get(detail(org("VHTT-157")))
    assert response.status_code == 200
    assert "Phòng Văn hóa và Thông tin huyện Lạc Sơn" in response.content.decode()


def test_school_librarian_gets_404_for_another_school(client, tv_lac_son):
    other = SchoolFactory(district=org("GDDT-157").district)
    client.force_login(tv_lac_son)
    assert client.get(detail(other)).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(detail(org("TVT")))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_detail_refuses_post(client, thuvien):
    client.force_login(thuvien)
    assert client.post(detail(org("TVT"))).status_code == 405


def test_unknown_or_malformed_ids_are_404(client, thuvien):
    client.force_login(thuvien)
    assert client.get("/directory/organisations/999999/").status_code == 404
    assert client.get("/directory/organisations/abc/").status_code == 404


@pytest.mark.parametrize("query", ["lac son", "LẠC SƠN", "Lac Son", "lạc sơn"])
def test_search_is_accent_insensitive(thuvien, query):
    names = list(organisations_search(thuvien, query).values_list("name", flat=True))
    assert "Phòng Giáo dục và Đào tạo huyện Lạc Sơn" in names
    assert all("Lạc Sơn" in name or "Lạc Sơn" in org_district for name, org_district in _with_district(names))


def _with_district(names):
    for o in Organisation.objects.filter(name__in=names).select_related("district"):
        yield o.name, o.district.name if o.district else ""


def test_search_d_with_stroke_matches_plain_d(thuvien):
    names = list(organisations_search(thuvien, "da bac").values_list("name", flat=True))
    assert "Phòng Giáo dục và Đào tạo huyện Đà Bắc" in names


def test_list_is_scoped_and_filters_bad_parameters_with_a_message(client, gddt_lac_son):
    client.force_login(gddt_lac_son)
    response = client.get(reverse("directory:organisation-list"), {"district": "not-a-number"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bộ lọc không hợp lệ" in body
    assert "huyện Mai Châu" not in body
    assert "huyện Lạc Sơn" in body


def test_list_runs_a_bounded_number_of_queries(client, thuvien, django_assert_max_num_queries):
    client.force_login(thuvien)
    url = reverse("directory:organisation-list")
    with django_assert_max_num_queries(12):
        client.get(url)
    SchoolFactory.create_batch(40)
    with django_assert_max_num_queries(12):
        client.get(url)
