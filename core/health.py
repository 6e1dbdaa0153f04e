from django.conf import settings
from kombu import Connection


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
    except Exception as exc:
        return {"ok": False, "transport": transport, "error": exc.__class__.__name__}
