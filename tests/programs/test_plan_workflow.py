"""Each transition of the annual plan and each refused one, with its message."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from programs.models import AnnualPlan, PlanActivity, PlanDecision
from programs.services import (
    activity_save,
    plan_close,
    plan_create,
    plan_decide,
    plan_revise,
    plan_submit,
    progress_add,
)
from tests.conftest import org

from .factories import current_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def draft(thuvien, year):
    programme = current_programme(year)
    plan = plan_create(programme=programme, year=year, title=f"Kế hoạch năm {year}", by=thuvien)
    activity_save(
        plan=plan,
        by=thuvien,
        title="Luân chuyển sách tới trường học",
        commitments=programme.commitments.filter(code__in=["IV.2.b", "IV.1.b"]),
        lead_unit=org("TVT"),
        partner_units=[org("VPSGD")],
        start_date=date(year, 2, 1),
        end_date=date(year, 11, 30),
        target_value=500,
        target_unit="cuốn sách",
        funding_side="docst",
    )
    return plan


def test_happy_path_return_fix_and_approval_by_both(draft, thuvien, giamdoc_vhttdl, giamdoc_sgddt, year):
    plan = plan_submit(plan=draft, by=thuvien)
    assert plan.status == AnnualPlan.Status.SUBMITTED and plan.submission_round == 1
    plan = plan_decide(plan=plan, approve=True, by=giamdoc_vhttdl)
    assert plan.status == AnnualPlan.Status.SUBMITTED, "one Director is not enough"
    plan = plan_decide(plan=plan, approve=False, comment="Bổ sung chỉ tiêu ngoại khóa.", by=giamdoc_sgddt)
    assert plan.status == AnnualPlan.Status.DRAFT
    assert plan.return_comment == "Bổ sung chỉ tiêu ngoại khóa."
    activity = plan.activities.get()
    activity_save(
        plan=plan,
        activity=activity,
        by=thuvien,
        title=activity.title,
        commitments=activity.commitments.all(),
        lead_unit=activity.lead_unit,
        start_date=activity.start_date,
        end_date=activity.end_date,
        target_value=600,
        target_unit="cuốn sách",
    )
    plan = plan_submit(plan=plan, by=thuvien)
    assert plan.submission_round == 2
    plan = plan_decide(plan=plan, approve=True, by=giamdoc_sgddt)
    plan = plan_decide(plan=plan, approve=True, by=giamdoc_vhttdl, comment="Đồng ý.")
    assert plan.status == AnnualPlan.Status.IN_FORCE and plan.in_force_at
    assert plan.return_comment == ""
    decisions = list(
        plan.decisions.order_by("submission_round", "decided_at").values_list("submission_round", "decision")
    )
    assert decisions == [(1, "approved"), (1, "returned"), (2, "approved"), (2, "approved")]


def test_submit_refused_to_a_director_and_to_a_district_officer(draft, giamdoc_vhttdl, gddt_lac_son):
    for user in (giamdoc_vhttdl, gddt_lac_son):
        with pytest.raises(PermissionDenied, match="cán bộ đầu mối"):
            plan_submit(plan=draft, by=user)


def test_submit_refused_without_activities(thuvien, year):
    plan = plan_create(programme=current_programme(year), year=year, title="Trống", by=thuvien)
    with pytest.raises(ValidationError, match="chưa có hoạt động"):
        plan_submit(plan=plan, by=thuvien)


def test_submit_refused_twice(draft, thuvien):
    plan_submit(plan=draft, by=thuvien)
    with pytest.raises(ValidationError, match="dự thảo"):
        plan_submit(plan=draft, by=thuvien)


def test_decision_refused_to_focal_officer_and_to_district_officer(draft, thuvien, gddt_lac_son):
    plan_submit(plan=draft, by=thuvien)
    for user in (thuvien, gddt_lac_son):
        with pytest.raises(PermissionDenied, match="Giám đốc"):
            plan_decide(plan=draft, approve=True, by=user)
    assert not PlanDecision.objects.exists()


def test_decision_refused_on_a_draft(draft, giamdoc_vhttdl):
    with pytest.raises(ValidationError, match="chờ phê duyệt"):
        plan_decide(plan=draft, approve=True, by=giamdoc_vhttdl)


def test_a_department_decides_once_per_submission(draft, thuvien, giamdoc_vhttdl):
    plan_submit(plan=draft, by=thuvien)
    plan_decide(plan=draft, approve=True, by=giamdoc_vhttdl)
    with pytest.raises(ValidationError, match="đã cho ý kiến"):
        plan_decide(plan=draft, approve=True, by=giamdoc_vhttdl)


def test_return_needs_a_comment(draft, thuvien, giamdoc_sgddt):
    plan_submit(plan=draft, by=thuvien)
    with pytest.raises(ValidationError, match="ghi rõ ý kiến"):
        plan_decide(plan=draft, approve=False, comment="  ", by=giamdoc_sgddt)
    draft.refresh_from_db()
    assert draft.status == AnnualPlan.Status.SUBMITTED


def test_leadership_outside_the_two_departments_cannot_decide(draft, thuvien):
    from tests.factories import UserFactory

    other = UserFactory(role="leadership", organisation=org("TVT"))
    plan_submit(plan=draft, by=thuvien)
    with pytest.raises(PermissionDenied):
        plan_decide(plan=draft, approve=True, by=other)


def _approve(plan, thuvien, d1, d2):
    plan_submit(plan=plan, by=thuvien)
    plan_decide(plan=plan, approve=True, by=d1)
    return plan_decide(plan=plan, approve=True, by=d2)


def test_an_approved_plan_does_not_change_silently(draft, thuvien, giamdoc_vhttdl, giamdoc_sgddt, year):
    plan = _approve(draft, thuvien, giamdoc_vhttdl, giamdoc_sgddt)
    activity = plan.activities.get()
    with pytest.raises(ValidationError, match="bản điều chỉnh"):
        activity_save(
            plan=plan,
            activity=activity,
            by=thuvien,
            title="Đổi tên",
            commitments=activity.commitments.all(),
            lead_unit=activity.lead_unit,
            start_date=activity.start_date,
            end_date=activity.end_date,
        )
    activity.refresh_from_db()
    assert activity.title == "Luân chuyển sách tới trường học"


def test_revision_needs_approval_again_and_then_supersedes(draft, thuvien, giamdoc_vhttdl, giamdoc_sgddt, year):
    plan = _approve(draft, thuvien, giamdoc_vhttdl, giamdoc_sgddt)
    revision = plan_revise(plan=plan, reason="Bổ sung hoạt động ngoại khóa", by=thuvien)
    assert revision.status == AnnualPlan.Status.DRAFT and revision.revision == 1
    old_activity = plan.activities.get()
    new_activity = revision.activities.get()
    assert new_activity.revision_of == old_activity
    assert set(new_activity.commitments.all()) == set(old_activity.commitments.all())
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.IN_FORCE, "the approved plan stays in force meanwhile"
    with pytest.raises(ValidationError, match="chưa được phê duyệt"):
        plan_revise(plan=plan, reason="Lần nữa", by=thuvien)
    _approve(revision, thuvien, giamdoc_sgddt, giamdoc_vhttdl)
    plan.refresh_from_db()
    revision.refresh_from_db()
    assert (plan.status, revision.status) == (AnnualPlan.Status.SUPERSEDED, AnnualPlan.Status.IN_FORCE)


def test_revise_refused_on_a_draft_and_without_reason(draft, thuvien, giamdoc_vhttdl, giamdoc_sgddt):
    with pytest.raises(ValidationError, match="đang thực hiện"):
        plan_revise(plan=draft, reason="x", by=thuvien)
    plan = _approve(draft, thuvien, giamdoc_vhttdl, giamdoc_sgddt)
    with pytest.raises(ValidationError, match="lý do"):
        plan_revise(plan=plan, reason="", by=thuvien)


def test_close_by_annual_review(draft, thuvien, giamdoc_vhttdl, giamdoc_sgddt):
    with pytest.raises(ValidationError, match="đang thực hiện"):
        plan_close(plan=draft, by=thuvien)
    plan = _approve(draft, thuvien, giamdoc_vhttdl, giamdoc_sgddt)
    with pytest.raises(PermissionDenied):
        plan_close(plan=plan, by=giamdoc_vhttdl)
    plan = plan_close(plan=plan, by=thuvien)
    assert plan.status == AnnualPlan.Status.CLOSED


def test_activity_must_serve_a_commitment_and_fit_the_year(draft, thuvien, year):
    common = {"plan": draft, "by": thuvien, "title": "X", "lead_unit": org("TVT")}
    with pytest.raises(ValidationError, match="ít nhất một nội dung"):
        activity_save(commitments=[], start_date=date(year, 1, 1), end_date=date(year, 2, 1), **common)
    with pytest.raises(ValidationError, match="trong năm"):
        activity_save(
            commitments=draft.programme.commitments.all()[:1],
            start_date=date(year - 1, 1, 1),
            end_date=date(year, 2, 1),
            **common,
        )
    assert draft.activities.count() == 1


def test_only_one_plan_per_year(draft, thuvien, year):
    with pytest.raises(ValidationError, match="Đã có kế hoạch"):
        plan_create(programme=draft.programme, year=year, title="Thêm", by=thuvien)


def test_progress_only_in_force_and_by_focal_or_lead_unit(
    draft, thuvien, vanphong, gddt_lac_son, giamdoc_vhttdl, giamdoc_sgddt
):
    activity = draft.activities.get()
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="đang thực hiện"):
        progress_add(activity=activity, narrative="x", reported_on=today, percent=10, by=thuvien)
    _approve(draft, thuvien, giamdoc_vhttdl, giamdoc_sgddt)
    with pytest.raises(PermissionDenied, match="đơn vị chủ trì"):
        progress_add(activity=activity, narrative="x", reported_on=today, percent=10, by=gddt_lac_son)
    with pytest.raises(ValidationError, match="tỷ lệ"):
        progress_add(activity=activity, narrative="x", reported_on=today, by=vanphong)
    progress_add(activity=activity, narrative="Đã luân chuyển", reported_on=today, achieved_value=600, by=vanphong)
    activity.refresh_from_db()
    assert activity.status == PlanActivity.Status.DONE, "reaching the target completes the activity"
