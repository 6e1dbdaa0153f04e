"""Helpers for the reorganisation tests: the whole database as rows, table by table."""

from django.apps import apps
from django.db import connection


def _m2m_tables() -> set[str]:
    return {model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.auto_created}


def row_counts() -> dict[str, int]:
    """Rows of every table of the database."""
    with connection.cursor() as cursor:
        out = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            out[table] = cursor.fetchone()[0]
    return out


def table_rows(*, history: bool = False) -> dict[str, list]:
    """Every row of every table, sorted (many-to-many rows without their own id, which a
    restored link gets anew). History tables only when asked: undo adds audit rows."""
    m2m = _m2m_tables()
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if not history and "historical" in table:
                continue
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            if table in m2m:
                columns = [c for c in columns if c != "id"]
            cursor.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{table}"')
            out[table] = sorted(cursor.fetchall(), key=repr)
    return out
