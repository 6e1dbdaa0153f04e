"""The reminder kinds added for the programme's remaining workflows, each on a frozen clock:
the right people are reminded, once (a second sweep sends nothing more)."""

import datetime as dt

import pytest
import time_machine

from notifications.models import Reminder, ReminderRule
from notifications.services import reminders_sweep
from programs.models import AnnualPlan, ProgrammeAmendment, Proposal
from programs.services import (
    amendment_agree,
    amendment_propose,
    local_activity_save,
    local_plan_create,
    local_plan_submit,
)
from tests.conftest import org
from tests.factories import UserFactory
from tests.notifications.factories import local
from tests.programs.factories import ActivityFactory, PlanFactory, programme_2019
from tests.reports.factories import filled_report, period
from tests.training.factories import CourseFactory, SessionFactory, StaffFactory, school_in
from training import services as training
from training.models import Nomination

pytestmark = pytest.mark.django_db


def _reminded(kind, **filters):
    return set(Reminder.objects.filter(kind=kind, **filters).values_list("recipient__username", flat=True))


def _sweep_twice(at):
    """The sweep at `at`, then a second beat a quarter of an hour later: it must add nothing."""
    first = reminders_sweep(now=at)
    again = reminders_sweep(now=at + dt.timedelta(minutes=15))
    assert again.reminders == 0, "a reminder was decided twice"
    return first


def test_local_plan_due_reminds_offices_that_have_not_sent_and_escalates_to_heads(thuvien, gddt_lac_son, gddt_mai_chau):
    head = UserFactory(username="gddt.mai-chau.truong", organisation=org("GDDT-156"), is_head=True)
    plan = PlanFactory(programme=programme_2019(), year=2026, created_by=thuvien, status=AnnualPlan.Status.IN_FORCE)
    plan.local_plans_due = dt.date(2026, 3, 31)
    plan.save()
    ActivityFactory(plan=plan)
    local_plan = local_plan_create(plan=plan, by=gddt_lac_son)
    local_activity_save(
        local_plan=local_plan,
        by=gddt_lac_son,
        provincial_activity=plan.activities.get(),
        title="Tập huấn thư viện trường học",
        start_date=dt.date(2026, 4, 1),
        end_date=dt.date(2026, 5, 1),
    )
    local_plan_submit(local_plan=local_plan, by=gddt_lac_son)
    _sweep_twice(local(2026, 3, 28, 8, 0))  # three days before
    assert _reminded("local_plan_due") == {"gddt.mai-chau"}, "Lạc Sơn has sent its plan"
    _sweep_twice(local(2026, 4, 1, 8, 0))  # one day late
    assert _reminded("local_plan_due", offset_days=1, escalation=True) == {"gddt.mai-chau.truong"}
    assert head.is_head


def test_proposal_awaiting_a_response_reminds_the_proposing_unit(thuvien, vanphong):
    Proposal.objects.create(
        programme=programme_2019(),
        title="Đề nghị bổ sung kinh phí mua sách cho thư viện trường học vùng khó khăn",
        content="…",
        organisation=org("TVT"),
        status=Proposal.Status.SENT,
        sent_on=dt.date(2026, 5, 4),
    )
    answered = Proposal.objects.create(
        programme=programme_2019(),
        title="Đề nghị đã được trả lời",
        content="…",
        organisation=org("TVT"),
        status=Proposal.Status.ACCEPTED,
        sent_on=dt.date(2026, 5, 4),
    )
    _sweep_twice(local(2026, 6, 2, 8, 0))  # 29 days: not yet
    assert _reminded("proposal_response") == set()
    _sweep_twice(local(2026, 6, 3, 17, 30))  # 30 days after sending
    assert _reminded("proposal_response") == {"thuvien"}
    assert not Reminder.objects.filter(deadline_key=f"programs.proposal:{answered.pk}").exists()


