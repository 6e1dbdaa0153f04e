"""Local plans reviewed by the focal unit of their sector: acknowledged, or returned with a
comment and sent again; a due date set on the provincial plan; coverage shows each office."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from programs.models import AnnualPlan, LocalPlan
from programs.selectors import local_plan_coverage
from programs.services import (
    local_activity_save,
    local_plan_create,
    local_plan_review,
    local_plan_submit,
    plan_set_local_plans_due,
)

from .factories import ActivityFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(thuvien):
    plan = PlanFactory(created_by=thuvien, status=AnnualPlan.Status.IN_FORCE)
    ActivityFactory(plan=plan)
    return plan


def _submitted(plan, by):
    local = local_plan_create(plan=plan, by=by)
    local_activity_save(
        local_plan=local,
        by=by,
        provincial_activity=plan.activities.get(),
        title="Tập huấn nhân viên thư viện trường học",
        start_date=date(plan.year, 3, 1),
        end_date=date(plan.year, 5, 31),
    )
    return local_plan_submit(local_plan=local, by=by)


def test_the_sectors_focal_unit_acknowledges_and_the_other_cannot(plan, gddt_lac_son, thuvien, vanphong):
    local = _submitted(plan, gddt_lac_son)
    with pytest.raises(PermissionDenied):
        local_plan_review(local_plan=local, acknowledge=True, by=thuvien)  # culture's focal unit
    with pytest.raises(PermissionDenied):
        local_plan_review(local_plan=local, acknowledge=True, by=gddt_lac_son)
    local = local_plan_review(local_plan=local, acknowledge=True, by=vanphong)
    assert local.status == LocalPlan.Status.ACKNOWLEDGED and local.reviewed_by == vanphong
    with pytest.raises(ValidationError, match="chờ tiếp nhận"):
        local_plan_review(local_plan=local, acknowledge=True, by=vanphong)


def test_a_return_needs_a_comment_and_the_office_sends_again(plan, vhtt_lac_son, thuvien):
    local = _submitted(plan, vhtt_lac_son)
    with pytest.raises(ValidationError, match="ghi rõ"):
        local_plan_review(local_plan=local, acknowledge=False, comment="", by=thuvien)
    assert LocalPlan.objects.get().status == LocalPlan.Status.SUBMITTED
    local = local_plan_review(
        local_plan=local, acknowledge=False, comment="Bổ sung kế hoạch luân chuyển sách quý III.", by=thuvien
    )
    assert local.status == LocalPlan.Status.RETURNED
    local = local_plan_submit(local_plan=local, by=vhtt_lac_son)
    assert local.status == LocalPlan.Status.SUBMITTED


def test_due_date_within_the_plans_year(plan, thuvien, gddt_lac_son):
    with pytest.raises(PermissionDenied):
        plan_set_local_plans_due(plan=plan, due_date=date(plan.year, 2, 28), by=gddt_lac_son)
    with pytest.raises(ValidationError, match="nằm trong năm"):
        plan_set_local_plans_due(plan=plan, due_date=date(plan.year + 1, 2, 28), by=thuvien)
    assert plan_set_local_plans_due(plan=plan, due_date=date(plan.year, 2, 28), by=thuvien).local_plans_due


def test_coverage_shows_every_office_with_its_local_plan_state(plan, gddt_lac_son, client, thuvien):
    _submitted(plan, gddt_lac_son)
    districts = local_plan_coverage(plan)
    cells = {c.organisation.code: c for d in districts for c in d.cells}
    assert cells["GDDT-157"].local_plan.status == "submitted"
    assert cells["VHTT-157"].local_plan is None
    client.force_login(thuvien)
    page = client.get(reverse("programs:coverage") + f"?year={plan.year}").content.decode()
    assert 'data-office="GDDT-157"' in page and "Chưa có kế hoạch" in page


def test_review_view(client, plan, gddt_lac_son, vanphong, thuvien):
    local = _submitted(plan, gddt_lac_son)
    url = reverse("programs:local-plan-review", args=[local.pk])
    client.force_login(thuvien)
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(vanphong)
    assert client.get(url).status_code == 405
    detail = client.get(reverse("programs:local-plan-detail", args=[local.pk])).content.decode()
    assert 'data-testid="local-review-form"' in detail
    response = client.post(url, {"decision": "return", "comment": "Thiếu hoạt động cho học kỳ II."}, follow=True)
    page = response.content.decode()
    assert "Đã trả lại kế hoạch" in page and "Thiếu hoạt động cho học kỳ II." in page
    client.force_login(gddt_lac_son)
    page = client.get(reverse("programs:local-plan-detail", args=[local.pk])).content.decode()
    assert "Gửi lại hai Sở" in page
