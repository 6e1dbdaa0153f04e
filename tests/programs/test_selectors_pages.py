"""What the programs pages show, built without a request (programs.presenters) and the reads
behind them (programs.selectors): who is offered which step, and what lies outside a scope."""

import pytest
from django.http import Http404
from django.utils import timezone

from programs import presenters, selectors
from programs.models import AnnualPlan, Inspection, LocalPlan, Meeting, Recommendation
from tests.conftest import org
from tests.programs.factories import ActionItemFactory, ActivityFactory, MeetingFactory, PlanFactory, current_programme


def _in_force_plan(thuvien):
    return PlanFactory(status=AnnualPlan.Status.IN_FORCE, created_by=thuvien, in_force_at=timezone.now())


def test_a_district_office_may_start_its_local_plan_once(gddt_lac_son, thuvien, tv_lac_son):
    plan = _in_force_plan(thuvien)
    page = presenters.local_plan_list_page(gddt_lac_son, None)
    assert page["can_start"] and page["current_plan"] == plan
    assert not presenters.local_plan_list_page(tv_lac_son, None)["can_start"]  # a library is no district office
    LocalPlan.objects.create(plan=plan, organisation=org("GDDT-157"), title="KH Lạc Sơn", created_by=gddt_lac_son)
    assert not presenters.local_plan_list_page(gddt_lac_son, None)["can_start"]
    assert selectors.own_local_plan(gddt_lac_son, plan.year).title == "KH Lạc Sơn"
    assert selectors.own_local_plan(thuvien, plan.year) is None


def test_meeting_page_offers_minutes_to_focal_officers_and_closing_to_item_owners(thuvien, gddt_lac_son):
    item = ActionItemFactory(meeting__created_by=thuvien)
    other = ActionItemFactory(meeting=item.meeting, owner_organisation=org("GDDT-156"))
    focal = presenters.meeting_page(thuvien, item.meeting)
    assert focal["is_focal"] and focal["minutes_form"] is not None and focal["action_form"] is not None
    assert not focal["can_record_minutes"]  # the meeting is in five days
    assert {a.pk: a.can_close for a in focal["actions"]} == {item.pk: True, other.pk: True}
    district = presenters.meeting_page(gddt_lac_son, item.meeting)
    assert district["minutes_form"] is None and district["action_form"] is None
    assert {a.pk: a.can_close for a in district["actions"]} == {item.pk: True, other.pk: False}


def test_action_items_of_meetings_outside_the_scope_are_not_found(thuvien, gddt_lac_son, outsider):
    item = ActionItemFactory(meeting__created_by=thuvien)
    item.meeting.participant_organisations.add(org("GDDT-157"))
    assert selectors.get_action_item_for_user(thuvien, item.pk) == item
    assert selectors.get_action_item_for_user(gddt_lac_son, item.pk) == item
    with pytest.raises(Http404):
        selectors.get_action_item_for_user(outsider, item.pk)  # Mai Châu takes no part
    with pytest.raises(Http404):
        selectors.get_action_item_for_user(gddt_lac_son, "x")


def test_plan_activities_are_found_through_the_plans(thuvien):
    activity = ActivityFactory(plan__created_by=thuvien)
    assert selectors.get_plan_activity_for_user(thuvien, activity.pk) == activity
    for unknown in (activity.pk + 1, "x"):
        with pytest.raises(Http404):
            selectors.get_plan_activity_for_user(thuvien, unknown)
    page = presenters.activity_page(thuvien, activity)
    assert page["plan"] == activity.plan and not page["can_report"]  # the plan is still a draft


def test_inspection_page_marks_who_may_report_on_each_recommendation(thuvien, gddt_lac_son, gddt_mai_chau):
    inspection = Inspection.objects.create(
        programme=current_programme(),
        title="Kiểm tra Lạc Sơn",
        date=timezone.localdate(),
        district=org("GDDT-157").district,
        team="Đoàn",
        created_by=thuvien,
    )
    rec = Recommendation.objects.create(
        inspection=inspection, text="Bổ sung sách", owner_organisation=org("GDDT-157"), due_date=inspection.date
    )
    district = presenters.inspection_page(gddt_lac_son, inspection)
    assert [r.can_update for r in district["recommendations"]] == [True]
    assert district["recommendation_form"] is None
    focal = presenters.inspection_page(thuvien, inspection)
    assert focal["recommendation_form"].initial["due_date"] == inspection.date + timezone.timedelta(days=30)
    assert selectors.get_recommendation_for_user(gddt_lac_son, rec.pk) == rec
    with pytest.raises(Http404):
        selectors.get_recommendation_for_user(gddt_mai_chau, rec.pk)


def test_plan_close_finds_the_years_final_review(thuvien):
    plan = _in_force_plan(thuvien)
    assert selectors.final_review_meeting(plan) is None
    review = MeetingFactory(
        created_by=thuvien,
        programme=plan.programme,
        kind=Meeting.Kind.FINAL_REVIEW,
        starts_at=timezone.make_aware(timezone.datetime(plan.year, 12, 10, 8)),
        ends_at=timezone.make_aware(timezone.datetime(plan.year, 12, 10, 11)),
    )
    assert selectors.final_review_meeting(plan) == review
    assert selectors.plan_years() == [plan.year]
    assert list(selectors.plans_in_preparation()) == []


def test_amendment_starts_from_the_chosen_commitment(db):
    programme = current_programme()
    commitment = programme.commitments.order_by("position").first()
    assert presenters.amendment_initial(programme, commitment.pk) == {"commitment": commitment, "text": commitment.text}
    assert presenters.amendment_initial(programme, None) == {}


def test_pilot_level_names():
    assert presenters.pilot_level_label("primary")
    assert presenters.pilot_level_label("university") is None
