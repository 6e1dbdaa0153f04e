"""Long lists paged at the same cost for a province as for a country.

A page of 20 rows should not read the whole table behind it, yet a paginator counts every
row to number its pages, and a list sorted on what no index holds (the date of a course's
last session, the code of a collection's library) sorts every row to find the first 20.
Both are kept here under the data versions of core.versioned: the count, and where the
order cannot be read off an index, the ids in their order, in chunks. A page is then read
as one query of its own rows by primary key.

What is kept is exact: the key is the list's SQL (scope, filters and order included) with
the versions of every table that SQL reads, so any save that could change the list renews
it. A list reading a table no version watches is counted and sorted afresh, as before.
"""

import hashlib
import re
from collections.abc import Sequence

from django.core import paginator
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils.functional import SimpleLazyObject, cached_property

from . import versioned

CHUNK = 500  # ids a cache entry holds: a page reads one or two entries whatever the list's length
_TABLE = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"')


def _stamped_key(kind: str, queryset: QuerySet) -> str | None:
    """A cache key for `queryset` under the versions of the tables it reads, or None."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # `none()`: nothing to keep, and no query to count it either
        return None
    names = versioned.covering(set(_TABLE.findall(sql)))
    if names is None:
        return None
    digest = hashlib.sha1(repr((sql, params)).encode(), usedforsecurity=False).hexdigest()
    return f"paging:{kind}:{versioned.stamp(names)}:{digest}"


def count(queryset: QuerySet) -> int:
    """`queryset.count()`, kept until a save could change it."""
    queryset = queryset.order_by()
    key = _stamped_key("count", queryset.values("pk"))
    if key is None:
        return queryset.count()
    found = cache.get(key)
    if found is None:
        found = queryset.count()
        cache.set(key, found, versioned.TIMEOUT)
    return found


class Paginator(paginator.Paginator):
    """Django's paginator with the count of a queryset kept under its data versions (a
    sequence such as `OrderedIds` or `DirectoryOrder` counts itself)."""

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            return count(self.object_list)
        return super().count


def lazy_page(items, per_page: int, number):
    """Page `number` of `items()` (a callable giving the queryset or sequence), worked out
    when the template first uses it: a list kept rendered ({% datacache %}) reads nothing."""
    return SimpleLazyObject(lambda: Paginator(items(), per_page).get_page(number))


class OrderedIds(Sequence):
    """`queryset` as a sequence a paginator slices: its length and the ids of a slice, in the
    queryset's order, come from the cache (computed with one query of ids when a save
    renewed them); the rows of the slice are one query by primary key, with the
    queryset's annotations and related rows. A queryset reading a table no version
    watches is counted and sliced as it is."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset
        self._ids = queryset.values_list("pk", flat=True)
        self._key = _stamped_key("ids", self._ids)
        self._all = None

    def _compute(self) -> list:
        ids = list(self._ids)
        entries = {f"{self._key}:n": len(ids)}
        entries.update({f"{self._key}:{i // CHUNK}": ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)})
        cache.set_many(entries, versioned.TIMEOUT)
        self._all = ids
        return ids

    def count(self) -> int:
        if self._key is None:
            return self.queryset.count()
        if self._all is not None:
            return len(self._all)
        found = cache.get(f"{self._key}:n")
        if found is not None:
            return found
        return len(self._compute())

    def __len__(self) -> int:
        return self.count()

    def _slice_ids(self, start: int, stop: int) -> list:
        if self._all is None:
            wanted = [f"{self._key}:{i}" for i in range(start // CHUNK, (stop - 1) // CHUNK + 1)]
            found = cache.get_many(wanted)
            if len(found) == len(wanted):
                ids = [pk for key in wanted for pk in found[key]]
                offset = (start // CHUNK) * CHUNK
                return ids[start - offset : stop - offset]
        ids = self._all if self._all is not None else self._compute()
        return ids[start:stop]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        if self._key is None:
            return self.queryset[index]
        start, stop, _step = index.indices(self.count())
        if stop <= start:
            return []
        ids = self._slice_ids(start, stop)
        rows = {row.pk: row for row in self.queryset.filter(pk__in=ids).order_by()}
        return [rows[pk] for pk in ids if pk in rows]
