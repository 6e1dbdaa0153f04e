from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from directory.models import Reorganisation
from directory.reorganisation import PLANS, reorganisation_apply, reorganisation_plan, reorganisation_undo


class Command(BaseCommand):
    help = (
        "Apply an administrative reorganisation recorded as data (phutho-2025: the merger into Phú Thọ "
        "and the end of the district level). --dry-run prints every change and writes nothing; --apply "
        "makes them in one transaction; --undo restores the state before it."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", choices=sorted(PLANS))
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", help="Print every change; write nothing.")
        mode.add_argument("--apply", action="store_true", help="Make the changes (one transaction).")
        mode.add_argument("--undo", action="store_true", help="Restore the state before the reorganisation.")

    def handle(self, *args, code, dry_run=False, apply=False, undo=False, **options):
        try:
            if undo:
                reorganisation = Reorganisation.objects.filter(code=code).first()
                if reorganisation is None:
                    raise CommandError(f"{code} has not been applied: nothing to undo.")
                reorganisation_undo(reorganisation=reorganisation)
                self.stdout.write(self.style.SUCCESS(f"{code} undone: the previous state is restored."))
                return
            plan = reorganisation_plan(code)
            lines = plan.lines()
            for line in lines:
                self.stdout.write(line)
            if dry_run:
                self.stdout.write(self.style.WARNING(f"Dry run: {len(lines)} changes listed, nothing written."))
                return
            reorganisation_apply(plan=plan)
            self.stdout.write(self.style.SUCCESS(f"{code} applied: {len(lines)} changes."))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
