"""The portal's own settings, with the benchmark's floor view added to the URLs."""

from hoabinh_library.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
