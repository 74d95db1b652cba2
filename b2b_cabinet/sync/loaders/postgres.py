"""PostgreSQL writer: ``COPY`` into temporary tables, then set-based statements (upserts, ``UPDATE ... FROM``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from psycopg import errors

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
    last_by,
)

OWNER_TABLE = "b2b_tmp_owner"
#: How long setting a table's indexes aside may wait for another session's lock before giving up.
LOCK_TIMEOUT = "2s"
#: ``maintenance_work_mem`` while indexes set aside for a first import are built again.
MAINTENANCE_MEMORY = "256MB"


class CopyText(str):
    """Rows already in COPY text format (built by the workers, see ``offer_batch``)."""


class ProductRows(CopyText):
    """COPY text rows whose owners are all product-level: the workers' batches of plain offers."""


def _unique(rows, width: int):
    return rows if isinstance(rows, CopyText) else last_by(rows, width)


def _count(rows) -> int:
    """How many rows: COPY text ends each row with a newline and escapes the newlines in values."""
    return rows.count("\n") if isinstance(rows, CopyText) else len(rows)


#: A COPY text line whose second field (``variant_id``) is NULL.
_PRODUCT_LEVEL = re.compile(r"^[^\t\n]*\t\\N(?:\t|$)", re.MULTILINE)


def _kinds(rows) -> tuple[bool, bool]:
    """Whether ``rows`` (owners, price or stock rows: ``variant_id`` second) hold product-level rows, and variants."""
    if isinstance(rows, ProductRows):
        return bool(rows), False  # known by construction: no scan of a megabyte per batch
    if isinstance(rows, CopyText):
        products = len(_PRODUCT_LEVEL.findall(rows))
        return products > 0, _count(rows) > products
    return any(row[1] is None for row in rows), any(row[1] is not None for row in rows)


#: The two kinds of price and stock rows: which staged rows (``s``), how a table row (``t``) is
#: joined to its staged row besides the price type or warehouse, and the owner column and predicate
#: of the partial unique index they go by.
_KINDS = (
    (
        "s.variant_id IS NULL", "t.variant_id IS NULL AND t.product_id = s.product_id",
        "product_id", "variant_id IS NULL",
    ),
    ("s.variant_id IS NOT NULL", "t.variant_id = s.variant_id", "variant_id", "variant_id IS NOT NULL"),
)


