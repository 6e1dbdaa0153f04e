from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Apps whose demo feeds another's come first (reports prefill from training and rotations).
SEED_ORDER = ["directory", "programs", "training", "circulation", "reports", "notifications"]


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
        # Each app seeds its own part, in dependency order, through `<app>/demo.py: seed()`.
        for app in SEED_ORDER:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Password of every demo account: hoabinh-demo"))
