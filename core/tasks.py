"""Celery tasks of the shell: thin, call a service. Beat (hoabinh_library/celery.py) runs them."""

from celery import shared_task

from . import backups


@shared_task(name="core.tasks.backup_nightly")
def backup_nightly() -> str:
    """Tonight's backup into BACKUP_DIR, then the retention (7 daily, 4 weekly)."""
    return str(backups.backup_nightly())
