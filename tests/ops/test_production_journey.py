"""The portal as deployed: gunicorn (deploy/gunicorn.conf.py), a Celery worker and beat, all
with production settings (DEBUG off, a real secret key, ALLOWED_HOSTS, HTTPS as seen through
nginx), on PostgreSQL and Redis, e-mail through a local SMTP server.

Over HTTP: a district officer signs in, starts, fills and submits the 6-monthly report; the
DoET focal officer accepts it; beat's own sweep sends the reminder to the office that has
not reported, and it reaches the SMTP server once.
"""

import datetime
import time

import pytest
from aiosmtpd.controller import Controller

from directory.models import User
from hoabinh_library.celery import app as celery_app
from reports.models import Report
from tests.conftest import org
from tests.factories import UserFactory
from tests.notifications.test_worker import SlowSMTPHandler, free_port
from tests.ops.processes import (
    HOST,
    Http,
    celery,
    collectstatic,
    gunicorn,
    production_env,
    require_postgresql_and_redis,
)
from tests.reports.factories import period, values_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "Hoabinh-thuvien-2026!"


def test_sign_in_submit_accept_and_a_reminder_by_email_in_production(reference_data, tmp_path, settings):
    require_postgresql_and_redis()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # as production
    today = datetime.date.today()
    lac_son, mai_chau = org("GDDT-157"), org("GDDT-156")
    p = period(
        today.year,
        "H2",
        organisations=[lac_son, mai_chau],
        due_date=today + datetime.timedelta(days=5),
        lock_date=today + datetime.timedelta(days=30),
    )
    officer = UserFactory(username="gddt.lac-son", full_name="Bùi Thị Hằng", organisation=lac_son)
    late = UserFactory(username="gddt.mai-chau", full_name="Hà Thị Mai", organisation=mai_chau)
    focal = UserFactory(username="vanphong", role=User.Role.FOCAL_OFFICER, organisation=org("VPSGD"))
    for user in (officer, focal):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])

    handler = SlowSMTPHandler(delay=0)
    smtp_port = free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = production_env(
        tmp_path / "var",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_port,
        EMAIL_USE_TLS="0",
        REMINDER_SWEEP_MINUTES="1",  # beat sweeps every minute instead of every 15
    )
    collectstatic(env)
    with celery_app.connection_for_write() as conn:  # nothing left over from other tests
        conn.default_channel.queue_purge("celery")
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = [celery("worker", env, logs), celery("beat", env, logs, f"--schedule={tmp_path / 'beat-schedule'}")]
    started = time.monotonic()
    try:
        web, port = gunicorn(env, logs)
        processes.append(web)

        # Plain HTTP is sent to HTTPS; over HTTPS the browser is told to stay there.
        plain = Http(port)
        http_only = plain.request("GET", "/reports/", https=False)
        assert http_only.status == 301 and http_only.headers["location"] == f"https://{HOST}/reports/"
        login_page = plain.request("GET", "/accounts/login/")
        assert login_page.status == 200 and "strict-transport-security" in login_page.headers
        assert "DEBUG" not in login_page.text

        browser = Http(port)
        home = browser.login("gddt.lac-son", PASSWORD)
        assert home.status == 200 and "Bùi Thị Hằng" in home.text
        start = browser.post(f"/reports/ky/{p.pk}/lap-bao-cao/")
        assert start.status == 200 and "Đã tạo báo cáo" in start.text, start.text[:800]
        report = Report.objects.get(period=p, organisation=lac_son)
        values = {f"v_{code}": str(value) for code, value in values_for(lac_son).items()}
        saved = browser.post(f"/reports/{report.pk}/luu/", {"version": start.field("version", "report-form"), **values})
        assert saved.status == 200 and "Đã lưu nháp" in saved.text, saved.text[:800]
        submitted = browser.post(f"/reports/{report.pk}/nop/", {"version": saved.field("version", "submit-form")})
        assert submitted.status == 200 and "Đã nộp báo cáo" in submitted.text, submitted.text[:800]
        browser.post("/accounts/logout/")

        reviewer = Http(port)
        reviewer.login("vanphong", PASSWORD)
        page = reviewer.get(f"/reports/{report.pk}/")
        assert "Tiếp nhận báo cáo" in page.text
        accepted = reviewer.post(f"/reports/{report.pk}/tiep-nhan/", {"note": "Số liệu đầy đủ, đã tiếp nhận."})
        assert accepted.status == 200
        report.refresh_from_db()
        assert report.status == Report.Status.ACCEPTED
        assert report.values.get(indicator__code="GD08").number == values_for(lac_son)["GD08"]

        # Beat's sweep (every minute here) reminds the office that has not reported.
        deadline = time.monotonic() + 100
        while time.monotonic() < deadline and not any(r == late.email for r, _s in handler.received):
            for proc in processes:
                assert proc.alive(), f"{proc.name} exited:\n{proc.logs()}"
            time.sleep(0.5)
        reminders = [s for r, s in handler.received if r == late.email]
        assert reminders, "no reminder reached SMTP:\n" + "\n".join(p.logs() for p in processes)
        health = Http(port).get("/healthz", follow=False)
        assert health.status == 200 and '"beat": {"ok": true' in health.text, health.text
    finally:
        for proc in processes:
            proc.stop()
        smtp.stop()
    print(f"\nProduction journey with gunicorn, worker and beat: {time.monotonic() - started:.0f}s")
    assert len(reminders) == 1 and "Còn 7 ngày" in reminders[0]
    assert sum(1 for r, _s in handler.received if r == late.email) == 1
