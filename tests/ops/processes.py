"""Real processes for the fault and production tests: gunicorn with production settings
(deploy/gunicorn.conf.py), a Celery worker, beat; a small HTTP client that talks to gunicorn
as nginx would (X-Forwarded-Proto: https), keeping cookies and CSRF like a browser."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import connection

from tests.notifications.test_worker import database_url, free_port

BASE_DIR = Path(settings.BASE_DIR)
HOST = "thuvien.hoabinh.test"
SECRET = "production-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"


def require_postgresql_and_redis(*, redis: bool = True):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the suite runs on SQLite here; CI runs it with DATABASE_URL=postgres://…")
    if redis and not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs Redis: CELERY_BROKER_URL is not redis:// here; CI runs it with redis://127.0.0.1:6379/0")


def production_env(var_dir: Path, **extra) -> dict:
    """Production settings (DEBUG off, a real secret, ALLOWED_HOSTS, HTTPS through the proxy)
    on the test database and the suite's broker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "EMAIL_", "PYTEST"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        SITE_URL=f"https://{HOST}",
        DATABASE_URL=database_url(),
        DB_CONN_MAX_AGE="60",
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL
        if settings.CELERY_BROKER_URL.startswith("redis://")
        else "filesystem://",
        PORTAL_VAR_DIR=str(var_dir),
        AXES_ENABLED="1",
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def collectstatic(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


class Proc:
    """One process with its log; stopped (TERM, then KILL) by stop()."""

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path):
        self.name, self.args, self.env, self.log_dir = name, args, env, log_dir
        self.process: subprocess.Popen | None = None

    def start(self) -> Proc:
        log = open(self.log_dir / f"{self.name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [sys.executable, *self.args], cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def logs(self) -> str:
        path = self.log_dir / f"{self.name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def gunicorn(env: dict, log_dir: Path, *, workers: int = 2, threads: int = 4) -> tuple[Proc, int]:
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": workers, "GUNICORN_THREADS": threads}
    env = {k: str(v) for k, v in env.items()}
    proc = Proc("gunicorn", ["-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"], env, log_dir).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not proc.alive():
            pytest.fail(f"gunicorn exited:\n{proc.logs()}")
        try:
            Http(port).get("/healthz", follow=False)
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.stop()
    pytest.fail(f"gunicorn did not answer:\n{proc.logs()}")


def celery(kind: str, env: dict, log_dir: Path, *extra: str) -> Proc:
    args = ["-m", "celery", "-A", "hoabinh_library", kind, "--loglevel=INFO", *extra]
    if kind == "worker":
        args += ["--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return Proc(kind, args, env, log_dir).start()


@dataclass
class Response:
    status: int
    headers: dict
    text: str
    path: str

    def field(self, name: str, form_id: str | None = None) -> str:
        """The value of a hidden input (in the form `form_id` when given)."""
        html = self.text
        if form_id:
            start = html.index(f'id="{form_id}"')
            html = html[start : html.index("</form>", start)]
        match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
        assert match, f"no field {name} on {self.path}"
        return match.group(1)


class Http:
    """Talks to gunicorn as nginx does: Host, X-Forwarded-Proto https, X-Forwarded-For."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, fields: dict | None = None, timeout: float = 30, *, https: bool = True
    ) -> Response:
        headers = {"Host": HOST, "X-Forwarded-For": "203.0.113.10"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(fields or {})}
            body = urlencode(data, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{HOST}",
                    "Referer": f"https://{HOST}{path}",
                }
            )
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            text = raw.read().decode("utf-8", errors="replace")
            for header in raw.msg.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text, path)
        finally:
            conn.close()

    def get(self, path: str, *, follow: bool = True) -> Response:
        response = self.request("GET", path)
        hops = 0
        while follow and response.status in (301, 302, 303) and hops < 5:
            response = self.request("GET", self._local(response.headers["location"]))
            hops += 1
        return response

    def post(self, path: str, fields: dict | None = None, *, follow: bool = True, timeout: float = 30) -> Response:
        response = self.request("POST", path, fields, timeout=timeout)
        if follow and response.status in (301, 302, 303):
            return self.get(self._local(response.headers["location"]))
        return response

    @staticmethod
    def _local(location: str) -> str:
        parts = urlsplit(location)
        assert parts.netloc in ("", HOST), location
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def login(self, username: str, password: str) -> Response:
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username, "password": password})
        assert "sessionid" in self.cookies, response.text[:2000]
        return response
