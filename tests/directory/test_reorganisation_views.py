"""The focal officers' page of a reorganisation: what changed and who reports now."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import org
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DETAIL = reverse("directory:reorganisation-detail", args=["phutho-2025"])
LIST = reverse("directory:reorganisation-list")


def test_before_any_reorganisation_the_list_says_the_districts_stand(client, thuvien):
    client.force_login(thuvien)
    page = client.get(LIST).content.decode()
    assert "Chưa có đợt sắp xếp nào được áp dụng" in page
    assert client.get(DETAIL).status_code == 404


def test_focal_officer_sees_what_changed_and_who_reports_now(client, thuvien, vhtt_lac_son, gddt_mai_chau):
    call_command("reorganise", "phutho-2025", "--apply")
    client.force_login(thuvien)
    listing = client.get(LIST).content.decode()
    assert "Hợp nhất tỉnh Hòa Bình, Vĩnh Phúc, Phú Thọ thành tỉnh Phú Thọ" in listing and "01/07/2025" in listing
    assert 'data-testid="reorganisations-link"' in client.get(reverse("directory:organisation-list")).content.decode()
    page = client.get(DETAIL).content.decode()
    lac_son = page.split('data-district="157"')[1].split("</section>")[0]
    assert "Huyện Lạc Sơn" in lac_son and "8 xã, phường kế thừa" in lac_son
    assert "Phòng Văn hóa – Xã hội xã Lạc Sơn" in lac_son and "vhtt.lac-son" in lac_son
    assert "Phòng Giáo dục và Đào tạo huyện Lạc Sơn" in lac_son  # closed, named
    assert "Thư viện tỉnh Hòa Bình → " in page and "Thư viện tỉnh Phú Thọ – Chi nhánh Lạc Sơn" in page
    assert "gddt.mai-chau" in page.split('data-testid="moves"')[1]
    assert ">46<" in page  # communes reporting


def test_page_runs_a_bounded_number_of_queries(client, thuvien, django_assert_max_num_queries):
    call_command("reorganise", "phutho-2025", "--apply")
    client.force_login(thuvien)
    counts = []
    for extra in (1, 15):
        for _ in range(extra):
            UserFactory(organisation=org("VHXH-05266"))
        with django_assert_max_num_queries(20) as ctx:
            response = client.get(DETAIL)
        assert response.status_code == 200
        assert "Huyện Lạc Sơn" in response.content.decode()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("url", [LIST, DETAIL])
def test_district_officers_are_refused_and_the_page_only_reads(client, gddt_lac_son, thuvien, url):
    call_command("reorganise", "phutho-2025", "--apply")
    assert client.get(url).status_code == 302  # anonymous → sign in
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 403
    client.force_login(thuvien)
    assert client.post(url).status_code == 405


def test_organisation_pages_tell_their_reorganisation(client, thuvien, vhtt_lac_son):
    call_command("reorganise", "phutho-2025", "--apply")
    client.force_login(thuvien)
    closed = client.get(reverse("directory:organisation-detail", args=[org("VHTT-157").pk])).content.decode()
    assert "Hoạt động đến 30/06/2025" in closed and "Nhiệm vụ chuyển cho:" in closed
    assert "Phòng Văn hóa – Xã hội xã Lạc Sơn" in closed
    branch = client.get(reverse("directory:organisation-detail", args=[org("TVH-157").pk])).content.decode()
    assert "Tên trước đó: Thư viện huyện Lạc Sơn" in branch
    commune = client.get(reverse("directory:organisation-detail", args=[org("VHXH-05266").pk])).content.decode()
    assert "Tiếp nhận nhiệm vụ của:" in commune and "Phòng Giáo dục và Đào tạo huyện Lạc Sơn" in commune
    assert "Xã Lạc Sơn" in commune and "Cấp tỉnh" not in commune
    # The commune officer sees their own office the same way.
    client.force_login(vhtt_lac_son)
    assert client.get(reverse("directory:organisation-detail", args=[org("VHXH-05266").pk])).status_code == 200
