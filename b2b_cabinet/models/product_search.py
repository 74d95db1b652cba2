"""The SQLite search index of product names and SKUs (an FTS5 table with the ``trigram`` tokenizer).

Why: SQLite has no trigram index, and its ``LIKE`` folds ASCII case only, so without this table a
search for a rare Cyrillic word scans all 150,000 names in several case forms. The FTS5 ``trigram``
tokenizer indexes every three-character run of the name and SKU, with ``case_sensitive 0`` folding
Unicode case ("автомат" finds "АВТОМАТ"), and a quoted phrase in ``MATCH`` is a substring test. It
needs three characters: shorter words fall back to a scan (:func:`scan`).

How it stays in step: the table is *external content* (``content='b2b_cabinet_product'``: it stores
only the index) kept current by triggers on the product table, so every writer (the admin,
``bulk_create``, ``QuerySet.update``, deletes, raw SQL) updates it inside its own transaction, and a
rolled-back write leaves it as it was. The update trigger fires only when the name or SKU really
changes, so offers, prices and stock cost nothing here. An FTS5 write per row is dear, though (each
statement flushes the index), so the 1C importer writes a goods file inside :func:`deferred`, which
swaps the triggers for ones that only note the changed rows and indexes them set-based at the end
(see ``benchmarks/search_index_bench.py``: row by row would add 2–5 s to 150,000 new products).

Migration 0009 creates it all; :func:`ensure` also runs after every ``migrate`` to repair it,
because Django rebuilds a SQLite table to alter it (``_remake_table``), which drops its triggers.
PostgreSQL needs none of this: its ``UPPER`` folds every alphabet and migration 0004's ``pg_trgm``
indexes serve ``icontains``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from django.db import models, transaction

TABLE = "b2b_product_search"
#: Rows written under :func:`deferred`, with the values the index holds for those it had indexed.
STALE = "b2b_product_search_stale"
PRODUCT_TABLE = "b2b_cabinet_product"
#: The shortest word the trigram index can find; shorter words are matched by a scan.
MIN_WORD = 3
#: A text matching at least this many products is "common": the listing, ordered by name, finds its
#: first page after a few rows of a scan, cheaper than reading this many ids out of the index.
COMMON = 5000
#: :func:`deferred` rebuilds the whole index when at least 1 / REBUILD_SHARE of the products changed.
REBUILD_SHARE = 3

_CHANGED = "WHEN old.name IS NOT new.name OR old.sku IS NOT new.sku"
_INDEX_NEW = f"INSERT INTO {TABLE} (rowid, name, sku) VALUES (new.id, new.name, new.sku);"
_UNINDEX_OLD = f"INSERT INTO {TABLE} ({TABLE}, rowid, name, sku) VALUES ('delete', old.id, old.name, old.sku);"
# The first note of a row wins (OR IGNORE): an insert means the index never had it; an update or a
# delete keeps the values the index holds, to take them out again.
_NOTE_NEW = f"INSERT OR IGNORE INTO {STALE} (id, indexed) VALUES (new.id, 0);"
_NOTE_OLD = f"INSERT OR IGNORE INTO {STALE} (id, name, sku, indexed) VALUES (old.id, old.name, old.sku, 1);"


def _triggers(on_insert: str, on_delete: str, on_update: str) -> dict[str, str]:
    head = f"CREATE TRIGGER {TABLE}_%s AFTER %s ON {PRODUCT_TABLE}"
    return {
        f"{TABLE}_insert": f"{head % ('insert', 'INSERT')} BEGIN {on_insert} END",
        f"{TABLE}_delete": f"{head % ('delete', 'DELETE')} BEGIN {on_delete} END",
        f"{TABLE}_update": f"{head % ('update', 'UPDATE OF name, sku')} {_CHANGED} BEGIN {on_update} END",
    }


#: Keep the index current row by row.
TRIGGERS = _triggers(_INDEX_NEW, _UNINDEX_OLD, _UNINDEX_OLD + " " + _INDEX_NEW)
#: Under :func:`deferred`: only note which rows changed.
NOTING_TRIGGERS = _triggers(_NOTE_NEW, _NOTE_OLD, _NOTE_OLD)
CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(name, sku, content='{PRODUCT_TABLE}', "
    "content_rowid='id', tokenize='trigram case_sensitive 0')",
    f"CREATE TABLE IF NOT EXISTS {STALE} (id INTEGER PRIMARY KEY, name TEXT, sku TEXT, indexed INTEGER NOT NULL)",
]


def supported(connection) -> bool:
    """True on SQLite builds with FTS5 and its ``trigram`` tokenizer (SQLite ≥ 3.34)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.b2b_fts_probe USING fts5(x, tokenize='trigram')")
        except Exception:  # OperationalError: no such module or tokenizer, whatever the driver calls it
            return False
        cursor.execute("DROP TABLE temp.b2b_fts_probe")
    return True


