"""The operations an import needs from the database, with the SQL both vendors share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

from b2b_cabinet.models import OfferState, Price, Product, ProductVariant, StockLevel

PRODUCT = Product._meta.db_table
VARIANT = ProductVariant._meta.db_table
PRICE = Price._meta.db_table
STOCK = StockLevel._meta.db_table
OFFER_STATE = OfferState._meta.db_table

#: Product columns the importer owns. Editorial fields are not here, so an import never touches them.
PRODUCT_COLUMNS = (
    "external_id", "sku", "name", "description", "category_id", "brand_id", "producer_id", "unit_id",
    "unit_ratio", "vat_rate", "barcode", "properties", "requisites", "is_active", "content_hash",
)
PRODUCT_INSERT_ONLY = ("editorial_description", "created_at", "updated_at")
VARIANT_COLUMNS = ("external_id", "product_id", "name", "sku", "barcode", "characteristics", "is_active")
PRICE_COLUMNS = ("product_id", "variant_id", "price_type_id", "value", "currency", "unit_ratio", "min_quantity")
STOCK_COLUMNS = ("product_id", "variant_id", "warehouse_id", "on_hand", "in_transit", "expected_at", "synced_run")
#: Digests forgotten when a full upload deactivates a row: if 1C lists it again, even with the very
#: same bytes, it is read again and comes back active (the offer digests of the row too, see
#: :meth:`BulkWriter.forget_offer_digests`).
DIGESTS = {PRODUCT: "content_hash = NULL", VARIANT: "content_hash = NULL"}
OFFER_DIGESTS = "offer_hash = NULL, prices_hash = NULL, stock_hash = NULL"
#: Offer state columns, in the order of :meth:`BulkWriter.set_offer_state` rows.
OFFER_STATE_COLUMNS = ("external_id", "product_id", "variant_id", "quantity")
#: Which :class:`~b2b_cabinet.models.OfferState` digest records an offers file, by what the file carries.
HASH_COLUMNS = {"offers": "offer_hash", "prices": "prices_hash", "rests": "stock_hash"}


def stale_digests(role: str, carries_prices: bool, carries_stock: bool) -> str:
    """``col = NULL, ...`` for the digests a file of ``role`` makes stale.

    Prices from a prices file must not survive an unchanged offers file that carries prices too,
    and the other way round; so writing one kind forgets the digests of the kinds it overlaps.
    A names-only offers file (split exchange) overlaps nothing.
    """
    if role == "offers":
        stale = [c for c, carried in (("prices_hash", carries_prices), ("stock_hash", carries_stock)) if carried]
    else:
        stale = ["offer_hash"]
    return "".join(f", {column} = NULL" for column in stale)


def last_by(rows: list[tuple], width: int) -> list[tuple]:
    """Rows with a unique key (their first ``width`` fields), the last one winning.

    1C files can list the same offer, or the same price type in one offer, twice; an upsert may
    touch a row only once per statement on PostgreSQL, and SQLite would keep the last anyway.
    """
    unique = {row[:width]: row for row in rows}
    return rows if len(unique) == len(rows) else list(unique.values())


def chunked(items: Sequence, size: int) -> Iterable[Sequence]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class IndexesAside:
    """Indexes :meth:`BulkWriter.indexes_set_aside` dropped, by table, until they are built again."""

    def __init__(self, writer: BulkWriter, statements: dict[str, list[str]]):
        self.writer = writer
        self.statements = statements

    def rebuild(self, tables: Sequence[str] | None = None) -> None:
        """Build the indexes of ``tables`` (default: all that are still aside) again, now."""
        for table in list(self.statements) if tables is None else tables:
            self.writer._rebuild(self.statements.pop(table, []))


class BulkWriter:
    """Vendor-neutral part of the writers; subclasses implement the vendor-specific statements."""

    #: Whether :class:`~b2b_cabinet.sync.offer_batch.OfferBatch` rows come as COPY text.
    copy_text = False
    #: Chunks handed to the workers before the pipeline does work left over from the previous file
    #: (indexes built again), so they read meanwhile; finished results wait in memory, hence a bound.
    results_ahead = 12

    def ahead(self, record: str) -> int:
        """:attr:`results_ahead` for a file of ``record`` elements (``Товар``, ``Предложение``)."""
        return self.results_ahead

    def __init__(self, connection, run_id: int):
        self.connection = connection
        self.run_id = run_id
        self.now: datetime = timezone.now()

    # -- reads -----------------------------------------------------------------------------------
    def fetch_pairs(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _stream(self, sql: str, params: Sequence = ()) -> Iterable[tuple]:
        """A query's rows, fetched a few thousand at a time.

        A whole-table ``fetchall`` would be a list of 150,000 tuples next to the dict built from
        it: memory the process keeps after the list is gone (peak RSS is a target).
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(5000):
                yield from rows

    def known_digests(self, tables: Sequence[str], column: str) -> dict[str, bytes]:
        """Stored digest in ``column`` of every row of ``tables`` by 1C Ид (big files)."""
        found: dict[str, bytes] = {}
        for table in tables:
            found.update(
                (xid, bytes(value)) for xid, value in self._stream(
                    f"SELECT external_id, {column} FROM {table} WHERE external_id IS NOT NULL AND {column} IS NOT NULL"
                )
            )
        return found

    def offer_keys(self, column: str) -> tuple[dict[str, bytes], dict[str, int]]:
        """For a big offers file: the stored ``column`` digest of every offer by Ид, and the primary
        key of every product by Ид (read from the Ид index, not the wide rows)."""
        ids = self.id_map(PRODUCT)
        # A product's offer has the product's Ид: both maps share one string per Ид (12 MB at 150,000).
        same = {xid: xid for xid in ids}
        known = {same.get(xid, xid): bytes(value) for xid, value in self._stream(
            f"SELECT external_id, {column} FROM {OFFER_STATE} WHERE {column} IS NOT NULL"
        )}
        return known, ids

    def id_map(self, table: str) -> dict[str, int]:
        """1C Ид → primary key for every row of ``table`` that has an Ид."""
        return dict(self._stream(f"SELECT external_id, id FROM {table} WHERE external_id IS NOT NULL"))

    def _by_ids(self, table: str, column: str, external_ids: Sequence[str]) -> list[tuple]:
        """(Ид, ``column``) of the rows with the given Ид whose ``column`` is set, 500 Ид a query."""
        rows: list[tuple] = []
        for part in chunked(list(external_ids), 500):
            marks = ", ".join(["%s"] * len(part))
            rows += self.fetch_pairs(
                f"SELECT external_id, {column} FROM {table} WHERE external_id IN ({marks}) AND {column} IS NOT NULL",
                part,
            )
        return rows

    def ids_for(self, table: str, external_ids: Sequence[str]) -> dict[str, int]:
        """1C Ид → primary key for the given Ид only (small imports)."""
        return dict(self._by_ids(table, "id", external_ids))

    def stored_digests(self, table: str, column: str, external_ids: Sequence[str]) -> dict[str, bytes]:
        """Stored digests in ``column`` of ``table`` for the given Ид only (small files)."""
        return {xid: bytes(value) for xid, value in self._by_ids(table, column, external_ids)}

    def forget_record_digests(self) -> None:
        """Make the next import read every product and offer again (the classifier changed)."""
        with self.connection.cursor() as cursor:
            for table in (PRODUCT, VARIANT):
                cursor.execute(f"UPDATE {table} SET content_hash = NULL WHERE content_hash IS NOT NULL")
            cursor.execute(f"UPDATE {OFFER_STATE} SET offer_hash = NULL WHERE offer_hash IS NOT NULL")

    def forget_offer_digests(self, table: str, pks: Sequence[int]) -> None:
        """Forget the offer digests of these products (``table`` PRODUCT) or variants (VARIANT)."""
        column = "product_id" if table == PRODUCT else "variant_id"
        with self.connection.cursor() as cursor:
            for part in chunked(list(pks), 500):
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(f"UPDATE {OFFER_STATE} SET {OFFER_DIGESTS} WHERE {column} IN ({marks})", part)

    def forget_temporary_tables(self) -> None:
        """The transaction rolled back to a savepoint: temporary tables made since may be gone."""

    def is_empty(self, table: str) -> bool:
        """Whether ``table`` has no row at all."""
        return not self.fetch_pairs(f"SELECT 1 FROM {table} LIMIT 1")

    @contextmanager
    def indexes_set_aside(self, tables: Sequence[str]) -> Iterator[IndexesAside]:
        """Drop the secondary indexes of ``tables`` (PostgreSQL: their foreign keys too), rebuild them at the end.

        For a first import into empty tables: building an index from all its rows at once costs a
        fraction of maintaining it row by row (and a foreign key added to a filled table is checked
        by one join, where each inserted row queued a check of its own). Unique indexes stay, since
        the upserts need them. The drops are part of the import's transaction: if the block fails,
        the rollback brings every index back, and the rebuild at the end runs only on success.
        The block may rebuild some tables earlier (:meth:`IndexesAside.rebuild`).
        """
        aside = IndexesAside(self, {table: self._set_aside(table) for table in tables})
        yield aside
        aside.rebuild()

    def _set_aside(self, table: str) -> list[str]:
        """Drop ``table``'s secondary indexes; return the statements that create them again."""
        raise NotImplementedError

    def _rebuild(self, statements: list[str]) -> None:
        """Run the statements :meth:`_set_aside` returned (no parameters: a "%" in DDL is a character)."""
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    # -- writes (vendor specific) ----------------------------------------------------------------
    def upsert_products(self, rows: list[tuple], *, new: bool = False) -> None:
        """Insert or update products; ``rows`` follow :data:`PRODUCT_COLUMNS`.

        ``new``: the caller holds no digest for any of them, so they are probably new (a hint a
        writer may use for a cheaper insert; rows that exist are updated all the same).
        """
        raise NotImplementedError

    def upsert_variants(self, rows: list[tuple]) -> None:
        """Insert or update variants; ``rows`` follow :data:`VARIANT_COLUMNS` (+ content_hash or None)."""
        raise NotImplementedError

    def replace_prices(self, owners: list[tuple[int, int | None]], rows: list[tuple]) -> None:
        """Make the prices of each (product_id, variant_id) owner exactly ``rows`` (:data:`PRICE_COLUMNS`)."""
        raise NotImplementedError

    def upsert_stock(self, owners: list[tuple[int, int | None]], rows: list[tuple]) -> None:
        """Set stock of the owners to ``rows`` (:data:`STOCK_COLUMNS`); their other warehouses drop to 0.

        Reservations made on the portal (``reserved``) are kept.
        """
        raise NotImplementedError

    def set_offer_state(self, role: str, rows: list[tuple], stale: str = "", *, new: bool = False) -> None:
        """Store (Ид, product_id, variant_id, total quantity, digest) of each offer read in its
        :class:`~b2b_cabinet.models.OfferState`; ``stale`` from :func:`stale_digests`. ``new``: the
        caller holds no digest for these offers (a hint, as for :meth:`upsert_products`)."""
        raise NotImplementedError

    def write_offer_batch(self, batch, role: str, stale: str = "") -> None:
        """Execute the final rows the workers built (:class:`~b2b_cabinet.sync.offer_batch.OfferBatch`):
        what :meth:`replace_prices`, :meth:`upsert_stock` and :meth:`set_offer_state` do for them."""
        raise NotImplementedError

    def deactivate_missing(self, table: str, seen: Iterable[str]) -> int:
        """Deactivate active rows of ``table`` with an Ид not in ``seen``, forgetting their digests; return how many."""
        pks = self._deactivate_missing(table, seen)
        self.forget_offer_digests(table, pks)
        return len(pks)

    def _deactivate_missing(self, table: str, seen: Iterable[str]) -> list[int]:
        """Deactivate active rows of ``table`` with an Ид not in ``seen``; return their primary keys."""
        raise NotImplementedError

