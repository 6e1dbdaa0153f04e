"""Delivery after commit: claimed once, retried with stored backoff, never sent twice."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction

from notifications import services
from notifications.models import Delivery, Notification
from tests.notifications.factories import local

pytestmark = pytest.mark.django_db

DUE = local(2026, 6, 30, 17, 0)
T0 = local(2026, 6, 23, 8, 0)


class DownBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FailedMidway(Exception):
    pass


def test_nothing_is_sent_if_the_transaction_rolls_back(gddt_lac_son, django_capture_on_commit_callbacks):
    # The change that notified fails after the notification was recorded: nothing remains and
    # nothing is sent.
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(FailedMidway),
        transaction.atomic(),
    ):
        services.notify(user=gddt_lac_son, title="Có thay đổi")
        assert Delivery.objects.count() == 1
        raise FailedMidway
    assert callbacks == [] and mail.outbox == []
    assert not Delivery.objects.exists() and not Notification.objects.filter(user=gddt_lac_son).exists()
    # The same change committed: sent once.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(user=gddt_lac_son, title="Có thay đổi")
    assert len(callbacks) == 1 and len(mail.outbox) == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_smtp_down_keeps_pending_with_backoff_then_sends_once(
    providers, gddt_lac_son, settings, django_capture_on_commit_callbacks
):
    providers.add(due_at=DUE, recipients=[gddt_lac_son.pk])
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.DownBackend"
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at == T0 + timedelta(minutes=1)
    assert "SMTPServerDisconnected" in delivery.last_error
    # A sweep before the wait (and its minute of grace) has passed does not retry.
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_sweep().requeued == 0
    # A second failure doubles the wait.
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_sweep().requeued == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at == T0 + timedelta(minutes=4)
    # The server is back: the next sweep re-enqueues it and it goes out exactly once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False), django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_sweep()
    assert result.requeued == 1 and result.reminders == 0
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 3
    assert len(mail.outbox) == 1
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep()
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts(gddt_lac_son, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.DownBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    services.notify(user=gddt_lac_son, title="Thử")
    delivery = Delivery.objects.get()
    assert services.delivery_attempt(delivery_id=delivery.pk) == Delivery.Status.PENDING
    Delivery.objects.update(next_attempt_at=delivery.created_at)
    assert services.delivery_attempt(delivery_id=delivery.pk) == Delivery.Status.FAILED


def test_a_claimed_delivery_is_not_sent_again(gddt_lac_son):
    services.notify(user=gddt_lac_son, title="Một lần thôi")
    delivery = Delivery.objects.get()
    assert services.delivery_attempt(delivery_id=delivery.pk) == Delivery.Status.SENT
    assert services.delivery_attempt(delivery_id=delivery.pk) is None
    assert len(mail.outbox) == 1


def test_a_worker_killed_while_sending_is_taken_over_after_its_lease(gddt_lac_son):
    services.notify(user=gddt_lac_son, title="Người gửi bị dừng")
    delivery = Delivery.objects.get()
    start = local(2030, 1, 1, 9, 0)
    # A worker claimed it and died before finishing: nobody else may send during the lease.
    with time_machine.travel(start, tick=False):
        Delivery.objects.update(status=Delivery.Status.SENDING, lease_until=start + timedelta(minutes=5), attempts=1)
        assert services.deliveries_due() == []
        assert services.delivery_attempt(delivery_id=delivery.pk) is None
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert services.deliveries_due() == [delivery.pk]
        assert services.delivery_attempt(delivery_id=delivery.pk) == Delivery.Status.SENT
    assert len(mail.outbox) == 1


def test_person_without_email_is_skipped(gddt_lac_son):
    gddt_lac_son.email = ""
    gddt_lac_son.save(update_fields=["email"])
    services.notify(user=gddt_lac_son, title="Không có địa chỉ")
    delivery = Delivery.objects.get()
    assert services.delivery_attempt(delivery_id=delivery.pk) == Delivery.Status.SKIPPED
    assert not mail.outbox


def test_email_is_vietnamese_text_and_html_with_site_link(gddt_lac_son, settings):
    settings.SITE_URL = "https://thuvien.hoabinh.gov.vn"
    services.notify(user=gddt_lac_son, title="Kế hoạch năm 2026 đã được phê duyệt", url="/programs/plans/4/")
    services.delivery_attempt(delivery_id=Delivery.objects.get().pk)
    message = mail.outbox[0]
    assert message.subject == "[Cổng thư viện Hòa Bình] Kế hoạch năm 2026 đã được phê duyệt"
    assert "Kính gửi Bùi Thị Hằng," in message.body
    assert "https://thuvien.hoabinh.gov.vn/programs/plans/4/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="https://thuvien.hoabinh.gov.vn/programs/plans/4/"' in html


def test_enqueue_survives_a_broker_that_is_down(gddt_lac_son, monkeypatch, django_capture_on_commit_callbacks):
    from notifications import tasks

    def down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.deliver, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=gddt_lac_son, title="Broker tắt")
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    # Left alone for a minute (its message may still arrive), then the sweep re-enqueues it.
    assert services.deliveries_due() == []
    with time_machine.travel(delivery.next_attempt_at + timedelta(minutes=2)):
        assert services.deliveries_due() == [delivery.pk]
