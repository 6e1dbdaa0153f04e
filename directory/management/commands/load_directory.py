from django.core.management.base import BaseCommand

from directory.services import reference_organisations_load, units_load


class Command(BaseCommand):
    help = "Load Hòa Bình's administrative units and the programme's standing organisations (idempotent)."

    def handle(self, *args, **options):
        units = units_load()
        orgs = reference_organisations_load()
        self.stdout.write(self.style.SUCCESS(f"{units} administrative units, {orgs} organisations loaded."))