class PostgresWriter(BulkWriter):
    """Writes with psycopg 3's ``COPY``; temporary tables vanish with the transaction."""

    copy_text = True
    #: A chunk of an offers file comes back as COPY text of about an eighth of its 8 MB: the workers
    #: may read a whole 400 MB offers file (≈ 50 MB of results) while the product indexes are built,
    #: instead of stopping after a quarter of it and leaving a core idle (measured: 1–2 s of a full
    #: 150k import). Goods results are rows several times bigger: they keep the base bound.
    offer_results_ahead = 48

    def ahead(self, record: str) -> int:
        return self.offer_results_ahead if record == "Предложение" else self.results_ahead

    def __init__(self, connection, run_id: int):
        super().__init__(connection, run_id)
        connection.ensure_connection()
        self.raw = connection.connection
        self._made: set[str] = set()
        if not connection.get_autocommit():
            # The import is one transaction: a crash before its commit loses the run, atomically,
            # whatever this says; after it, at most the last moments of commits, never a part of
            # one. So the commit need not wait for its WAL to reach the disk. LOCAL: this
            # transaction only.
            with self.raw.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")

    def _temp(self, name: str, definition: str) -> str:
        """An empty temporary table ``name``, created on first use in this transaction."""
        with self.raw.cursor() as cursor:
            if name not in self._made:
                # ON COMMIT goes before AS in CREATE TABLE ... AS, after the column list otherwise.
                if definition.startswith("AS "):
                    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ON COMMIT DROP {definition}")
                else:
                    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} {definition} ON COMMIT DROP")
                self._made.add(name)
            # Emptied every time: an enclosing transaction (a test, a caller's atomic block) may
            # still hold the table from an earlier run.
            cursor.execute(f"TRUNCATE {name}")
        return name

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[tuple] | CopyText) -> None:
        with self.raw.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                if isinstance(rows, CopyText):
                    if rows:
                        copy.write(rows)
                    return
                for row in rows:
                    copy.write_row(row)

    def _execute(self, sql: str, params: Sequence | None = None) -> int:
        with self.raw.cursor() as cursor:
            cursor.execute(sql, params)  # None: no placeholders, so a "%" in DDL is just a character
            return cursor.rowcount

    def forget_temporary_tables(self) -> None:
        self._made.clear()

    def _copy_new(self, tables: Sequence[tuple[str, Sequence[str], Iterable[tuple] | CopyText]]) -> bool:
        """``COPY`` rows believed new straight into their tables; False, having written nothing, if one exists.

        On a first import nearly every row is new, and a plain ``COPY`` into the table costs a
        fraction of staging the rows and upserting them (``ON CONFLICT`` inserts each row
        speculatively). A unique violation rolls back to the savepoint: the caller then upserts.
        """
        try:
            self._in_savepoint(lambda: [self._copy(table, columns, rows) for table, columns, rows in tables])
        except errors.UniqueViolation:
            return False
        return True

    def _in_savepoint(self, work) -> None:
        """Run ``work()``; if it raises, roll back what it did (the transaction goes on) and re-raise."""
        with self.raw.cursor() as cursor:
            cursor.execute("SAVEPOINT b2b_writer")
            try:
                work()
            except BaseException:
                cursor.execute("ROLLBACK TO SAVEPOINT b2b_writer")
                cursor.execute("RELEASE SAVEPOINT b2b_writer")
                raise
            cursor.execute("RELEASE SAVEPOINT b2b_writer")

    def _owners(self, owners: list[tuple[int, int | None]]) -> str:
        table = self._temp(OWNER_TABLE, "(product_id bigint, variant_id bigint)")
        self._copy(table, ("product_id", "variant_id"), owners)
        return table

    def upsert_products(self, rows: list[tuple], *, new: bool = False) -> None:
        rows = last_by(rows, 1)
        if new:
            extra = ("", self.now, self.now)
            if self._copy_new([(PRODUCT, (*PRODUCT_COLUMNS, *PRODUCT_INSERT_ONLY), [row + extra for row in rows])]):
                return
        table = self._temp("b2b_tmp_product", f"AS SELECT {', '.join(PRODUCT_COLUMNS)} FROM {PRODUCT} WITH NO DATA")
        self._copy(table, PRODUCT_COLUMNS, rows)
        columns = ", ".join(PRODUCT_COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*PRODUCT_COLUMNS[1:], "updated_at"))
        self._execute(
            f"INSERT INTO {PRODUCT} ({columns}, editorial_description, created_at, updated_at) "
            f"SELECT {columns}, '', %s, %s FROM {table} "
            f"ON CONFLICT (external_id) WHERE external_id IS NOT NULL DO UPDATE SET {updates}",
            (self.now, self.now),
        )

    def upsert_variants(self, rows: list[tuple]) -> None:
        rows = last_by(rows, 1)
        columns = (*VARIANT_COLUMNS, "content_hash")
        table = self._temp("b2b_tmp_variant", f"AS SELECT {', '.join(columns)} FROM {VARIANT} WITH NO DATA")
        self._copy(table, columns, rows)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in VARIANT_COLUMNS[1:])
        self._execute(
            f"INSERT INTO {VARIANT} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM {table} "
            f"ON CONFLICT (external_id) WHERE external_id IS NOT NULL DO UPDATE SET {updates}, "
            f"content_hash = COALESCE(EXCLUDED.content_hash, {VARIANT}.content_hash)"
        )

    def write_offer_batch(self, batch, role: str, stale: str = "") -> None:
        # States first: an offer read before by another kind of file (a prices file after the
        # offers file) has its state already, and the straight COPY then stops at its first row.
        if not batch.existing and self._copy_new([
            (OFFER_STATE, (*OFFER_STATE_COLUMNS, HASH_COLUMNS[role]), CopyText(batch.states)),
            (PRICE, PRICE_COLUMNS, CopyText(batch.price_rows)),
            (STOCK, (*STOCK_COLUMNS, "reserved"), CopyText(batch.stock_rows)),
        ]):
            return
        if batch.price_rows or batch.price_owners:
            self.replace_prices(ProductRows(batch.price_owners), ProductRows(batch.price_rows))
        if batch.stock_rows or batch.stock_owners:
            self.upsert_stock(ProductRows(batch.stock_owners), ProductRows(batch.stock_rows))
        self.set_offer_state(role, CopyText(batch.states), stale)

    def replace_prices(self, owners: list[tuple[int, int | None]], rows: list[tuple]) -> None:
        rows = _unique(rows, 3)
        staged = self._temp("b2b_tmp_price", f"AS SELECT {', '.join(PRICE_COLUMNS)} FROM {PRICE} WITH NO DATA")
        self._copy(staged, PRICE_COLUMNS, rows)
        if owners:
            # Only the price types an offer read before no longer lists are deleted; its other
            # prices are updated in place below (narrow rows: HOT updates, no index churn), where
            # delete-and-insert rewrote every index of every price.
            table = self._owners(owners)
            product_level, variants = _kinds(owners)
            # Each statement only for owners of its kind: run for none, it scans every price of the site.
            if product_level:
                self._execute(
                    f"DELETE FROM {PRICE} p USING {table} o WHERE o.variant_id IS NULL AND p.product_id = o.product_id "
                    f"AND p.variant_id IS NULL AND NOT EXISTS (SELECT 1 FROM {staged} s WHERE s.variant_id IS NULL "
                    f"AND s.product_id = p.product_id AND s.price_type_id = p.price_type_id)"
                )
            if variants:
                self._execute(
                    f"DELETE FROM {PRICE} p USING {table} o WHERE p.variant_id = o.variant_id AND NOT EXISTS "
                    f"(SELECT 1 FROM {staged} s WHERE s.variant_id = p.variant_id "
                    f"AND s.price_type_id = p.price_type_id)"
                )
        self._merge(PRICE, staged, rows, "price_type_id", PRICE_COLUMNS, PRICE_COLUMNS,
                    ("value", "currency", "unit_ratio", "min_quantity"))

    def upsert_stock(self, owners: list[tuple[int, int | None]], rows: list[tuple]) -> None:
        """As the base class; COPY text rows come with ``reserved`` (0) last, tuples without it."""
        rows = _unique(rows, 3)
        if not isinstance(rows, CopyText):
            rows = [(*row, 0) for row in rows]
        table = self._temp("b2b_tmp_stock", f"AS SELECT {', '.join(STOCK_COLUMNS)}, reserved FROM {STOCK} WITH NO DATA")
        self._copy(table, (*STOCK_COLUMNS, "reserved"), rows)
        # Reservations made on the portal are the portal's: an existing row keeps its own.
        self._merge(STOCK, table, rows, "warehouse_id", (*STOCK_COLUMNS, "reserved"), (*STOCK_COLUMNS, "0"),
                    ("on_hand", "in_transit", "expected_at", "synced_run"))
        if not owners:
            return
        owner_table = self._owners(owners)
        for (condition, join, _owner, _where), present in zip(_KINDS, _kinds(owners), strict=True):
            if present:
                self._execute(
                    f"UPDATE {STOCK} t SET on_hand = 0, in_transit = 0, expected_at = NULL FROM {owner_table} s "
                    f"WHERE {condition} AND {join} AND t.synced_run <> %s",
                    (self.run_id,),
                )

    def _merge(self, table: str, staged: str, rows, key: str, columns: Sequence[str], values: Sequence[str],
               updated_columns: Sequence[str]) -> None:
        """Make the price or stock rows of ``table`` those ``staged`` holds (one per owner and ``key``).

        The rows an upload names mostly exist: an ``UPDATE ... FROM`` writes them for about a fifth
        less than ``INSERT ... ON CONFLICT DO UPDATE``, which first tries to insert each row
        (measured on 25,000 stock rows: 129 against 161 ms). Only when fewer rows were updated than
        staged does the upsert run: it inserts the missing rows, and updates a row that another
        import inserted and committed meanwhile (the ``UPDATE`` could not see it), so the last
        import still wins.
        """
        updated = 0
        kinds = _kinds(rows)
        assignments = ", ".join(f"{column} = s.{column}" for column in updated_columns)
        for (condition, join, _owner, _where), present in zip(_KINDS, kinds, strict=True):
            if present:
                updated += self._execute(
                    f"UPDATE {table} t SET {assignments} FROM {staged} s "
                    f"WHERE {condition} AND {join} AND t.{key} = s.{key}"
                )
        if updated < _count(rows):
            excluded = ", ".join(f"{column} = EXCLUDED.{column}" for column in updated_columns)
            for (condition, _join, owner, where), present in zip(_KINDS, kinds, strict=True):
                if present:
                    self._execute(
                        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {staged} s "
                        f"WHERE {condition} ON CONFLICT ({owner}, {key}) WHERE {where} DO UPDATE SET {excluded}"
                    )

    def set_offer_state(self, role: str, rows: list[tuple], stale: str = "", *, new: bool = False) -> None:
        if not rows:
            return
        column = HASH_COLUMNS[role]
        columns = (*OFFER_STATE_COLUMNS, column)
        table = self._temp(
            "b2b_tmp_offer", "(external_id text, product_id bigint, variant_id bigint, quantity numeric, digest bytea)"
        )
        self._copy(table, (*OFFER_STATE_COLUMNS, "digest"), _unique(rows, 1))
        self._execute(
            f"INSERT INTO {OFFER_STATE} ({', '.join(columns)}) "
            f"SELECT {', '.join(OFFER_STATE_COLUMNS)}, digest FROM {table} "
            f"ON CONFLICT (external_id) DO UPDATE SET product_id = EXCLUDED.product_id, "
            f"variant_id = EXCLUDED.variant_id, {column} = EXCLUDED.{column}{stale}, "
            f"quantity = COALESCE(EXCLUDED.quantity, {OFFER_STATE}.quantity)"
        )

    def _set_aside(self, table: str) -> list[str]:
        indexes = self.fetch_pairs(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            (table,),
        )
        keys = self.fetch_pairs(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            (table,),
        )

        def drop() -> None:
            # Never wait behind another session's lock (nor make its readers queue behind ours).
            self._execute("SELECT set_config('lock_timeout', %s, true)", (LOCK_TIMEOUT,))
            for name, _definition in keys:
                self._execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                self._execute(f'DROP INDEX "{name}"')

        timeout = self.fetch_pairs("SHOW lock_timeout")[0][0]
        try:
            self._in_savepoint(drop)
        except (errors.InsufficientPrivilege, errors.LockNotAvailable, errors.DeadlockDetected):
            # Not the owner of the tables (the migrations ran as another role), or another session
            # is using them: this table is written the ordinary way, its indexes in place.
            return []
        finally:
            self._execute("SELECT set_config('lock_timeout', %s, true)", (timeout,))
        # Indexes first: adding a foreign key checks every row, and the check may use them.
        return [definition for _name, definition in indexes] + [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for name, definition in keys
        ]

    def _rebuild(self, statements: list[str]) -> None:
        if statements:
            # Sorting a 150,000-row index in memory instead of in temporary files; this transaction only.
            self._execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_MEMORY}'")
        super()._rebuild(statements)

    def _deactivate_missing(self, table: str, seen: Iterable[str]) -> list[int]:
        temp = self._temp("b2b_tmp_seen", "(external_id text)")
        self._copy(temp, ("external_id",), ((x,) for x in seen))
        self._execute(f"CREATE INDEX IF NOT EXISTS b2b_tmp_seen_idx ON {temp} (external_id)")
        self._execute(f"ANALYZE {temp}")
        with self.raw.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} t SET is_active = false, {DIGESTS[table]} WHERE t.is_active "
                f"AND t.external_id IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {temp} s WHERE s.external_id = t.external_id) RETURNING t.id"
            )
            return [pk for (pk,) in cursor.fetchall()]
