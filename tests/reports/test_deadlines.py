import datetime
from zoneinfo import ZoneInfo

import pytest

from core.deadlines import DeadlineKind, collect_deadlines
from reports.deadlines import deadlines
from tests.conftest import org
from tests.factories import UserFactory

from .factories import filled_report, period

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _window(p):
    day = datetime.datetime.combine(p.due_date, datetime.time(0, 0), tzinfo=HCM)
    return {"start": day - datetime.timedelta(days=30), "end": day + datetime.timedelta(days=1)}


def test_only_organisations_that_have_not_submitted_are_reminded(gddt_lac_son, thuvien, vanphong):
    offices = [org("GDDT-157"), org("GDDT-156"), org("GDDT-155")]
    p = period(2026, "H1", organisations=offices, due_date=datetime.date(2026, 6, 19))
    filled_report(p, offices[0], gddt_lac_son, submit=True)
    mai_chau = UserFactory(organisation=offices[1])
    head = UserFactory(organisation=offices[1], is_head=True)
    UserFactory(organisation=offices[1], is_active=False)

    found = list(deadlines(**_window(p)))

    assert sorted(d.extra["organisation_id"] for d in found) == sorted([offices[1].pk, offices[2].pk])
    reminder = next(d for d in found if d.extra["organisation_id"] == offices[1].pk)
    assert reminder.kind == DeadlineKind.REPORT_DUE
    assert reminder.due_at == datetime.datetime(2026, 6, 19, 17, 0, tzinfo=HCM)
    assert set(reminder.recipients) == {mai_chau.pk, head.pk}
    assert head.pk in reminder.escalate_to and vanphong.pk in reminder.escalate_to
    assert thuvien.pk not in reminder.escalate_to and mai_chau.pk not in reminder.escalate_to
    assert "Phòng Giáo dục và Đào tạo huyện Mai Châu" in reminder.title


def test_a_draft_or_returned_report_is_still_due_and_links_to_the_report(gddt_lac_son):
    p = period(2026, "H1", organisations=[org("GDDT-157")], due_date=datetime.date(2026, 6, 19))
    report = filled_report(p, org("GDDT-157"), gddt_lac_son)
    (found,) = deadlines(**_window(p))
    assert found.url == f"/reports/{report.pk}/"
    assert found.key == f"reports.period:{p.pk}:organisation:{org('GDDT-157').pk}"


def test_periods_due_outside_the_window_are_not_offered():
    p = period(2026, "H1", due_date=datetime.date(2026, 6, 19))
    later = datetime.datetime(2026, 7, 1, tzinfo=HCM)
    assert list(deadlines(start=later, end=later + datetime.timedelta(days=30))) == []
    assert any(d.kind == DeadlineKind.REPORT_DUE for d in collect_deadlines(**_window(p)))


def test_deadlines_run_a_bounded_number_of_queries(django_assert_max_num_queries):
    p = period(2026, "H1", due_date=datetime.date(2026, 6, 19))
    for office in p.required_organisations.all()[:6]:
        UserFactory(organisation=office)
    with django_assert_max_num_queries(7):  # + the reports waiting for review
        assert len(list(deadlines(**_window(p)))) == p.required_organisations.count()
