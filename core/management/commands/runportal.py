"""Serve the portal with its Celery worker and beat; Ctrl-C stops all three."""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat together (development)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        python = sys.executable
        commands = {
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "hoabinh_library",
                "worker",
                "--loglevel=INFO",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
            ],
            "beat": [python, "-m", "celery", "-A", "hoabinh_library", "beat", "--loglevel=INFO"],
            "web": [python, "manage.py", "runserver", addrport],
        }
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
        self.stdout.write(
            self.style.SUCCESS(f"Portal at http://{addrport}/ (worker and beat running). Ctrl-C to stop.")
        )

        def stop(*_args):
            for proc in processes.values():
                if proc.poll() is None:
                    proc.terminate()
            deadline = time.monotonic() + 10
            for proc in processes.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()

        signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
        try:
            while all(proc.poll() is None for proc in processes.values()):
                time.sleep(0.5)
            dead = [name for name, proc in processes.items() if proc.poll() is not None]
            self.stderr.write(f"Stopped: {', '.join(dead)} exited; stopping the others.")
        except KeyboardInterrupt:
            pass
        finally:
            stop()