def ensure(connection, *, create: bool = True) -> bool:
    """Create the index, its tables and triggers where missing; rebuild the index if anything was.

    With ``create=False`` (after ``migrate``) only an existing index is repaired: after migrating
    back past 0009 there is none, and none is made. Cheap when all is in place (one query).
    Returns whether the index exists.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s) "
                       "OR (type = 'trigger' AND tbl_name = %s)", [TABLE, STALE, PRODUCT_TABLE, PRODUCT_TABLE])
        present = {row[0] for row in cursor.fetchall()}
    missing = ({TABLE, STALE} | set(TRIGGERS)) - present
    if PRODUCT_TABLE not in present or (TABLE in missing and not create):
        return False
    if missing:
        if not supported(connection):
            return False
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for sql in CREATE:
                cursor.execute(sql)
            for name, sql in TRIGGERS.items():
                if name in missing:
                    cursor.execute(sql)
            # Rows written while a trigger was missing are not indexed: read the product table again.
            _rebuild(cursor)
            cursor.execute(f"DELETE FROM {STALE}")
    connection.b2b_search_index = connection.settings_dict["NAME"]
    return True


def drop(connection) -> None:
    """Remove the index, its tables and triggers (migration 0009 backwards)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f"DROP TABLE IF EXISTS {STALE}")
    connection.b2b_search_index = None


def available(connection) -> bool:
    """Whether this SQLite database has the index; a found index is remembered on the connection."""
    if connection.vendor != "sqlite":
        return False
    name = connection.settings_dict["NAME"]
    if getattr(connection, "b2b_search_index", None) == name:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
        found = cursor.fetchone() is not None
    if found:
        connection.b2b_search_index = name
    return found


#: FTS5's own default for "automerge" (used when the index has no setting of its own).
AUTOMERGE_DEFAULT = 4


def _rebuild(cursor) -> None:
    """Build the index from the product table, without merging segments while it is built.

    FTS5 merges small segments as rows come in ("automerge"); a rebuild writes every row at once,
    so those merges are wasted work: without them it takes a quarter less (2.8 → 2.1 s for 150,000
    products) and searches as fast (measured: 3.5 ms a query either way). The setting is put back.
    """
    cursor.execute(f"SELECT v FROM {TABLE}_config WHERE k = 'automerge'")
    row = cursor.fetchone()
    cursor.execute(f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('automerge', 0)")
    cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')")
    # Through FTS5 itself (not the config table), which tells every connection to read it again.
    cursor.execute(f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('automerge', %s)",
                   [AUTOMERGE_DEFAULT if row is None else row[0]])


def _swap(cursor, triggers: dict[str, str]) -> None:
    for name, sql in triggers.items():
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(sql)


@contextmanager
def deferred(connection):
    """Index the products written inside the block at its end, in two set-based statements.

    For bulk writers (the 1C importer). Atomic: the trigger swap is part of the block's transaction
    (a savepoint), so a failure rolls back the swap with the writes. A no-op without the index.
    """
    with transaction.atomic(using=connection.alias):
        finish = defer(connection)
        yield
        finish()


def defer(connection) -> Callable[[], None]:
    """Start indexing set-based, as :func:`deferred` does; return the function that ends it.

    For a caller already inside a transaction that wants to choose when the indexing happens (the
    importer runs it while its workers read the next file). Returns a no-op without the index.
    """
    if not available(connection):
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {PRODUCT_TABLE})")
        empty = not cursor.fetchone()[0]
        if empty:
            # Every row will be new: the index is built from the table at the end, so there is
            # nothing to note (a trigger program per inserted row is dear).
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            _swap(cursor, NOTING_TRIGGERS)

    def finish() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT (SELECT count(*) FROM {STALE}), (SELECT count(*) FROM {PRODUCT_TABLE})")
            changed, total = cursor.fetchone()
            if empty or changed * REBUILD_SHARE >= total:
                # Most of the catalogue changed (a first import): reading it all again is cheaper
                # than taking the old words out row by row.
                _rebuild(cursor)
            elif changed:
                cursor.execute(f"INSERT INTO {TABLE} ({TABLE}, rowid, name, sku) "
                               f"SELECT 'delete', id, name, sku FROM {STALE} WHERE indexed")
                cursor.execute(f"INSERT INTO {TABLE} (rowid, name, sku) SELECT p.id, p.name, p.sku "
                               f"FROM {STALE} s JOIN {PRODUCT_TABLE} p ON p.id = s.id")
            cursor.execute(f"DELETE FROM {STALE}")
            _swap(cursor, TRIGGERS)

    return finish


def match_expression(words: list[str]) -> str:
    """An FTS5 query: every word as a quoted phrase (a substring of the name or SKU), all required."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def matching_ids(connection, expression: str, barcode: str) -> list[int] | None:
    """Ids of products (active or not) matching ``expression`` or with this ``barcode``; ``None`` if
    there are ``COMMON`` or more of them.

    The ids, not a subquery: the listing asks twice (its page and its capped count), and a common
    word's long posting lists are read once. One list of both, because ``id IN (...) OR barcode = ?``
    would make SQLite scan the table.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
                       f"UNION SELECT id FROM {PRODUCT_TABLE} WHERE barcode = %s LIMIT %s",
                       [expression, barcode, COMMON])
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) < COMMON else None


def scan(words: list[str], sqlite: bool) -> models.Q:
    """Every word anywhere in the SKU or the name, case-insensitively, tested row by row.

    SQLite's ``LIKE`` folds ASCII only: there a non-ASCII word tries its typed, lower, upper and
    capitalised forms with ``instr()``, cheaper than ``LIKE`` for a scan.
    """
    match = models.Q()
    for word in words:
        one = models.Q(sku__icontains=word)
        if sqlite and not word.isascii():
            for form in {word, word.lower(), word.upper(), word.capitalize()}:
                one |= models.Q(name__instr=form)
        else:
            one |= models.Q(name__icontains=word)
        match &= one
    return match
