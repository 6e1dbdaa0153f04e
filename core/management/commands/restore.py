"""python manage.py restore FILE [--force]: verify an archive written by `backup`, restore the
database and the uploaded files, and compare every table's row count with the manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import backups


class Command(BaseCommand):
    help = "Restore an archive written by `backup` into an empty database (or any, with --force)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds data")

    def handle(self, *args, archive, force=False, **options):
        try:
            result = backups.backup_restore(archive=Path(archive), force=force)
        except backups.BackupError as exc:
            raise CommandError(str(exc))
        if result.mismatches:
            lines = [f"{name}: {want} → {got}" for name, (want, got) in sorted(result.mismatches.items())]
            raise CommandError(
                _("Số dòng sau khi khôi phục khác bản kê ở %(n)d bảng:") % {"n": len(lines)} + "\n" + "\n".join(lines)
            )
        self.stdout.write(
            _("Đã khôi phục %(tables)d bảng (%(rows)d dòng, khớp bản kê) và %(files)d tệp.")
            % {"tables": result.tables, "rows": result.rows, "files": result.files}
        )
