from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.services import organisations_import


class Command(BaseCommand):
    help = "Import schools (with their libraries) and public libraries from an .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        with file.open("rb") as handle:
            result = organisations_import(uploaded=handle, filename=file.name)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"{error.ref}: {error.message}")
            raise CommandError(f"{len(result.errors)} lỗi — không có dữ liệu nào được ghi.")
        self.stdout.write(self.style.SUCCESS(f"Đã nhập: {result.created} mới, {result.updated} cập nhật."))
