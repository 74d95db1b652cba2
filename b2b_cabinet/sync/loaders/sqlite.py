"""SQLite writer: ``executemany`` upserts on the raw sqlite3 connection, inside Django's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain

from .base import (
    DIGESTS,
    HASH_COLUMNS,
    OFFER_STATE,
    OFFER_STATE_COLUMNS,
    PRICE,
    PRICE_COLUMNS,
    PRODUCT,
    PRODUCT_COLUMNS,
    PRODUCT_INSERT_ONLY,
    STOCK,
    STOCK_COLUMNS,
    VARIANT,
    VARIANT_COLUMNS,
    BulkWriter,
    chunked,
    last_by,
)

PRICE_SET = "value = ?, currency = ?, unit_ratio = ?, min_quantity = ?"
PRICE_CONFLICT = (
    "ON CONFLICT(product_id, price_type_id) WHERE variant_id IS NULL DO UPDATE SET value=excluded.value, "
    "currency=excluded.currency, unit_ratio=excluded.unit_ratio, min_quantity=excluded.min_quantity"
)
STOCK_SET = "on_hand = ?, in_transit = ?, expected_at = ?, synced_run = ?"
STOCK_CONFLICT = (
    "ON CONFLICT(product_id, warehouse_id) WHERE variant_id IS NULL DO UPDATE SET on_hand=excluded.on_hand, "
    "in_transit=excluded.in_transit, expected_at=excluded.expected_at, synced_run=excluded.synced_run"
)
STOCK_ZERO = "SET on_hand = 0, in_transit = 0, expected_at = NULL"
#: Parameters of one multi-row ``INSERT`` (SQLite's historical limit; newer builds allow more).
MAX_PARAMETERS = 999


def _marks(n: int) -> str:
    return ", ".join(["?"] * n)


class SQLiteWriter(BulkWriter):
    """Writes through the sqlite3 driver; SQLite takes one writer at a time, so this is it."""

    #: Its chunk results are Python tuples, several times the memory of PostgreSQL's COPY text.
    results_ahead = 6

    def __init__(self, connection, run_id: int):
        super().__init__(connection, run_id)
        connection.ensure_connection()
        self.raw = connection.connection
        # A bigger page cache keeps the indexes of a 150k-product catalogue in memory during the run.
        self.raw.execute("PRAGMA cache_size=-32768")
        self.stamp = self.now.replace(tzinfo=None).isoformat(sep=" ")

    def _many(self, sql: str, rows: Iterable) -> None:
        self.raw.executemany(sql, rows)

    def _upsert(self, table: str, columns: Sequence[str], rows: list[tuple], conflict: str) -> None:
        """``INSERT ... ON CONFLICT ...`` of every row; ``conflict`` is the ``ON CONFLICT`` clause."""
        if rows:
            self._many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_marks(len(columns))}) {conflict}", rows)

    def _insert_or_upsert(self, table: str, columns: Sequence[str], rows: list[tuple], conflict: str) -> None:
        """Insert rows the caller believes new; when some exist after all, upsert every one of them.

        A plain insert costs a third of an upsert on SQLite (14 against 45 µs a product row, measured),
        and on a first import nearly every row is new. ``OR IGNORE`` skips a row that exists (or that
        breaks a NOT NULL or CHECK constraint): the count tells, and the upsert then writes them all,
        or raises that constraint's error.
        """
        if rows and self._insert_new(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ", len(columns),
                                     rows) < len(rows):
            self._upsert(table, columns, rows, conflict)

    def _insert_new(self, head: str, width: int, rows: list[tuple]) -> int:
        """Run ``head`` + ``(?, ...), (?, ...)`` over ``rows``, many rows a statement; return how many were inserted.

        One statement per row (``executemany``) spends more on starting and ending each statement
        than on the row: a multi-row ``VALUES`` inserts new rows in less than half the time.
        """
        per = max(1, MAX_PARAMETERS // width)
        one = f"({_marks(width)})"
        full = head + ", ".join([one] * per)
        inserted = 0
        for part in chunked(rows, per):
            sql = full if len(part) == per else head + ", ".join([one] * len(part))
            inserted += self.raw.execute(sql, list(chain.from_iterable(part))).rowcount
        return inserted

    def upsert_products(self, rows: list[tuple], *, new: bool = False) -> None:
        rows = last_by(rows, 1)
        columns = (*PRODUCT_COLUMNS, *PRODUCT_INSERT_ONLY)
        updates = ", ".join(f"{c}=excluded.{c}" for c in (*PRODUCT_COLUMNS[1:], "updated_at"))
        conflict = f"ON CONFLICT(external_id) WHERE external_id IS NOT NULL DO UPDATE SET {updates}"
        extra = ("", self.stamp, self.stamp)
        write = self._insert_or_upsert if new else self._upsert
        write(PRODUCT, columns, [row + extra for row in rows], conflict)

    def upsert_variants(self, rows: list[tuple]) -> None:
        rows = last_by(rows, 1)
        columns = (*VARIANT_COLUMNS, "content_hash")
        updates = ", ".join(f"{c}=excluded.{c}" for c in columns[1:])
        sql = (
            f"INSERT INTO {VARIANT} ({', '.join(columns)}) VALUES ({_marks(len(columns))}) "
            f"ON CONFLICT(external_id) WHERE external_id IS NOT NULL DO UPDATE SET {updates}"
        )
        # Offers carry no digest of the variant itself; keep the one a 2.04 goods file stored.
        sql = sql.replace(
            "content_hash=excluded.content_hash", "content_hash=COALESCE(excluded.content_hash, content_hash)"
        )
        self._many(sql, rows)

    def replace_prices(self, owners: list[tuple[int, int | None]], rows: list[tuple]) -> None:
        rows = last_by(rows, 3)
        listed = set(owners)
        again = [r for r in rows if r[:2] in listed]
        new = [r for r in rows if r[:2] not in listed] if len(again) < len(rows) else []
        # Offers read before keep their price rows: updated in place, which touches no index,
        # where delete-and-insert rewrote three indexes per price (5x the cost on a full file).
        values = "value = ?, currency = ?, unit_ratio = ?, min_quantity = ?"
        plain = [(*r[3:], r[0], r[2]) for r in again if r[1] is None]
        variant = [(*r[3:], r[1], r[2]) for r in again if r[1] is not None]
        updated = self._count(
            f"UPDATE {PRICE} SET {values} WHERE product_id = ? AND price_type_id = ? AND variant_id IS NULL", plain
        ) + self._count(f"UPDATE {PRICE} SET {values} WHERE variant_id = ? AND price_type_id = ?", variant)
        write = self._insert_or_upsert
        if updated < len(again):
            new, write = rows, self._upsert  # a price type this offer did not have before: the upsert adds it
        self._delete_unlisted_prices(owners, again)
        updates = "value=excluded.value, currency=excluded.currency, unit_ratio=excluded.unit_ratio, " \
                  "min_quantity=excluded.min_quantity"
        # New offers' prices may exist all the same: a prices file may follow an offers file whose
        # digest was stored elsewhere; _insert_or_upsert then upserts.
        write(PRICE, PRICE_COLUMNS, [r for r in new if r[1] is None],
              f"ON CONFLICT(product_id, price_type_id) WHERE variant_id IS NULL DO UPDATE SET {updates}")
        write(PRICE, PRICE_COLUMNS, [r for r in new if r[1] is not None],
              f"ON CONFLICT(variant_id, price_type_id) WHERE variant_id IS NOT NULL DO UPDATE SET {updates}")

    def _each_in(self, head: str, keys: list, params: tuple = ()) -> None:
        """Run ``head (?, ?, …)`` over ``keys``, as many a statement as SQLite takes: for the
        statements a big offers file runs once per product (most change nothing), one statement
        per thousand products costs a third of one each (measured: 0.72 → 0.19 s for 150,000)."""
        for part in chunked(keys, MAX_PARAMETERS - len(params)):
            self.raw.execute(f"{head} ({_marks(len(part))})", (*params, *part))

    def _count(self, sql: str, rows: list[tuple]) -> int:
        """``executemany`` that returns how many rows the statements changed in all."""
        return self.raw.executemany(sql, rows).rowcount if rows else 0

    def _delete_unlisted_prices(self, owners: list[tuple[int, int | None]], rows: list[tuple]) -> None:
        """Delete the prices of ``owners`` whose type their offer no longer lists (all, for an offer without prices)."""
        types: dict[tuple, list[int]] = {owner: [] for owner in owners}
        for row in rows:
            types[row[:2]].append(row[2])
        # Offers of one file nearly always list the same price types: one statement per distinct set.
        by_set: dict[tuple[int, ...], list[tuple[int, int | None]]] = {}
        for owner, listed in types.items():
            by_set.setdefault(tuple(sorted(set(listed))), []).append(owner)
        for listed, group in by_set.items():
            self._delete_prices_except(
                listed, [(p,) for p, v in group if v is None], [(v,) for _p, v in group if v is not None]
            )

    def _delete_prices_except(self, listed: tuple[int, ...], products: list[tuple], variants: list[tuple]) -> None:
        """Delete the prices of these products and variants whose type is not in ``listed``."""
        kept = f" AND price_type_id NOT IN ({', '.join(map(str, listed))})" if listed else ""
        self._each_in(f"DELETE FROM {PRICE} WHERE variant_id IS NULL{kept} AND product_id IN", [p for (p,) in products])
        self._many(f"DELETE FROM {PRICE} WHERE variant_id = ?{kept}", variants)

    def upsert_stock(self, owners: list[tuple[int, int | None]], rows: list[tuple]) -> None:
        rows = last_by(rows, 3)
        listed = set(owners)
        again = [r for r in rows if r[:2] in listed]
        new = [r for r in rows if r[:2] not in listed] if len(again) < len(rows) else []
        # Stock lines of offers read before are updated in place (see replace_prices).
        values = "on_hand = ?, in_transit = ?, expected_at = ?, synced_run = ?"
        plain = [(*r[3:], r[0], r[2]) for r in again if r[1] is None]
        variant_rows = [(*r[3:], r[1], r[2]) for r in again if r[1] is not None]
        updated = self._count(
            f"UPDATE {STOCK} SET {values} WHERE product_id = ? AND warehouse_id = ? AND variant_id IS NULL", plain
        ) + self._count(f"UPDATE {STOCK} SET {values} WHERE variant_id = ? AND warehouse_id = ?", variant_rows)
        write = self._insert_or_upsert
        if updated < len(again):
            new, write = rows, self._upsert  # a warehouse this offer had no stock line on: the upsert adds it
        columns = (*STOCK_COLUMNS, "reserved")
        updates = "on_hand=excluded.on_hand, in_transit=excluded.in_transit, expected_at=excluded.expected_at, " \
                  "synced_run=excluded.synced_run"
        write(STOCK, columns, [(*row, 0) for row in new if row[1] is None],
              f"ON CONFLICT(product_id, warehouse_id) WHERE variant_id IS NULL DO UPDATE SET {updates}")
        write(STOCK, columns, [(*row, 0) for row in new if row[1] is not None],
              f"ON CONFLICT(variant_id, warehouse_id) WHERE variant_id IS NOT NULL DO UPDATE SET {updates}")
        zero = "SET on_hand = 0, in_transit = 0, expected_at = NULL"
        self._many(
            f"UPDATE {STOCK} {zero} WHERE product_id = ? AND variant_id IS NULL AND synced_run <> ?",
            [(p, self.run_id) for p, v in owners if v is None],
        )
        self._many(
            f"UPDATE {STOCK} {zero} WHERE variant_id = ? AND synced_run <> ?",
            [(v, self.run_id) for _p, v in owners if v is not None],
        )

    def set_offer_state(self, role: str, rows: list[tuple], stale: str = "", *, new: bool = False) -> None:
        column = HASH_COLUMNS[role]
        conflict = (
            f"ON CONFLICT(external_id) DO UPDATE SET product_id = excluded.product_id, "
            f"variant_id = excluded.variant_id, {column} = excluded.{column}{stale}, "
            f"quantity = COALESCE(excluded.quantity, quantity)"
        )
        rows = last_by(rows, 1)
        if not new:
            # Offers read before: a plain UPDATE by Ид costs a fraction of the upsert; the count
            # tells whether some state was missing after all.
            # An Ид always names the same product or variant (deleting one deletes its state).
            params = [(digest, quantity, xid) for xid, _product, _variant, quantity, digest in rows]
            sql = (f"UPDATE {OFFER_STATE} SET {column} = ?{stale}, quantity = COALESCE(?, quantity) "
                   f"WHERE external_id = ?")
            if self._count(sql, params) == len(rows):
                return
        write = self._insert_or_upsert if new else self._upsert
        write(OFFER_STATE, (*OFFER_STATE_COLUMNS, column), rows, conflict)

    def write_offer_batch(self, batch, role: str, stale: str = "") -> None:
        # The same statements as replace_prices / upsert_stock / set_offer_state, on rows the
        # workers shaped for them: no per-row Python here.
        if batch.price_updates:
            if self._count(f"UPDATE {PRICE} SET {PRICE_SET} WHERE product_id = ? AND price_type_id = ? "
                           f"AND variant_id IS NULL", batch.price_updates) < len(batch.price_updates):
                # A price type this offer did not have before: the upsert adds it.
                self._upsert(PRICE, PRICE_COLUMNS, [(p[4], None, p[5], *p[:4]) for p in batch.price_updates],
                             PRICE_CONFLICT)
        for listed, products in batch.price_sets.items():
            self._delete_prices_except(listed, [(p,) for p in products], [])
        self._insert_or_upsert(PRICE, PRICE_COLUMNS, batch.price_rows, PRICE_CONFLICT)
        columns = (*STOCK_COLUMNS, "reserved")
        if batch.stock_updates:
            if self._count(f"UPDATE {STOCK} SET {STOCK_SET} WHERE product_id = ? AND warehouse_id = ? "
                           f"AND variant_id IS NULL", batch.stock_updates) < len(batch.stock_updates):
                self._upsert(STOCK, columns, [(s[4], None, s[5], *s[:4], 0) for s in batch.stock_updates],
                             STOCK_CONFLICT)
        self._insert_or_upsert(STOCK, columns, batch.stock_rows, STOCK_CONFLICT)
        runs: dict[int, list[int]] = {}
        for product, run in batch.stock_owners:
            runs.setdefault(run, []).append(product)
        for run, products in runs.items():
            self._each_in(f"UPDATE {STOCK} {STOCK_ZERO} WHERE variant_id IS NULL AND synced_run <> ? AND product_id IN",
                          products, (run,))
        if batch.states:
            self.set_offer_state(role, batch.states, stale)
        if batch.new_states:
            self.set_offer_state(role, batch.new_states, stale, new=True)

    def _set_aside(self, table: str) -> list[str]:
        # origin 'c': made by CREATE INDEX (not a UNIQUE or PRIMARY KEY constraint of the table).
        names = [row[1] for row in self.raw.execute(f"PRAGMA index_list({table})") if not row[2] and row[3] == "c"]
        restore = []
        for name in names:
            (sql,) = self.raw.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
            ).fetchone()
            restore.append(sql)
            self.raw.execute(f'DROP INDEX "{name}"')
        return restore

    def _deactivate_missing(self, table: str, seen: Iterable[str]) -> list[int]:
        raw = self.raw
        raw.execute("CREATE TEMP TABLE IF NOT EXISTS b2b_seen (external_id TEXT PRIMARY KEY) WITHOUT ROWID")
        raw.execute("DELETE FROM temp.b2b_seen")
        raw.executemany("INSERT OR IGNORE INTO temp.b2b_seen VALUES (?)", ((x,) for x in seen))
        pks = [pk for (pk,) in raw.execute(
            f"UPDATE {table} SET is_active = 0, {DIGESTS[table]} WHERE is_active AND external_id IS NOT NULL "
            f"AND external_id NOT IN (SELECT external_id FROM temp.b2b_seen) RETURNING id"
        ).fetchall()]
        raw.execute("DELETE FROM temp.b2b_seen")
        return pks
