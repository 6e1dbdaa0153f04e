"""Gunicorn settings of the portal (deploy/systemd/hoabinh-web.service runs it).

Overridable from the environment: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = 60  # exports of ten years of reports stay well under it
graceful_timeout = 20
keepalive = 5
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
# nginx on the same host sets X-Forwarded-*; trust it only from there.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
wsgi_app = "hoabinh_library.wsgi:application"
