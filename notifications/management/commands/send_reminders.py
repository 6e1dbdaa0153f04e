"""Run the reminder sweep once, as if at a given time, and print what it decided."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications import services
from notifications.models import kind_label


class Command(BaseCommand):
    help = (
        "Run the reminder sweep once (the same one beat runs) and print the reminders decided, "
        "by kind and channel. --now is read in Asia/Ho_Chi_Minh time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Run as if at this time, e.g. 2026-06-10T08:00 (Hòa Bình time).")
        parser.add_argument("--dry-run", action="store_true", help="Compute and print, record and send nothing.")
        parser.add_argument(
            "--deliver", action="store_true", help="Also send due deliveries in this process (no worker needed)."
        )

    def handle(self, *args, now=None, dry_run=False, deliver=False, **options):
        when = None
        if now:
            try:
                when = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now: not a date and time: {now!r} (expected e.g. 2026-06-10T08:00)")
            if timezone.is_naive(when):
                when = when.replace(tzinfo=services.REMINDER_TZ)
        result = services.reminders_sweep(now=when, dry_run=dry_run)
        local = result.now.astimezone(services.REMINDER_TZ)
        self.stdout.write(f"Sweep at {local:%Y-%m-%d %H:%M} (Asia/Ho_Chi_Minh){' — dry run' if dry_run else ''}")
        table = result.by_kind()
        channels = sorted({channel for row in table.values() for channel in row})
        if table:
            width = max(len(k) for k in table)
            self.stdout.write(f"  {'kind':<{width}}  " + "  ".join(f"{c:>7}" for c in channels))
            for kind, row in table.items():
                cells = "  ".join(f"{row.get(c, 0):>7}" for c in channels)
                self.stdout.write(f"  {kind:<{width}}  {cells}   {kind_label(kind)}")
        self.stdout.write(f"reminders: {result.reminders}")
        for channel in channels:
            total = sum(row.get(channel, 0) for row in table.values())
            self.stdout.write(f"channel {channel}: {total}")
        self.stdout.write(f"digest e-mails: {result.digests}")
        self.stdout.write(f"earlier deliveries still pending, handed to the worker again: {result.requeued}")
        if deliver and not dry_run:
            outcome = services.deliveries_send_due()
            self.stdout.write("delivered now: " + (", ".join(f"{k} {v}" for k, v in sorted(outcome.items())) or "0"))
