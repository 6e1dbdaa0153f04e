"""PostgreSQL is restarted (`pg_ctlcluster … restart`) while 20 district officers submit their
6-monthly reports to gunicorn running with production settings.

Every report is either submitted whole (status, frozen copy, history event, all three) or
untouched, with the officer shown a message to retry; none is half-written. The portal
answers again within seconds, without restarting gunicorn (health-checked persistent
connections), and the refused submissions then go through, each exactly once.
"""

import datetime
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from reports.models import Report, ReportEvent, ReportSubmission
from tests.factories import UserFactory
from tests.notifications.test_worker import database_url
from tests.ops.processes import SECRET, Http, collectstatic, gunicorn, production_env, require_postgresql_and_redis
from tests.reports.factories import filled_report, period

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

N = 20


def restart_postgresql() -> float:
    versions = os.listdir("/etc/postgresql")
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "restart"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return time.monotonic() - started


def ensure_postgresql_running():
    versions = os.listdir("/etc/postgresql")
    ready = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True)
    if ready.returncode != 0:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "start"], capture_output=True
        )
        for _ in range(60):
            if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True).returncode == 0:
                break
            time.sleep(0.5)


def lock_waits(cursor) -> int:
    """Sessions of the test database waiting for a row lock: submissions inside their transaction."""
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    return cursor.fetchone()[0]


def session_for(user, settings) -> str:
    """A signed-in session, as the login view would store it (same secret as gunicorn)."""
    settings.SECRET_KEY = SECRET
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def test_reports_submitted_through_a_postgresql_restart_are_whole_or_refused(
    reference_data, tmp_path, settings, monkeypatch
):
    require_postgresql_and_redis(redis=False)
    if not (shutil.which("pg_ctlcluster") and Path("/etc/postgresql").is_dir()):
        pytest.skip("pg_ctlcluster is not available to restart PostgreSQL here")
    monkeypatch.setattr("reports.services._external_figures", lambda *a, **k: {})
    today = datetime.date.today()
    p = period(today.year, "H2", due_date=today + datetime.timedelta(days=10))
    offices = list(p.required_organisations.order_by("code")[:N])
    assert len(offices) == N
    officers, reports = [], []
    for office in offices:
        user = UserFactory(organisation=office)
        officers.append(user)
        reports.append(filled_report(p, office, user))
    assert all(r.status == Report.Status.DRAFT for r in reports)

    env = production_env(tmp_path / "var")
    collectstatic(env)
    (tmp_path / "logs").mkdir()
    web, port = gunicorn(env, tmp_path / "logs", workers=2, threads=12)  # 24 ≥ 20 at once
    try:
        run_submissions(web, port, officers, reports, settings)
    finally:
        web.stop()


def run_submissions(web, port, officers, reports, settings):
    clients = []
    for user, report in zip(officers, reports, strict=True):
        client = Http(port)
        client.cookies["sessionid"] = session_for(user, settings)
        page = client.get(f"/reports/{report.pk}/")
        assert page.status == 200 and "Nộp báo cáo" in page.text, page.text[:500]
        clients.append((client, report, page.field("version", "submit-form")))

    results: dict[int, object] = {}
    barrier = threading.Barrier(N + 1)

    def submit(client, report, version):
        barrier.wait()
        try:
            results[report.pk] = client.post(f"/reports/{report.pk}/nop/", {"version": version}, follow=False)
        except OSError as exc:  # the connection itself failed: not acceptable either
            results[report.pk] = exc

    # Half of the reports are locked by another session (as by a colleague's long save), so
    # that their submissions are surely inside their transaction, waiting, when PostgreSQL
    # goes down; the other half run freely and finish.
    import psycopg2

    held = [r.pk for r in reports[: N // 2]]
    locker = psycopg2.connect(database_url())
    lock = locker.cursor()
    lock.execute("SELECT id FROM reports_report WHERE id = ANY(%s) FOR UPDATE", (held,))
    threads = [threading.Thread(target=submit, args=c) for c in clients]
    for t in threads:
        t.start()
    try:
        barrier.wait()
        deadline = time.monotonic() + 30
        waiting = 0
        while time.monotonic() < deadline and not (waiting and len(results) == N - len(held)):
            time.sleep(0.1)
            waiting = lock_waits(lock)
        time.sleep(0.5)
        waiting = lock_waits(lock)
        assert waiting and len(results) == N - len(held), f"{waiting} waiting, {len(results)} answered"
        took = restart_postgresql()
        for t in threads:
            t.join(60)
        back_at = time.monotonic()
        # The portal answers again within seconds, without being restarted.
        while True:
            health = Http(port).get("/healthz", follow=False)
            if health.status == 200 or time.monotonic() - back_at > 20:
                break
            time.sleep(0.25)
        recovered_in = time.monotonic() - back_at
        assert health.status == 200 and '"database": {"ok": true' in health.text, health.text
        assert web.alive(), web.logs()
    finally:
        ensure_postgresql_running()
        locker.close()
    connection.close()  # the test's own connection died with the restart

    saved, refused = [], []
    for _client, report, _version in clients:
        response = results[report.pk]
        assert not isinstance(response, Exception), f"report {report.pk}: {response!r}"
        if response.status == 302:
            saved.append(report.pk)
        else:
            # Refused with a message in Vietnamese, not a bare error.
            assert response.status == 503, (response.status, response.text[:500])
            assert "chưa được lưu" in response.text and "thử lại" in response.text
            assert response.headers.get("retry-after") == "10"
            refused.append(report.pk)
    print(
        f"\nPostgreSQL restart took {took:.1f}s; portal answered again {recovered_in:.1f}s after;"
        f" {len(saved)} submissions saved, {len(refused)} refused with a message ({waiting} were mid-transaction)"
    )
    # The free half was saved before the restart; of the held half, every submission that was
    # inside its transaction when PostgreSQL went down was refused (others, still queued in
    # gunicorn, may have gone through once PostgreSQL was back).
    assert set(saved) >= {r.pk for r in reports} - set(held)
    assert set(refused) <= set(held) and len(refused) >= waiting >= 1

    def assert_whole_or_untouched():
        for report in reports:
            report.refresh_from_db()
            copies = ReportSubmission.objects.filter(report=report).count()
            events = ReportEvent.objects.filter(report=report, action=ReportEvent.Action.SUBMITTED).count()
            if report.status == Report.Status.SUBMITTED:
                assert (copies, events) == (1, 1) and report.submitted_at, report.pk
            else:
                assert report.status == Report.Status.DRAFT and (copies, events) == (0, 0), report.pk
                assert report.submitted_at is None and report.values.count() > 10

    assert_whole_or_untouched()
    assert all(Report.objects.get(pk=pk).status == Report.Status.SUBMITTED for pk in saved)

    # The officers who were refused try again: it goes through, once.
    for client, report, _version in clients:
        if report.pk in refused:
            page = client.get(f"/reports/{report.pk}/")
            response = client.post(f"/reports/{report.pk}/nop/", {"version": page.field("version", "submit-form")})
            assert response.status == 200 and "Đã nộp báo cáo" in response.text
    assert_whole_or_untouched()
    assert Report.objects.filter(pk__in=[r.pk for r in reports], status=Report.Status.SUBMITTED).count() == N
    assert ReportSubmission.objects.filter(report__in=reports).count() == N
