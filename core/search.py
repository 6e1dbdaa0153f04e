"""Accent-insensitive search that works the same on SQLite and PostgreSQL.

`normalise("Lạc Sơn") == "lac son"`. In queries, `name__unaccent__icontains=normalise(q)`
compares the unaccented column with the unaccented term: PostgreSQL's `unaccent` extension
(created by core's first migration), or on SQLite a Python function registered on every
new connection.
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField, Transform


def normalise(text: str | None) -> str:
    """Lower case, no diacritics, đ→d, single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.lower().split())


class Unaccent(Transform):
    lookup_name = "unaccent"
    function = "HB_UNACCENT"

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="UNACCENT", **extra_context)


CharField.register_lookup(Unaccent)
TextField.register_lookup(Unaccent)


def _register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("HB_UNACCENT", 1, normalise, deterministic=True)


connection_created.connect(_register_sqlite_function, dispatch_uid="core.search.sqlite_unaccent")
