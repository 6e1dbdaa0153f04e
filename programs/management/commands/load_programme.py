from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.services import PROGRAMME_2019_FILE, programme_load


class Command(BaseCommand):
    help = "Load (or refresh) a cooperation programme and its commitments from a JSON data file. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(PROGRAMME_2019_FILE), help="JSON file (default: the 2019-2020 programme)"
        )

    def handle(self, *args, path, **options):
        if not Path(path).is_file():
            raise CommandError(f"File not found: {path}")
        programme = programme_load(path=Path(path))
        self.stdout.write(
            self.style.SUCCESS(
                f"{programme}: {programme.commitments.count()} commitments, "
                f"{programme.legal_bases.count()} legal bases."
            )
        )
