"""Celery tasks: thin, take ids, call a service. Beat (hoabinh_library/celery.py) runs the sweep."""

from celery import shared_task

from . import services


@shared_task(name="notifications.tasks.sweep_reminders")
def sweep_reminders() -> dict:
    """Decide due reminders and digests, and re-enqueue due deliveries (safe to run twice)."""
    result = services.reminders_sweep()
    return {"reminders": result.reminders, "digests": result.digests, "requeued": result.requeued}


@shared_task(name="notifications.tasks.deliver")
def deliver(delivery_id: int) -> str | None:
    """Send one delivery if it is still due (a second run does nothing)."""
    return services.delivery_attempt(delivery_id=delivery_id)
