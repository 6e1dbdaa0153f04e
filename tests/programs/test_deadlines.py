from datetime import timedelta

import pytest
from django.utils import timezone

from core.deadlines import DeadlineKind, collect_deadlines
from programs.deadlines import deadlines
from programs.models import AnnualPlan, Inspection, Recommendation
from programs.services import plan_decide, plan_submit
from tests.conftest import org
from tests.factories import UserFactory

from .factories import ActionItemFactory, ActivityFactory, MeetingFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _window(days=30):
    now = timezone.now()
    return {"start": now - timedelta(days=days), "end": now + timedelta(days=days)}


def test_meeting_reaches_participants_and_focal_officers(thuvien, vanphong, giamdoc_sgddt, gddt_lac_son):
    meeting = MeetingFactory(created_by=thuvien)
    meeting.participants.set([giamdoc_sgddt, gddt_lac_son])
    found = [d for d in deadlines(**_window()) if d.kind == DeadlineKind.MEETING]
    assert len(found) == 1
    d = found[0]
    assert d.key == f"programs.meeting:{meeting.pk}" and d.due_at == meeting.starts_at
    assert set(d.recipients) == {thuvien.pk, vanphong.pk, giamdoc_sgddt.pk, gddt_lac_son.pk}
    assert d.location == meeting.location and d.ends_at == meeting.ends_at
    assert d.url == f"/programs/meetings/{meeting.pk}/"
    meeting.cancelled = True
    meeting.save()
    assert not [d for d in deadlines(**_window()) if d.kind == DeadlineKind.MEETING]


def test_open_action_items_go_to_owner_or_owner_office_and_escalate_to_focal(thuvien, gddt_lac_son):
    head = UserFactory(organisation=org("GDDT-157"), is_head=True)
    owned = ActionItemFactory(meeting=MeetingFactory(created_by=thuvien), owner=gddt_lac_son)
    office = ActionItemFactory(meeting=owned.meeting)
    ActionItemFactory(meeting=owned.meeting, done=True, done_at=timezone.now())
    found = {d.key: d for d in collect_deadlines(**_window()) if d.kind == DeadlineKind.ACTION_ITEM}
    assert set(found) == {f"programs.actionitem:{owned.pk}", f"programs.actionitem:{office.pk}"}
    assert found[f"programs.actionitem:{owned.pk}"].recipients == (gddt_lac_son.pk,)
    assert set(found[f"programs.actionitem:{office.pk}"].recipients) == {gddt_lac_son.pk, head.pk}
    assert found[f"programs.actionitem:{owned.pk}"].escalate_to == (thuvien.pk,)
    local_due = timezone.localtime(found[f"programs.actionitem:{owned.pk}"].due_at)
    assert local_due.date() == owned.due_date and local_due.hour == 17


def test_inspection_recommendations_not_done(thuvien, vhtt_lac_son):
    from tests.factories import district

    inspection = Inspection.objects.create(
        programme=MeetingFactory(created_by=thuvien).programme,
        title="Kiểm tra tại Lạc Sơn",
        date=timezone.localdate(),
        district=district("157"),
        team="Thư viện tỉnh",
        created_by=thuvien,
    )
    rec = Recommendation.objects.create(
        inspection=inspection, text="Bổ sung sách", owner_organisation=org("VHTT-157"), due_date=timezone.localdate()
    )
    Recommendation.objects.create(
        inspection=inspection,
        text="Đã xong",
        owner_organisation=org("VHTT-157"),
        due_date=timezone.localdate(),
        status="done",
    )
    found = [d for d in deadlines(**_window()) if d.kind == DeadlineKind.INSPECTION_FOLLOWUP]
    assert [d.key for d in found] == [f"programs.recommendation:{rec.pk}"]
    assert found[0].recipients == (vhtt_lac_son.pk,) and thuvien.pk in found[0].escalate_to


def test_plan_awaiting_each_director_until_they_decide(thuvien, giamdoc_vhttdl, giamdoc_sgddt):
    plan = PlanFactory(created_by=thuvien)
    ActivityFactory(plan=plan)
    plan_submit(plan=plan, by=thuvien)
    found = {d.key: d for d in deadlines(**_window()) if d.kind == DeadlineKind.PLAN_APPROVAL}
    assert {d.recipients for d in found.values()} == {(giamdoc_vhttdl.pk,), (giamdoc_sgddt.pk,)}
    plan_decide(plan=plan, approve=True, by=giamdoc_vhttdl)
    found = [d for d in deadlines(**_window()) if d.kind == DeadlineKind.PLAN_APPROVAL]
    assert [d.recipients for d in found] == [(giamdoc_sgddt.pk,)]
    plan_decide(plan=plan, approve=True, by=giamdoc_sgddt)
    assert AnnualPlan.objects.get().status == "in_force"
    assert not [d for d in deadlines(**_window()) if d.kind == DeadlineKind.PLAN_APPROVAL]


def test_deadlines_outside_the_window_are_left_out(thuvien):
    MeetingFactory(
        created_by=thuvien,
        starts_at=timezone.now() + timedelta(days=90),
        ends_at=timezone.now() + timedelta(days=90, hours=2),
    )
    assert not list(deadlines(**_window(10)))


def test_home_deadlines_are_titled_in_the_language_of_the_page(client, thuvien, giamdoc_sgddt):
    plan = PlanFactory(created_by=thuvien, title="Kế hoạch năm 2027")
    ActivityFactory(plan=plan)
    plan_submit(plan=plan, by=thuvien)
    client.force_login(giamdoc_sgddt)
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Plan awaiting approval: Kế hoạch năm 2027" in english
    # Within the five minutes the deadlines are cached, a Vietnamese page still reads Vietnamese.
    vietnamese = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Kế hoạch chờ phê duyệt: Kế hoạch năm 2027" in vietnamese
    assert "Plan awaiting approval" not in vietnamese
