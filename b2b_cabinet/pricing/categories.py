"""Category paths for the engine, from a per-process map instead of a join per product.

Rules and the region assortment look at a product's category *path*; joining the category table
for every product of a 10,000-line batch costs a B-tree search per product. The map of every
category's path is small (a catalogue has hundreds to a few thousand groups), so it is kept per
process and checked once per batch.

The check is exact rather than a version guess: one query returns every ``id:path`` pair as a
single string (the database concatenates them in id order), and the parsed map is reused while that
string is unchanged. Category paths change through ``Category.save``, the 1C classifier import's
bulk rebuild and plain ``UPDATE`` statements, none of which all move ``updated_at``; comparing the
paths themselves cannot miss any of them.
"""

from __future__ import annotations

import threading

from django.db import connection

from b2b_cabinet.models import Category

_lock = threading.Lock()
#: (the paths string the map was parsed from, the map, its generation: + 1 at each change).
_cached: tuple[str | None, dict[int, str], int] = (None, {}, 0)


def paths_sql() -> str:
    """The query (one column, one row) that gives every ``id:path`` pair as one string, in id order."""
    table = Category._meta.db_table
    if connection.vendor == "postgresql":
        return f"SELECT string_agg(id || ':' || path, ',' ORDER BY id) FROM {table}"
    # SQLite 3.40 has no ORDER BY inside an aggregate; ordering the subquery is how it is written there.
    return f"SELECT group_concat(id || ':' || path, ',') FROM (SELECT id, path FROM {table} ORDER BY id)"


def category_paths() -> dict[int, str]:
    """``{category_id: path}`` for every category, read in one query and parsed only when it changed.

    The returned dict is shared: read it, never change it.
    """
    with connection.cursor() as cursor:
        cursor.execute(paths_sql())
        return _parsed(cursor.fetchone()[0])[0]


def paths_version(paths: str | None) -> int:
    """A number that changes in this process whenever any category path has changed, given what
    :func:`paths_sql` returned (callers fold that query into one of their own).

    For what is compiled from paths and kept longer than a batch, such as the rule indexes, whose
    order puts deeper categories first: a category moved under another changes that order.
    """
    return _parsed(paths)[1]


def _parsed(digest: str | None) -> tuple[dict[int, str], int]:
    global _cached
    digest = digest or ""
    seen, paths, generation = _cached
    if digest == seen:
        return paths, generation
    paths = {}
    for pair in digest.split(","):
        if pair:
            category_id, _, path = pair.partition(":")
            paths[int(category_id)] = path
    with _lock:
        generation = _cached[2] + 1
        _cached = (digest, paths, generation)
    return paths, generation


def clear() -> None:
    """Forget the cached map (tests; the next batch reads it again)."""
    global _cached
    with _lock:
        _cached = (None, {}, _cached[2])
