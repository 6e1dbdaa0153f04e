"""python manage.py backup [--output FILE]: one archive with the database, the uploaded files
and a manifest (row counts, SHA-256 of every part)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import backups


class Command(BaseCommand):
    help = "Back up the database and every uploaded file into one archive with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="archive to write (default: BACKUP_DIR/hoabinh-backup-<time>.tar.gz)")

    def handle(self, *args, output=None, **options):
        target = Path(output) if output else Path(settings.BACKUP_DIR) / backups.backup_filename()
        try:
            manifest = backups.backup_create(output=target)
        except backups.BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            _("Đã sao lưu %(tables)d bảng (%(rows)d dòng) và %(files)d tệp vào %(file)s")
            % {
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "files": len(manifest["media"]),
                "file": target,
            }
        )
