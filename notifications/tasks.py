"""Celery tasks: thin, take ids, call a service. Beat (hoabinh_library/celery.py) runs the sweep."""

from datetime import datetime

from celery import shared_task

from core import services as core_services

from . import services


@shared_task(name="notifications.tasks.sweep_reminders")
def sweep_reminders(at: str | None = None) -> dict:
    """Decide due reminders and digests, and re-enqueue due deliveries (safe to run twice).

    Beat calls it without arguments; `at` (ISO time) runs it as if then, like send_reminders --now."""
    now = datetime.fromisoformat(at) if at else None
    result = services.reminders_sweep(now=now)
    core_services.heartbeat_record(name=core_services.SWEEP)  # /healthz reports its age
    return {"reminders": result.reminders, "digests": result.digests, "requeued": result.requeued}


@shared_task(name="notifications.tasks.deliver")
def deliver(delivery_id: int) -> str | None:
    """Send one delivery if it is still due (a second run does nothing)."""
    return services.delivery_attempt(delivery_id=delivery_id)
