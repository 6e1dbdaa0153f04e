import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Build a deterministic benchmark dataset: the demo plus synthetic districts up to --districts."

    def add_arguments(self, parser):
        parser.add_argument("--districts", type=int, default=11)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=10)

    def handle(self, *args, districts, seed, years, **options):
        from benchmarks.dataset import Generator

        start = time.perf_counter()
        counts = Generator(districts=districts, seed=seed, years=years, stdout=self.stdout).run()
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Dataset of {districts} districts in {time.perf_counter() - start:.1f}s: {summary}")
        )
