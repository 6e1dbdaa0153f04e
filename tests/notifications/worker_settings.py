"""Settings of the real Celery worker started by test_worker.py: the portal's own settings
with short leases and backoff so that a killed worker and an SMTP outage resolve in seconds,
and a queue of its own so that no other worker on the same broker takes its tasks."""

import os

from hoabinh_library.settings import *  # noqa: F403

NOTIFICATIONS_LEASE_SECONDS = 5
NOTIFICATIONS_RETRY_BASE_SECONDS = 1
NOTIFICATIONS_RETRY_MAX_SECONDS = 2
NOTIFICATIONS_REQUEUE_GRACE_SECONDS = 0
CELERY_TASK_DEFAULT_QUEUE = os.environ["NOTIFICATIONS_TEST_QUEUE"]
EMAIL_TIMEOUT = 5
