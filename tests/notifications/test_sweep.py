"""The reminder engine with a frozen clock and deadlines offered by a stand-in provider."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from core.deadlines import DeadlineKind
from notifications import services
from notifications.models import Delivery, Notification, Preference, Reminder, ReminderRule
from tests.factories import UserFactory
from tests.notifications.factories import local

pytestmark = pytest.mark.django_db

DUE = local(2026, 6, 30, 17, 0)


def sweep(at, capture):
    with time_machine.travel(at, tick=False), capture(execute=True):
        return services.reminders_sweep()


def test_reminds_recipients_once_seven_days_before(
    providers, gddt_lac_son, vhtt_lac_son, django_capture_on_commit_callbacks
):
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk, vhtt_lac_son.pk])
    result = sweep(local(2026, 6, 23, 8, 0), django_capture_on_commit_callbacks)
    assert result.reminders == 2
    assert set(Reminder.objects.values_list("recipient__username", "offset_days")) == {
        ("gddt.lac-son", -7),
        ("vhtt.lac-son", -7),
    }
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert "Còn 7 ngày: Báo cáo 6 tháng đầu năm 2026" in message.subject
    assert "http://127.0.0.1:8000/reports/1/" in message.body or "/reports/1/" in message.body
    html = message.alternatives[0][0]
    assert "/reports/1/" in html and "Xem chi tiết" in html
    assert "30/06/2026 17:00" in Notification.objects.first().body

    again = sweep(local(2026, 6, 23, 8, 15), django_capture_on_commit_callbacks)
    assert again.reminders == 0
    assert Reminder.objects.count() == 2
    assert len(mail.outbox) == 2


def test_before_the_send_hour_nothing_goes_out(providers, gddt_lac_son, django_capture_on_commit_callbacks):
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk])
    # 06:30 in Hòa Bình is 23:30 UTC the day before: the sweep reads local calendar days.
    assert sweep(local(2026, 6, 23, 6, 30), django_capture_on_commit_callbacks).reminders == 0
    assert sweep(local(2026, 6, 23, 7, 0), django_capture_on_commit_callbacks).reminders == 1


def test_each_offset_in_turn_and_only_the_current_one_after_downtime(
    providers, gddt_lac_son, django_capture_on_commit_callbacks
):
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk])
    # First sweep ever runs the day before the deadline: only the −1 day reminder, not −7 and −3.
    sweep(local(2026, 6, 29, 9, 0), django_capture_on_commit_callbacks)
    assert list(Reminder.objects.values_list("offset_days", flat=True)) == [-1]
    sweep(local(2026, 6, 30, 7, 15), django_capture_on_commit_callbacks)
    sweep(local(2026, 7, 1, 7, 15), django_capture_on_commit_callbacks)
    assert sorted(Reminder.objects.values_list("offset_days", flat=True)) == [-1, 0, 1]
    titles = list(Notification.objects.order_by("pk").values_list("title", flat=True))
    assert titles[1].startswith("Hôm nay:")
    assert titles[2].startswith("Quá hạn 1 ngày:")


def test_overdue_escalates_to_heads_and_focal_unit(
    providers, gddt_lac_son, vanphong, giamdoc_sgddt, django_capture_on_commit_callbacks
):
    head = UserFactory(username="gddt.lac-son.truong", organisation=gddt_lac_son.organisation, is_head=True)
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk], escalate_to=[head.pk, vanphong.pk])
    sweep(local(2026, 6, 27, 8, 0), django_capture_on_commit_callbacks)
    assert set(Reminder.objects.values_list("recipient_id", flat=True)) == {gddt_lac_son.pk}
    sweep(local(2026, 7, 1, 8, 0), django_capture_on_commit_callbacks)
    overdue = Reminder.objects.filter(offset_days=1)
    assert {(r.recipient_id, r.escalation) for r in overdue} == {
        (gddt_lac_son.pk, False),
        (head.pk, True),
        (vanphong.pk, True),
    }
    assert Notification.objects.get(user=head).title.startswith("Quá hạn 1 ngày (báo lãnh đạo):")
    assert not Reminder.objects.filter(recipient=giamdoc_sgddt).exists()


def test_meetings_have_no_overdue_reminders(providers, gddt_lac_son, django_capture_on_commit_callbacks):
    providers.add(
        key="programs.meeting:3",
        kind=DeadlineKind.MEETING,
        due_at=local(2026, 7, 10, 8, 30),
        recipients=[gddt_lac_son.pk],
        escalate_to=[gddt_lac_son.pk],
        title="Họp trao đổi thông tin 6 tháng",
    )
    sweep(local(2026, 7, 10, 7, 30), django_capture_on_commit_callbacks)
    sweep(local(2026, 7, 11, 8, 0), django_capture_on_commit_callbacks)
    assert list(Reminder.objects.values_list("offset_days", flat=True)) == [0]


def test_offsets_come_from_the_admin_rule(providers, gddt_lac_son, django_capture_on_commit_callbacks):
    ReminderRule.objects.update_or_create(kind=DeadlineKind.REPORT_DUE, defaults={"offsets": "-14, -2"})
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk])
    sweep(local(2026, 6, 16, 8, 0), django_capture_on_commit_callbacks)
    assert list(Reminder.objects.values_list("offset_days", flat=True)) == [-14]
    ReminderRule.objects.filter(kind=DeadlineKind.REPORT_DUE).update(enabled=False)
    sweep(local(2026, 6, 28, 8, 0), django_capture_on_commit_callbacks)
    assert Reminder.objects.count() == 1


def test_rule_rejects_bad_offsets():
    from django.core.exceptions import ValidationError

    rule = ReminderRule.objects.get_or_create(kind=DeadlineKind.ROTATION_DUE)[0]
    rule.offsets = "-3, hai"
    with pytest.raises(ValidationError) as info:
        rule.full_clean()
    assert "số nguyên" in str(info.value)
    rule.offsets = "3,-3, 0"
    rule.full_clean()
    assert rule.offsets == "-3, 0, 3"


def test_inactive_people_are_not_reminded(providers, gddt_lac_son, django_capture_on_commit_callbacks):
    gone = UserFactory(is_active=False)
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk, gone.pk])
    assert sweep(local(2026, 6, 23, 8, 0), django_capture_on_commit_callbacks).reminders == 1


def test_the_database_constraint_not_a_read_prevents_doubles(
    providers, gddt_lac_son, monkeypatch, django_capture_on_commit_callbacks
):
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk])
    sweep(local(2026, 6, 23, 8, 0), django_capture_on_commit_callbacks)
    # A concurrent sweep that read before the first committed sees nothing decided yet.
    monkeypatch.setattr(services, "_already_decided", lambda candidates: set())
    assert sweep(local(2026, 6, 23, 8, 1), django_capture_on_commit_callbacks).reminders == 0
    assert Reminder.objects.count() == 1 and len(mail.outbox) == 1
    existing = Reminder.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            deadline_key=existing.deadline_key,
            due_at=existing.due_at,
            offset_days=existing.offset_days,
            recipient=gddt_lac_son,
            kind=existing.kind,
            subject="x",
            title="x",
            fire_at=existing.fire_at,
            sweep_id=existing.sweep_id,
        )


def test_a_moved_deadline_is_reminded_again(providers, gddt_lac_son, django_capture_on_commit_callbacks):
    d = providers.add(due_at=DUE, recipients=[gddt_lac_son.pk])
    sweep(local(2026, 6, 23, 8, 0), django_capture_on_commit_callbacks)
    providers.deadlines.remove(d)
    providers.add(due_at=local(2026, 7, 10, 17, 0), recipients=[gddt_lac_son.pk])
    sweep(local(2026, 7, 3, 8, 0), django_capture_on_commit_callbacks)
    assert Reminder.objects.count() == 2


def test_dry_run_records_and_sends_nothing(providers, gddt_lac_son, django_capture_on_commit_callbacks):
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk])
    with time_machine.travel(local(2026, 6, 23, 8, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_sweep(dry_run=True)
    assert result.reminders == 1
    assert Reminder.objects.count() == 0 and Notification.objects.count() == 0 and not mail.outbox


def test_digest_user_gets_one_email_listing_all(
    providers, gddt_lac_son, vhtt_lac_son, django_capture_on_commit_callbacks
):
    for kind in (DeadlineKind.REPORT_DUE, DeadlineKind.ROTATION_DUE):
        Preference.objects.create(user=gddt_lac_son, kind=kind, mode=Preference.Mode.DIGEST)
    providers.add(key="reports.report:1", due_at=DUE, recipients=[gddt_lac_son.pk, vhtt_lac_son.pk])
    providers.add(key="reports.report:2", due_at=DUE, recipients=[gddt_lac_son.pk], title="Báo cáo năm 2026")
    providers.add(
        key="circulation.rotation:5",
        kind=DeadlineKind.ROTATION_DUE,
        due_at=local(2026, 6, 26, 17, 0),
        recipients=[gddt_lac_son.pk],
        title="Trả bộ sách luân chuyển số 5",
    )
    # 06:00: reminders are not due yet; 08:00: they are, and so is the morning digest.
    result = sweep(local(2026, 6, 23, 8, 0), django_capture_on_commit_callbacks)
    assert result.reminders == 4
    assert result.digests == 1
    digest_mails = [m for m in mail.outbox if m.to == [gddt_lac_son.email]]
    assert len(digest_mails) == 1
    body = digest_mails[0].body
    assert "Bản tin ngày 23/06/2026: 3 thông báo" in digest_mails[0].subject
    assert "Báo cáo 6 tháng đầu năm 2026" in body and "Báo cáo năm 2026" in body and "Trả bộ sách" in body
    # The immediate user got their own single e-mail.
    assert len([m for m in mail.outbox if m.to == [vhtt_lac_son.email]]) == 1
    # Later the same day: no second digest, even with something new waiting.
    services.notify(user=gddt_lac_son, title="Tin mới", kind=DeadlineKind.REPORT_DUE)
    result = sweep(local(2026, 6, 23, 14, 0), django_capture_on_commit_callbacks)
    assert result.digests == 0
    assert len(mail.outbox) == 2
    # Next morning the waiting item goes out.
    result = sweep(local(2026, 6, 24, 7, 30), django_capture_on_commit_callbacks)
    assert result.digests == 1
    assert "Tin mới" in mail.outbox[-1].body


def test_in_app_only_sends_no_email(providers, gddt_lac_son, django_capture_on_commit_callbacks):
    Preference.objects.create(user=gddt_lac_son, kind=DeadlineKind.REPORT_DUE, mode=Preference.Mode.INBOX)
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk])
    result = sweep(local(2026, 6, 23, 8, 0), django_capture_on_commit_callbacks)
    assert result.counts[(DeadlineKind.REPORT_DUE, "inbox")] == 1
    assert Notification.objects.filter(user=gddt_lac_son).count() == 1
    assert not mail.outbox and not Delivery.objects.exists()


def test_send_reminders_command_same_counts_then_zero(providers, gddt_lac_son, vhtt_lac_son, capsys):
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk, vhtt_lac_son.pk])
    providers.add(
        key="programs.meeting:1",
        kind=DeadlineKind.MEETING,
        due_at=local(2026, 6, 13, 8, 0),
        recipients=[gddt_lac_son.pk],
    )
    Preference.objects.create(user=vhtt_lac_son, kind=DeadlineKind.REPORT_DUE, mode=Preference.Mode.DIGEST)
    call_command("send_reminders", "--now", "2026-06-23T08:00", "--dry-run")
    dry = capsys.readouterr().out
    assert Reminder.objects.count() == 0
    call_command("send_reminders", "--now", "2026-06-23T08:00")
    first = capsys.readouterr().out
    assert "reminders: 2" in first and "channel email: 1" in first and "channel digest: 1" in first
    assert "digest e-mails: 1" in first
    assert dry.split("reminders:")[1].splitlines()[0] == first.split("reminders:")[1].splitlines()[0]
    assert "2026-06-23 08:00 (Asia/Ho_Chi_Minh)" in first
    call_command("send_reminders", "--now", "2026-06-23T08:00")
    second = capsys.readouterr().out
    assert "reminders: 0" in second and "digest e-mails: 0" in second
    # Three days before the meeting, at the same run.
    call_command("send_reminders", "--now", "2026-06-10T08:00")
    assert "meeting" in capsys.readouterr().out


def test_send_reminders_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("send_reminders", "--now", "mai")


def test_sweep_window_is_asked_around_now(providers):
    now = local(2026, 6, 23, 8, 0)
    with time_machine.travel(now, tick=False):
        services.reminders_sweep()
    start, end = providers.calls[-1]
    assert start <= now - timedelta(days=8) and end >= now + timedelta(days=7)
