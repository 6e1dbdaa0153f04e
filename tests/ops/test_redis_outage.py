"""Redis is stopped while the portal is in use, then started again.

During the outage pages load, a report draft is saved and a nomination is approved (its
e-mail cannot be enqueued: the request still succeeds), /healthz answers 503 naming the
broker, and the reminder sweep decides the reminders that fall due (they wait in the
database). When Redis is back, the running worker reconnects by itself and every reminder and
the approval e-mail reach the SMTP server exactly once, however many sweeps follow.
"""

import datetime
import json
import os
import subprocess
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.urls import reverse

from core.services import SWEEP, heartbeat_record
from hoabinh_library.celery import app as celery_app
from notifications.models import Delivery, Reminder
from notifications.services import reminders_sweep
from tests.conftest import org
from tests.factories import UserFactory
from tests.notifications.factories import local
from tests.notifications.test_worker import SlowSMTPHandler, Worker, broker, database_url, free_port, wait_for
from tests.reports.factories import filled_report, period, values_for
from tests.training.factories import CourseFactory, SessionFactory, StaffFactory
from training import services as training_services
from training.models import Nomination

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
__all__ = ["broker"]  # the fixture, shared with the worker-kill test

DUE_DATE = datetime.date(2026, 6, 19)
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


def redis_up() -> bool:
    return subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"], capture_output=True).returncode == 0


def wait_redis(up: bool, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if redis_up() == up:
            return
        time.sleep(0.2)
    raise AssertionError(f"Redis did not {'start' if up else 'stop'}")


def start_redis():
    if not redis_up():
        os.makedirs("/var/lib/redis", exist_ok=True)
        os.makedirs("/var/log/redis", exist_ok=True)
        subprocess.run(REDIS_START, capture_output=True, timeout=30)
        wait_redis(True)


def stop_redis():
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"], capture_output=True)
    wait_redis(False)


def test_an_outage_of_redis_loses_no_reminder_and_fails_no_request(
    reference_data, broker, tmp_path, monkeypatch, client, thuvien, gddt_lac_son
):
    if not settings.CELERY_BROKER_URL.startswith("redis://127.0.0.1:6379"):
        pytest.skip("needs the local Redis (CELERY_BROKER_URL=redis://127.0.0.1:6379/…), as in CI; not set here")
    conn, broker_env, queue = broker
    celery_app.conf.task_always_eager = False
    monkeypatch.setattr("reports.services._external_figures", lambda *a, **k: {})

    offices = [org("GDDT-156"), org("GDDT-155"), org("VHTT-157")]
    people = [UserFactory(organisation=office) for office in offices]
    p = period(2026, "H1", organisations=[*offices, gddt_lac_son.organisation], due_date=DUE_DATE)
    draft = filled_report(p, gddt_lac_son.organisation, gddt_lac_son)
    course = CourseFactory(capacity=5, title="Kỹ năng tổ chức Ngày Sách và Văn hóa đọc")
    SessionFactory(course=course, date=datetime.date.today() + datetime.timedelta(days=20))
    nomination = training_services.nomination_create(
        course=course, staff=StaffFactory(full_name="Bùi Thị Duyên"), by=gddt_lac_son
    )

    handler = SlowSMTPHandler(delay=0)
    port = free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    env = {
        **os.environ,
        **broker_env,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "DJANGO_DEBUG": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    (tmp_path / "logs").mkdir()
    worker = Worker(env, tmp_path / "logs")

    def sweep(at):
        celery_app.send_task(
            "notifications.tasks.sweep_reminders", kwargs={"at": at.isoformat()}, queue=queue, connection=conn
        )

    heartbeat_record(name=SWEEP)  # beat swept a moment ago
    timings = {}
    try:
        worker.start()
        time.sleep(3)  # connected and consuming
        stop_redis()

        # Pages and submissions keep working.
        client.force_login(gddt_lac_son)
        started = time.monotonic()
        assert client.get(reverse("reports:index")).status_code == 200
        assert client.get(reverse("reports:report-detail", args=[draft.pk])).status_code == 200
        values = {
            f"v_{k}": str(v + 1) if isinstance(v, int) else f"{v} (bổ sung)"
            for k, v in values_for(draft.organisation).items()
        }
        version = draft.version
        saved = client.post(reverse("reports:report-save", args=[draft.pk]), {"version": version, **values})
        assert saved.status_code == 302
        draft.refresh_from_db()
        assert draft.version == version + 1
        assert draft.values.get(indicator__code="GD08").number == values_for(draft.organisation)["GD08"] + 1
        client.force_login(thuvien)
        approved = client.post(reverse("training:nomination-approve", args=[nomination.pk]), follow=True)
        assert approved.status_code == 200 and "Đã duyệt và ghi danh Bùi Thị Duyên" in approved.content.decode()
        assert Nomination.objects.get(pk=nomination.pk).state == Nomination.State.BOOKED
        timings["requests"] = time.monotonic() - started
        assert Delivery.objects.filter(status="pending").count() >= 1  # the approval e-mail waits

        health = client.get("/healthz")
        body = json.loads(health.content)
        assert health.status_code == 503 and body["failing"] == ["broker"], body

        # The sweep runs (send_reminders, or a sweep already on a worker) while Redis is down:
        # reminders are decided and wait; enqueueing them fails quietly.
        result = reminders_sweep(now=local(2026, 6, 12, 8, 0))
        assert result.reminders == 4 and Reminder.objects.count() == 4  # three offices + Lạc Sơn
        assert Delivery.objects.filter(status="pending").count() == 4 + 1
        time.sleep(1)
        assert handler.received == []

        start_redis()
        reconnect_started = time.monotonic()
        # Beat's next sweeps, as it sends them every 15 minutes: the waiting deliveries are
        # enqueued again and go out, each once.
        sweep(local(2026, 6, 12, 8, 15))
        wait_for(
            lambda: Counter(Delivery.objects.values_list("status", flat=True)) == {"sent": 5},
            timeout=120,
            what="5 deliveries sent after Redis came back",
            worker=worker,
        )
        timings["recovery"] = time.monotonic() - reconnect_started
        sweep(local(2026, 6, 12, 8, 30))
        sweep(local(2026, 6, 12, 8, 45))
        time.sleep(3)
    finally:
        start_redis()
        worker.stop()
        smtp.stop()

    received = Counter(rcpt for rcpt, _subject in handler.received)
    print(
        f"\nRedis outage: requests during it took {timings['requests']:.1f}s in all;"
        f" all e-mails out {timings['recovery']:.1f}s after Redis was back; {sum(received.values())} e-mails, none twice"
    )
    assert sum(received.values()) == 5, handler.received
    for person in [*people, gddt_lac_son]:
        subjects = [s for rcpt, s in handler.received if rcpt == person.email]
        assert any("Còn 7 ngày" in s for s in subjects), (person.email, subjects)
    assert all(n == 1 for (_, n) in Counter(handler.received).items())
    assert Reminder.objects.count() == 4
    assert timings["requests"] < 15
