"""What /healthz reports: database, broker, the age of beat's last sweep, and the checks the
apps declare (e-mails waiting or failing, from notifications). Each check names its part and
never carries an exception's text."""

import logging

from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import Connection

from . import registry

logger = logging.getLogger(__name__)


def broker_status(timeout: float = 2.0) -> dict:
    """Connect to the Celery broker once, quickly. Never raises."""
    url = settings.CELERY_BROKER_URL
    transport = url.split("://", 1)[0]
    try:
        with Connection(
            url, transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}), connect_timeout=timeout
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            if transport.startswith("redis"):
                conn.default_channel.client.ping()
        return {"ok": True, "transport": transport}
    except Exception:
        logger.warning("Health check: the broker (%s) does not answer", transport, exc_info=True)
        return {"ok": False, "transport": transport}


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return {"ok": False, "vendor": connection.vendor}


def beat_status(*, now=None) -> dict:
    """Age of the last reminder sweep; stale after three sweep intervals without one."""
    from .models import Heartbeat
    from .services import SWEEP

    now = now or timezone.now()
    stale_after = 3 * 60 * settings.REMINDER_SWEEP_MINUTES
    beat = Heartbeat.objects.filter(name=SWEEP).first()
    if beat is None:
        return {"ok": False, "last_sweep": None, "age_seconds": None, "stale_after_seconds": stale_after}
    age = max(0, int((now - beat.at).total_seconds()))
    return {
        "ok": age <= stale_after,
        "last_sweep": beat.at.isoformat(),
        "age_seconds": age,
        "stale_after_seconds": stale_after,
    }


def health() -> tuple[int, dict]:
    """(HTTP status, body): 503 when the database or the broker is down; "degraded" (200)
    when beat's sweep is stale or e-mails have failed; "ok" otherwise."""
    checks = {"database": database_status(), "broker": broker_status()}
    if checks["database"]["ok"]:
        try:
            checks["beat"] = beat_status()
            for name, check in registry.health_checks():
                checks[name] = check()
        except Exception:
            logger.warning("Health check: could not read beat and e-mail state", exc_info=True)
            checks["database"] = {"ok": False, "vendor": connection.vendor}
    failing = [name for name, check in checks.items() if not check["ok"]]
    if "database" in failing or "broker" in failing:
        return 503, {"status": "error", "failing": failing, **checks}
    return 200, {"status": "degraded" if failing else "ok", "failing": failing, **checks}
