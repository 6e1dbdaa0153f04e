"""A real Celery worker process, a real broker and a real SMTP server.

The worker is SIGKILLed while an e-mail is on the wire, restarted, and every reminder is still
delivered exactly once; with the SMTP server stopped reminders stay pending and go out once it
is back. Broker: Redis when CELERY_BROKER_URL is redis:// (CI), otherwise kombu's filesystem
transport in a temporary directory; database: the test database (an SQLite file, or the
PostgreSQL test database), shared with the worker through DATABASE_URL.
"""

import asyncio
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from kombu import Connection

from core import deadlines as core_deadlines
from hoabinh_library.celery import app as celery_app
from notifications.models import Delivery, Reminder
from tests.conftest import org
from tests.factories import UserFactory
from tests.notifications.factories import local

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
DUE_DATE = datetime.date(2026, 6, 19)  # a period due 19/06/2026 17:00 in Hòa Bình


class SlowSMTPHandler:
    """Accepts a message only after `delay` seconds inside DATA; a client that dies meanwhile
    never gets its 250, and the message does not count (as with a real server)."""

    def __init__(self, delay: float):
        self.delay = delay
        self.received: list[tuple[str, str]] = []
        self.in_data = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        self.in_data.set()
        await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message["Subject"])))
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, subject))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, env: dict, log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None
        self.runs = 0

    def start(self):
        self.runs += 1
        log = open(self.log_dir / f"worker-{self.runs}.log", "wb")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "hoabinh_library",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.log_dir.glob("worker-*.log")))


def wait_for(condition, *, timeout: float, what: str, worker: Worker):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.process and worker.process.poll() is not None:
            pytest.fail(f"worker exited while waiting for {what}:\n{worker.logs()}")
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}:\n{worker.logs()}")


@pytest.fixture
def broker(tmp_path):
    """(connection to send with, env for the worker); a queue name of this test's own."""
    queue = f"notifications-test-{uuid.uuid4().hex[:8]}"
    env = {"NOTIFICATIONS_TEST_QUEUE": queue}
    url = settings.CELERY_BROKER_URL
    if url.startswith("redis://"):
        conn = Connection(url)
        env["CELERY_BROKER_URL"] = url
    else:
        var_dir = tmp_path / "var"
        queue_dir = var_dir / "celery" / "queue"
        queue_dir.mkdir(parents=True)
        conn = Connection(
            "filesystem://",
            transport_options={
                "data_folder_in": str(queue_dir),
                "data_folder_out": str(queue_dir),
                "processed_folder": str(var_dir / "celery" / "processed"),
                "control_folder": str(var_dir / "celery" / "control"),
                "store_processed": False,
            },
        )
        env["CELERY_BROKER_URL"] = "filesystem://"
        env["PORTAL_VAR_DIR"] = str(var_dir)
    yield conn, env, queue
    conn.release()


def test_every_reminder_is_delivered_exactly_once_through_kills_and_smtp_outages(
    reference_data, broker, tmp_path, monkeypatch
):
    conn, broker_env, queue = broker
    celery_app.conf.task_always_eager = False  # restored by the conftest fixture
    # Deadlines come from the reports app: a period three district offices must report in.
    from tests.reports.factories import period

    monkeypatch.setattr("reports.services._external_figures", lambda *a, **k: {})
    offices = [org("GDDT-157"), org("GDDT-156"), org("GDDT-155")]
    people = [UserFactory(organisation=office) for office in offices] + [
        UserFactory(organisation=offices[0], is_head=True)
    ]
    period(2026, "H1", organisations=offices, due_date=DUE_DATE)

    port = free_port()
    handler = SlowSMTPHandler(delay=1.5)
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

    def sweep(at: datetime.datetime):
        celery_app.send_task(
            "notifications.tasks.sweep_reminders", kwargs={"at": at.isoformat()}, queue=queue, connection=conn
        )

    def statuses() -> Counter:
        return Counter(Delivery.objects.values_list("status", flat=True))

    try:
        # 1. Seven days before: the sweep runs through the worker; kill it while an e-mail is
        #    on the wire, restart it, and let the next sweep pick up the orphaned delivery.
        worker.start()
        sweep(local(2026, 6, 12, 8, 0))
        wait_for(handler.in_data.is_set, timeout=60, what="the first e-mail to reach SMTP", worker=worker)
        worker.kill()
        assert Reminder.objects.count() == 4
        assert statuses()[Delivery.Status.SENDING] == 1
        assert len(handler.received) == 0
        worker.start()
        time.sleep(5.5)  # the killed worker's lease runs out
        sweep(local(2026, 6, 12, 8, 15))
        wait_for(lambda: statuses() == {"sent": 4}, timeout=90, what="4 deliveries sent", worker=worker)

        # 2. SMTP down three days before: the new reminders stay pending, with attempts.
        smtp.stop()
        sweep(local(2026, 6, 16, 8, 0))
        wait_for(
            lambda: (
                Reminder.objects.count() == 8
                and Delivery.objects.filter(status="pending", attempts__gte=1).count() == 4
            ),
            timeout=90,
            what="4 deliveries pending after SMTP failures",
            worker=worker,
        )
        assert Delivery.objects.filter(status="pending").exclude(last_error="").count() == 4
        # 3. SMTP is back: the next sweep re-enqueues them and they go out once.
        smtp = Controller(handler, hostname="127.0.0.1", port=port)
        smtp.start()
        time.sleep(2.5)  # the backoff has passed
        sweep(local(2026, 6, 16, 8, 15))
        wait_for(lambda: statuses() == {"sent": 8}, timeout=90, what="8 deliveries sent", worker=worker)
        # A last sweep, as beat would run it, changes nothing.
        sweep(local(2026, 6, 16, 8, 30))
        time.sleep(3)
    finally:
        worker.stop()
        smtp.stop()

    received = Counter(handler.received)
    assert sum(received.values()) == 8, received
    assert all(n == 1 for n in received.values()), received
    for person in people:
        subjects = sorted(s for rcpt, s in handler.received if rcpt == person.email)
        assert len(subjects) == 2, (person.email, subjects)
        assert "Còn 3 ngày" in subjects[0] and "Còn 7 ngày" in subjects[1]
    assert Delivery.objects.filter(status="sent").count() == 8
    # The delivery interrupted by the kill was attempted twice, and sent once.
    assert Delivery.objects.filter(attempts__gte=2).exists()
    assert core_deadlines.deadline_providers()  # deadlines came through the real collector
