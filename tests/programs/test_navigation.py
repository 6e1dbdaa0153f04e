import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import AnnualPlan
from programs.services import plan_submit

from .factories import ActivityFactory, MeetingFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(thuvien):
    plan = PlanFactory(created_by=thuvien, title="Kế hoạch chờ duyệt")
    ActivityFactory(plan=plan)
    return plan_submit(plan=plan, by=thuvien)


def test_leadership_home_shows_the_plan_awaiting_them_first(
    client, submitted, giamdoc_vhttdl, django_assert_max_num_queries
):
    client.force_login(giamdoc_vhttdl)
    # The deadlines panel asks six more providers, the reports panel counts completeness in SQL;
    # tests/core/test_query_counts.py checks the count does not grow with the districts.
    with django_assert_max_num_queries(47):
        html = client.get(reverse("core:home")).content.decode()
    assert "Kế hoạch chờ Giám đốc phê duyệt" in html
    assert html.index("Kế hoạch chờ Giám đốc phê duyệt") < html.index("Mức độ thực hiện chương trình")
    assert "Kế hoạch chờ duyệt" in html
    assert reverse("programs:coverage") in html


def test_focal_home_shows_returned_plan_and_upcoming_meeting(client, thuvien):
    plan = PlanFactory(created_by=thuvien, title="Kế hoạch bị trả lại", return_comment="Bổ sung kinh phí")
    MeetingFactory(created_by=thuvien, title="Họp trao đổi thông tin cuối năm")
    client.force_login(thuvien)
    html = client.get(reverse("core:home")).content.decode()
    assert plan.title in html and "Bổ sung kinh phí" in html
    assert "Họp trao đổi thông tin cuối năm" in html


def test_district_officer_home_shows_local_plan_status(client, thuvien, gddt_lac_son):
    PlanFactory(created_by=thuvien, status=AnnualPlan.Status.IN_FORCE, year=timezone.localdate().year)
    client.force_login(gddt_lac_son)
    html = client.get(reverse("core:home")).content.decode()
    assert "Đơn vị chưa lập kế hoạch triển khai" in html


def test_nav_items_badge_counts_plans_awaiting_the_director(client, submitted, giamdoc_sgddt, gddt_lac_son):
    client.force_login(giamdoc_sgddt)
    html = client.get(reverse("programs:plan-list")).content.decode()
    assert 'Kế hoạch năm <span class="badge rounded-pill text-bg-warning">1</span>' in html
    from django.test import RequestFactory

    from core.navigation import nav_items

    request = RequestFactory().get("/")
    request.user = giamdoc_sgddt
    items = {i.label: i for i in nav_items(request)}
    assert items["Chương trình"].badge == 1
    request.user = gddt_lac_son
    labels = [c.label for i in nav_items(request) for c in i.children]
    assert "Đề xuất, kiến nghị" not in labels and "Kế hoạch địa phương" in labels
