"""Writes of the shell."""

from django.utils import timezone

from .models import Heartbeat

SWEEP = "reminders-sweep"


def heartbeat_record(*, name: str) -> Heartbeat:
    """Note that the periodic job `name` has just finished (one UPSERT)."""
    beat, _created = Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
    return beat
