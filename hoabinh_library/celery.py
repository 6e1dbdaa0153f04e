"""The Celery app. All periodic tasks are declared here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoabinh_library.settings")

app = Celery("hoabinh_library")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _beat_schedule() -> dict:
    from django.conf import settings

    # Beat runs in UTC (CELERY_TIMEZONE); Hòa Bình is UTC+7 all year.
    backup_hour_utc = (settings.BACKUP_HOUR - 7) % 24
    return {
        # One sweep decides every reminder (notifications app); it is safe to run twice.
        "reminders-sweep": {
            "task": "notifications.tasks.sweep_reminders",
            "schedule": crontab(minute=f"*/{settings.REMINDER_SWEEP_MINUTES}"),
        },
        # Rotation routes: propose the next move when a stage ends (07:00 in Hòa Bình).
        "circulation-route-moves": {
            "task": "circulation.tasks.propose_route_moves",
            "schedule": crontab(hour=0, minute=0),
        },
        # The nightly backup with its retention (7 daily, 4 weekly) into BACKUP_DIR.
        "backup-nightly": {
            "task": "core.tasks.backup_nightly",
            "schedule": crontab(hour=backup_hour_utc, minute=30),
        },
    }


@app.on_after_configure.connect
def _setup_periodic_tasks(sender, **kwargs):
    sender.conf.beat_schedule = _beat_schedule()
