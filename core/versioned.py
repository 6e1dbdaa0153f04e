"""Figures cached under a data version: whatever changes the data bumps its version (the
apps connect `bump` to the saves of the models the figures are read from), so a cached entry
is never read after the data it was computed from has changed.

    figures = versioned.cached("reports", f"completeness:{period.pk}:{sector}", compute)

The version is bumped at once and again when the transaction commits: a page computing the
figures meanwhile from the data before the commit stores them under the version in between,
which nobody reads after the commit.
"""

import functools
import hashlib
import re
import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

TIMEOUT = 6 * 3600


def _key(name: str) -> str:
    return f"version:{name}"


def version(name: str) -> int:
    if name == DATA:
        _flush_own_writes()
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


def cached(name: str, key: str, compute, timeout: int = TIMEOUT, keep=None):
    """What `compute` returns, kept under the current version of `name`; `keep(value)`
    false leaves a value out of the cache (it is returned all the same)."""
    full = f"{name}:{version(name)}:{key}"
    found = cache.get(full)
    if found is None:
        found = compute()
        if keep is None or keep(found):
            cache.set(full, found, timeout)
    return found


def kept_for(user, kind: str, compute, *vary, timeout: int = TIMEOUT, keep=None):
    """What `compute` returns, kept under DATA for `user`, the language and the day (and the
    values of `vary`, hashed): what a person sees, until any data DATA follows changes."""
    from django.utils import timezone
    from django.utils.translation import get_language

    key = f"{kind}:{user.pk}:{get_language()}:{timezone.localdate():%Y%m%d}"
    if vary:
        key += ":" + hashlib.blake2b("\x1f".join(map(str, vary)).encode(), digest_size=12).hexdigest()
    return cached(DATA, key, compute, timeout, keep)


def bumper(name: str):
    """A signal receiver bumping `name` (connect it with weak=False)."""

    def receiver(**kwargs):
        bump(name)

    return receiver


# What each version covers: a save or delete of any of these models (whichever service,
# import or admin page made it) bumps it. The lists of offices of a period count too.
WATCHED = {
    "reports": [
        "reports.Report",
        "reports.ReportValue",
        "reports.ReportingPeriod",
        "reports.Section",
        "reports.Indicator",
        "directory.Organisation",
        "directory.AdministrativeUnit",
    ],
    "programs": [
        "programs.Programme",
        "programs.Commitment",
        "programs.AnnualPlan",
        "programs.PlanActivity",
        "programs.ActivityProgress",
        "directory.Organisation",
    ],
    "training": ["training.Course", "training.Session", "training.Nomination", "training.Certificate"],
    "circulation": [
        "circulation.Rotation",
        "circulation.RotationEvent",
        "circulation.RotatingCollection",
        "directory.Organisation",
        "directory.AdministrativeUnit",
    ],
    # The directory alone: what the directory's own lists count (core.paging).
    "directory": ["directory.Organisation", "directory.AdministrativeUnit"],
}
NAMES = tuple(WATCHED)
# The lists of many-to-many links whose changes bump a name (see `connect`).
THROUGH = {
    "reports": ["reports.ReportingPeriod.required_organisations"],
    "programs": ["programs.PlanActivity.commitments"],
}


def connect() -> None:
    """Called once at start-up (core.apps)."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for name, labels in WATCHED.items():
        receiver = bumper(name)
        for label in labels:
            model = apps.get_model(label)
            uid = f"versioned:{name}:{label}"
            post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:save")
            post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    for name, paths in THROUGH.items():
        for path in paths:
            m2m_changed.connect(bumper(name), sender=_through(path), weak=False, dispatch_uid=f"versioned:{path}")


def _through(path: str):
    from django.apps import apps

    label, field = path.rsplit(".", 1)
    return apps.get_model(label)._meta.get_field(field).remote_field.through


@functools.cache
def _watchers() -> dict[str, frozenset[str]]:
    """Each database table a version covers -> the names whose versions cover it."""
    from django.apps import apps

    tables: dict[str, set[str]] = {}
    for name, labels in WATCHED.items():
        for label in labels:
            tables.setdefault(apps.get_model(label)._meta.db_table, set()).add(name)
    for name, paths in THROUGH.items():
        for path in paths:
            tables.setdefault(_through(path)._meta.db_table, set()).add(name)
    return {table: frozenset(names) for table, names in tables.items()}


def covering(tables) -> tuple[str, ...] | None:
    """Names whose versions together cover every one of `tables` (few of them, those
    watching fewer models first, so that fewer saves renew what is kept under them), or
    None when a table is watched by no name: what reads it cannot be kept under a version."""
    watchers = _watchers()
    needed = [watchers.get(table) for table in tables]
    if not all(needed):
        return None
    by_churn = sorted(NAMES, key=lambda n: (len(WATCHED[n]), n))
    chosen: list[str] = []
    for names in sorted(needed, key=lambda names: (len(names), sorted(names))):
        if not names.intersection(chosen):
            chosen.append(next(n for n in by_churn if n in names))
    return tuple(sorted(chosen))


def stamp(names) -> str:
    """The current versions of `names` as one part of a cache key."""
    return ".".join(f"{name}{version(name)}" for name in names)


def bump_all() -> None:
    """After data was written past the models' signals (bulk generators, COPY)."""
    for name in (*NAMES, DATA):
        bump(name)


# --- DATA: any write to the tables of the watched apps ---------------------------------------
# The names above follow the saves of listed models. DATA follows every INSERT, UPDATE or
# DELETE the database is sent for a table of the apps in `DATA_APPS` — bulk updates, bulk
# creates and raw SQL included — so what is cached under it (the home page's panels) needs no
# list of models kept in step with the templates. It is bumped once when the transaction
# commits (at once outside a transaction), and, for the connection that wrote, before its next
# read of the version, so a request (or a test) reads its own writes.
DATA = "data"
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)
_watched_tables: frozenset[str] = frozenset()


def _commit_bump() -> None:
    connections[DEFAULT_DB_ALIAS].data_written = False  # the commit's bump covers them
    _incr(DATA)


def _flush_own_writes() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if getattr(connection, "data_written", False):
        connection.data_written = False
        _incr(DATA)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) and sql[:1] in "IUDiud \n" else None
    if match and match.group(1) in _watched_tables:
        connection = context["connection"]
        if not connection.in_atomic_block:
            _incr(DATA)
        else:
            connection.data_written = True
            # One bump per transaction: the list of commit hooks is a new object after every
            # commit or rollback, so registering again for a new list is registering once.
            if getattr(connection, "data_hooks", None) is not connection.run_on_commit:
                connection.on_commit(_commit_bump)
                connection.data_hooks = connection.run_on_commit
    return result


def _install(connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def follows(*models) -> bool:
    """Whether DATA is renewed by every write to the tables of all of `models` (models,
    instances or their `_meta`)."""
    return all(getattr(model, "_meta", model).db_table in _watched_tables for model in models)


def watch_tables(app_labels) -> None:
    """Called once at start-up (core.apps) with the apps whose tables DATA follows."""
    from django.apps import apps
    from django.db.backends.signals import connection_created

    global _watched_tables
    _watched_tables = frozenset(
        model._meta.db_table for label in app_labels for model in apps.get_app_config(label).get_models()
    )
    connection_created.connect(_install, dispatch_uid="versioned:data")
    for connection in connections.all(initialized_only=True):
        _install(connection)
