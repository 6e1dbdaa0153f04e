"""The done-when scenario on real reporting periods and reports (reports app)."""

import datetime

import pytest
import time_machine
from django.core import mail

from core import deadlines as core_deadlines
from notifications import services
from notifications.models import Preference, Reminder
from tests.conftest import org
from tests.factories import UserFactory
from tests.notifications.factories import local
from tests.reports.factories import filled_report, period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_reports(monkeypatch):
    """Deadlines from the reports app alone (other apps' deadlines have their own tests), and
    its prefill figures pinned as in the reports tests."""
    reports_only = [(app, provider) for app, provider in core_deadlines.deadline_providers() if app == "reports"]
    monkeypatch.setattr(core_deadlines, "deadline_providers", lambda: reports_only)
    monkeypatch.setattr("reports.services._external_figures", lambda *a, **k: {})


def run(at, capture):
    with time_machine.travel(at, tick=False), capture(execute=True):
        return services.reminders_sweep()


def test_period_due_in_seven_days_reminds_only_offices_that_have_not_submitted(
    gddt_lac_son, gddt_mai_chau, vanphong, thuvien, django_capture_on_commit_callbacks, settings
):
    # Only due-date reminders here; the review reminder of Lạc Sơn's report has its own test.
    settings.REPORT_REVIEW_DAYS = 90
    lac_son, mai_chau, tan_lac = org("GDDT-157"), org("GDDT-156"), org("GDDT-155")
    head_lac_son = UserFactory(username="gddt.lac-son.truong", organisation=lac_son, is_head=True)
    head_mai_chau = UserFactory(username="gddt.mai-chau.truong", organisation=mai_chau, is_head=True)
    tan_lac_officer = UserFactory(username="gddt.tan-lac", organisation=tan_lac)
    head_tan_lac = UserFactory(username="gddt.tan-lac.truong", organisation=tan_lac, is_head=True)
    with time_machine.travel(local(2026, 6, 5, 9, 0), tick=False):
        p = period(2026, "H1", organisations=[lac_son, mai_chau, tan_lac], due_date=datetime.date(2026, 6, 19))
        filled_report(p, lac_son, gddt_lac_son, submit=True)
    # The focal officer of education reads everything in the morning digest.
    Preference.objects.create(user=vanphong, kind="report_due", mode=Preference.Mode.DIGEST)

    # Seven days before 19/06 17:00, at 08:00 in Hòa Bình (01:00 UTC, when beat runs in UTC).
    result = run(local(2026, 6, 12, 8, 0), django_capture_on_commit_callbacks)
    reminded = set(Reminder.objects.values_list("recipient__username", flat=True))
    assert reminded == {"gddt.mai-chau", "gddt.mai-chau.truong", "gddt.tan-lac", "gddt.tan-lac.truong"}
    assert set(Reminder.objects.values_list("offset_days", flat=True)) == {-7}
    assert result.reminders == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (gddt_mai_chau, head_mai_chau, tan_lac_officer, head_tan_lac)
    )
    assert all("Còn 7 ngày: Báo cáo 6 tháng đầu năm 2026" in m.subject for m in mail.outbox)

    # The same sweep again (a second beat, a retried task): nothing more.
    assert run(local(2026, 6, 12, 8, 15), django_capture_on_commit_callbacks).reminders == 0
    assert len(mail.outbox) == 4

    # Mai Châu submits before the deadline; Tân Lạc does not.
    with time_machine.travel(local(2026, 6, 18, 10, 0), tick=False):
        filled_report(p, mai_chau, gddt_mai_chau, submit=True)
    mail.outbox.clear()

    # +1 day overdue: Tân Lạc's officer, its head and the focal unit are told; nobody else.
    result = run(local(2026, 6, 20, 8, 0), django_capture_on_commit_callbacks)
    overdue = {(r.recipient.username, r.escalation) for r in Reminder.objects.filter(offset_days=1)}
    assert overdue == {("gddt.tan-lac", False), ("gddt.tan-lac.truong", True), ("vanphong", True)}
    assert not Reminder.objects.filter(recipient__in=[gddt_lac_son, head_lac_son, thuvien]).exists()
    head_mail = next(m for m in mail.outbox if m.to == [head_tan_lac.email])
    assert "Quá hạn 1 ngày (báo lãnh đạo)" in head_mail.subject
    assert "thủ trưởng đơn vị hoặc đơn vị đầu mối" in head_mail.body
    # The digest user gets one e-mail listing it (and no single e-mail).
    focal_mails = [m for m in mail.outbox if m.to == [vanphong.email]]
    assert len(focal_mails) == 1 and result.digests == 1
    assert "Phòng Giáo dục và Đào tạo huyện Tân Lạc" in focal_mails[0].body
    assert "Bản tin ngày 20/06/2026" in focal_mails[0].subject
    assert run(local(2026, 6, 20, 9, 0), django_capture_on_commit_callbacks).reminders == 0
    assert len([m for m in mail.outbox if m.to == [vanphong.email]]) == 1


def test_digest_lists_every_overdue_office(gddt_mai_chau, vanphong, django_capture_on_commit_callbacks):
    offices = [org("GDDT-156"), org("GDDT-155"), org("GDDT-154")]
    with time_machine.travel(local(2026, 6, 5, 9, 0), tick=False):
        period(2026, "H1", organisations=offices, due_date=datetime.date(2026, 6, 19))
    Preference.objects.create(user=vanphong, kind="report_due", mode=Preference.Mode.DIGEST)
    run(local(2026, 6, 20, 8, 0), django_capture_on_commit_callbacks)
    (digest,) = [m for m in mail.outbox if m.to == [vanphong.email]]
    assert "3 thông báo" in digest.subject
    for office in offices:
        assert office.name in digest.body
