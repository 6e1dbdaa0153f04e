from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import registry


class Command(BaseCommand):
    help = "Load realistic Vietnamese demo data for every feature (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DJANGO_DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates demo accounts with a known password: set DJANGO_DEBUG=1 or pass --force."
            )
        self.stdout.write("Seeding demo data for Hòa Bình…")
        # Each app seeds its own part, in the order its AppConfig declares (demo_order): apps
        # whose demo feeds another's come first (reports prefill from training and rotations).
        for _app, seed in registry.demo_seeders():
            seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Password of every demo account: hoabinh-demo"))
