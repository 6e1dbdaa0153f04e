"""Figures cached under a data version: whatever changes the data bumps its version (the
apps connect `bump` to the saves of the models the figures are read from), so a cached entry
is never read after the data it was computed from has changed.

    figures = versioned.cached("reports", f"completeness:{period.pk}:{sector}", compute)

The version is bumped at once and again when the transaction commits: a page computing the
figures meanwhile from the data before the commit stores them under the version in between,
which nobody reads after the commit.
"""

import time

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 6 * 3600


def _key(name: str) -> str:
    return f"version:{name}"


def version(name: str) -> int:
    found = cache.get(_key(name))
    if found is None:
        # A fresh start (or an evicted counter) begins where no earlier counter was.
        cache.add(_key(name), time.time_ns(), None)
        found = cache.get(_key(name))
    return found


def _incr(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:
        cache.add(_key(name), time.time_ns(), None)


def bump(name: str) -> None:
    _incr(name)
    transaction.on_commit(lambda: _incr(name))


def cached(name: str, key: str, compute, timeout: int = TIMEOUT):
    full = f"{name}:{version(name)}:{key}"
    found = cache.get(full)
    if found is None:
        found = compute()
        cache.set(full, found, timeout)
    return found


def bumper(name: str):
    """A signal receiver bumping `name` (connect it with weak=False)."""

    def receiver(**kwargs):
        bump(name)

    return receiver


NAMES = ("reports", "circulation")


def bump_all() -> None:
    """After data was written past the models' signals (bulk generators, COPY)."""
    for name in NAMES:
        bump(name)
