"""Local plans across the 2025 reorganisation: a commune officer reads the former district
offices' plans as history, cannot edit them, and never sees another district's."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from directory.models import User
from programs.models import AnnualPlan
from programs.services import local_plan_create
from tests.programs.factories import ActivityFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_commune_officer_reads_the_former_district_plan_but_cannot_edit_it(
    client, thuvien, gddt_lac_son, gddt_mai_chau
):
    plan = PlanFactory(created_by=thuvien, status=AnnualPlan.Status.IN_FORCE)
    activity = ActivityFactory(plan=plan)
    lac_son = local_plan_create(plan=plan, by=gddt_lac_son)
    mai_chau = local_plan_create(plan=plan, by=gddt_mai_chau)
    call_command("reorganise", "phutho-2025", "--apply")
    officer = User.objects.get(pk=gddt_lac_son.pk)
    assert officer.organisation.code == "VHXH-05287"  # Xã Mường Vang
    client.force_login(officer)

    page = client.get(reverse("programs:local-plan-detail", args=[lac_son.pk]))
    assert page.status_code == 200
    listing = client.get(reverse("programs:local-plan-list")).content.decode()
    assert "Phòng Giáo dục và Đào tạo huyện Lạc Sơn" in listing and "huyện Mai Châu" not in listing
    add = reverse("programs:local-activity-add", args=[lac_son.pk])
    data = {"provincial_activity": activity.pk, "title": "Sửa lịch sử", "start_date": f"{plan.year}-03-01"}
    assert client.post(add, data).status_code == 403
    assert not lac_son.activities.exists()
    assert client.get(reverse("programs:local-plan-detail", args=[mai_chau.pk])).status_code == 404
    lac_son.refresh_from_db()
    assert lac_son.organisation.code == "GDDT-157"