def test_amendment_awaiting_a_director_reminds_only_the_one_who_has_not_agreed(thuvien, giamdoc_vhttdl, giamdoc_sgddt):
    programme = programme_2019()
    with time_machine.travel(local(2026, 9, 1, 9, 0), tick=False):
        amendment = amendment_propose(
            programme=programme,
            commitment=programme.commitments.get(code="VI"),
            code="VI",
            text="Kinh phí do hai Sở cùng bố trí hằng năm.",
            reason="Điều chỉnh kinh phí",
            by=thuvien,
        )
        amendment_agree(amendment=amendment, by=giamdoc_vhttdl)
    _sweep_twice(local(2026, 9, 7, 8, 0))  # one day before the seven days are up
    assert _reminded("amendment_agreement") == {"giamdoc.sgddt"}
    _sweep_twice(local(2026, 9, 9, 8, 0))  # overdue: the focal officers are told too
    assert _reminded("amendment_agreement", offset_days=1) == {"giamdoc.sgddt", "thuvien"}
    amendment_agree(amendment=ProgrammeAmendment.objects.get(), by=giamdoc_sgddt)
    assert reminders_sweep(now=local(2026, 9, 15, 8, 0)).reminders == 0


def test_submitted_report_not_reviewed_reminds_the_sectors_focal_officers(
    gddt_lac_son, vanphong, thuvien, monkeypatch, settings
):
    monkeypatch.setattr("reports.services._external_figures", lambda *a, **k: {})
    settings.REPORT_REVIEW_DAYS = 5
    with time_machine.travel(local(2026, 6, 10, 10, 0), tick=False):
        p = period(2026, "H1", due_date=dt.date(2026, 6, 19))
        filled_report(p, org("GDDT-157"), gddt_lac_son, submit=True)
    _sweep_twice(local(2026, 6, 14, 8, 0))  # four days: still fine
    assert _reminded("report_review") == set()
    _sweep_twice(local(2026, 6, 15, 10, 30))  # five days
    assert _reminded("report_review") == {"vanphong"}, "education's focal officer, not culture's"


def test_certificate_expiring_in_30_days_reminds_the_nominating_office(gddt_mai_chau, thuvien):
    with time_machine.travel(local(2025, 6, 1, 9, 0), tick=False):
        course = CourseFactory(title="Tập huấn nghiệp vụ 2025", capacity=5, certificate_validity_months=12)
        session = SessionFactory(course=course, date=dt.date(2025, 5, 29))
        staff = StaffFactory(full_name="Hà Thị Nguyệt", school=school_in("156"))
        nomination = training.nomination_create(course=course, staff=staff, by=gddt_mai_chau)
        training.nomination_approve(nomination=nomination, by=thuvien)
        training.attendance_mark(session=session, nomination=nomination, present=True, by=thuvien)
        training.course_finish(course=course, by=thuvien)
    certificate = Nomination.objects.get(pk=nomination.pk).certificate
    assert certificate.valid_until == dt.date(2026, 6, 1)
    _sweep_twice(local(2026, 4, 25, 8, 0))  # 37 days before: nothing
    assert _reminded("certificate_expiry") == set()
    _sweep_twice(local(2026, 5, 2, 8, 0))  # 30 days before
    assert _reminded("certificate_expiry") == {"gddt.mai-chau"}
    assert Reminder.objects.filter(kind="certificate_expiry").count() == 1


def test_nomination_reminders_only_to_offices_that_have_not_nominated_and_none_after(
    gddt_lac_son, gddt_mai_chau, thuvien
):
    with time_machine.travel(local(2026, 3, 1, 9, 0), tick=False):
        course = CourseFactory(nomination_deadline=dt.date(2026, 3, 20), capacity=10)
        training.nomination_create(course=course, staff=StaffFactory(school=school_in("157")), by=gddt_lac_son)
    _sweep_twice(local(2026, 3, 17, 8, 0))
    assert _reminded("nomination_deadline") == {"gddt.mai-chau"}, "Lạc Sơn has nominated"
    before = Reminder.objects.filter(kind="nomination_deadline").count()
    ReminderRule.objects.update_or_create(kind="nomination_deadline", defaults={"offsets": "-3, 0, 1, 7"})
    for day in (21, 22, 27):  # after the deadline nothing goes out, even if an admin adds offsets
        reminders_sweep(now=local(2026, 3, day, 8, 0))
    assert Reminder.objects.filter(kind="nomination_deadline").count() == before
