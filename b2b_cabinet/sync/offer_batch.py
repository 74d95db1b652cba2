"""Final price, stock and offer-state rows of an offers file, built in the worker processes.

On a big offers file the main process, the one writer, was the bottleneck: for every offer it
resolved price-type, warehouse and product keys and goods in transit, and reshaped the offer's row
into price and stock rows. The workers inherit those maps at the fork (:class:`OfferPlan`), so
they build the writer's final rows for the common offer, a product-level offer of a known product
whose price types and warehouses are all declared, and the main process only executes them
(:meth:`~b2b_cabinet.sync.loaders.base.BulkWriter.write_offer_batch`). Any other offer (a variant,
a deleted offer, a repeated Ид, an unknown reference that needs a warning or an error) takes the
row path of :class:`~b2b_cabinet.sync.offers_load.OfferSink`, which reports it.

Numbers travel as the text ``str(Decimal)`` gives, which is what both drivers send for a
``Decimal``: a string pickles several times faster than a ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class OfferPlan:
    """What a worker needs to build final rows; set before the workers fork."""

    product_ids: dict[str, int]  # product Ид -> primary key
    price_types: dict[str, tuple[int, str]]  # price type Ид -> (primary key, currency)
    warehouses: dict[str, int]  # warehouse Ид -> primary key
    run_id: int
    currency: str  # the site's default currency
    copy_text: bool  # PostgreSQL: rows as COPY text; SQLite: statement parameters
    #: How many price types and warehouses the site has, 1C's or not. An offer that lists that many
    #: (each once) lists them all: none of its stored rows can be of another one, so the statements
    #: that delete the prices of unlisted types and zero unlisted warehouses skip it. Counted when
    #: the plan is built, after the run's classifier: a type or warehouse someone adds on the site
    #: while the import runs is treated as added after it (its prices and stock stay).
    all_price_types: int = -1
    all_warehouses: int = -1


def _copy_value(value) -> str:
    """One field in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _copy_line(row: tuple) -> str:
    return "\t".join(map(_copy_value, row)) + "\n"


@dataclass
class OfferBatch:
    """The final rows of one chunk's plain offers, in the shape the vendor's writer executes.

    SQLite (statement parameters):

    * ``price_updates``: ``(value, currency, unit_ratio, min_quantity, product_id, price_type_id)``
      of offers read before; ``price_rows``: :data:`~b2b_cabinet.sync.loaders.base.PRICE_COLUMNS`
      rows of new offers;
    * ``price_sets``: the listed price types → products read before, whose other prices go;
    * ``stock_updates``: ``(on_hand, in_transit, expected_at, synced_run, product_id, warehouse_id)``;
      ``stock_rows``: ``STOCK_COLUMNS`` + ``reserved`` of new offers;
      ``stock_owners``: ``(product_id, run_id)`` of offers read before, whose other warehouses drop to 0;
    * ``states`` / ``new_states``: offer state rows ``(Ид, product_id, None, quantity, digest)``.

    PostgreSQL: ``price_rows``, ``stock_rows`` (+ ``reserved``), ``states`` hold every offer's rows and
    ``price_owners``/``stock_owners`` the ``(product_id, None)`` owners read before, each joined
    into one COPY text string by :meth:`finish`.
    """

    copy_text: bool
    existing: int = 0
    new: int = 0
    price_updates: list = field(default_factory=list)
    price_rows: list = field(default_factory=list)
    price_sets: dict = field(default_factory=dict)
    price_owners: list = field(default_factory=list)
    stock_updates: list = field(default_factory=list)
    stock_rows: list = field(default_factory=list)
    stock_owners: list = field(default_factory=list)
    states: list = field(default_factory=list)
    new_states: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.existing or self.new)

    def add(self, xid: str, product: int, existing: bool, prices, stocks, quantity, digest: bytes, run_id,
            complete: tuple[bool, bool] = (False, False)) -> None:
        """One offer: ``prices`` ``[(type pk, value, currency, ratio, minimum)]`` or None, ``stocks``
        ``[(warehouse pk, on hand, in transit, expected)]`` or None (None: the file does not carry
        them); numbers (and ``quantity``) already as text. ``complete``: whether it lists every price
        type, and every warehouse, of the site (see :class:`OfferPlan`)."""
        if self.copy_text:
            self._add_text(xid, product, existing, prices, stocks, quantity, digest, run_id, complete)
            return
        if existing:
            self.existing += 1
            if prices is not None:
                self.price_updates += [(v, c, r, m, product, t) for t, v, c, r, m in prices]
                if not complete[0]:
                    self.price_sets.setdefault(tuple(sorted(t for t, *_ in prices)), []).append(product)
            if stocks is not None:
                self.stock_updates += [(q, tr, e, run_id, product, w) for w, q, tr, e in stocks]
                if not complete[1]:
                    self.stock_owners.append((product, run_id))
            self.states.append((xid, product, None, quantity, digest))
        else:
            self.new += 1
            if prices is not None:
                self.price_rows += [(product, None, t, v, c, r, m) for t, v, c, r, m in prices]
            if stocks is not None:
                self.stock_rows += [(product, None, w, q, tr, e, run_id, 0) for w, q, tr, e in stocks]
            self.new_states.append((xid, product, None, quantity, digest))

    def _add_text(self, xid, product, existing, prices, stocks, quantity, digest, run_id, complete) -> None:
        if existing:
            self.existing += 1
        else:
            self.new += 1
        if prices is not None:
            if existing and not complete[0]:
                self.price_owners.append(f"{product}\t\\N\n")
            self.price_rows += [f"{product}\t\\N\t{t}\t{v}\t{_copy_value(c)}\t{r}\t{_copy_value(m)}\n"
                                for t, v, c, r, m in prices]
        if stocks is not None:
            if existing and not complete[1]:
                self.stock_owners.append(f"{product}\t\\N\n")
            self.stock_rows += [f"{product}\t\\N\t{w}\t{q}\t{tr}\t{_copy_value(e)}\t{run_id}\t0\n"
                                for w, q, tr, e in stocks]
        self.states.append(_copy_line((xid, product, None, quantity, digest)))

    def finish(self) -> OfferBatch:
        """Join COPY text lines into one string per table (one object to send back, not thousands)."""
        if self.copy_text:
            for name in ("price_rows", "price_owners", "stock_rows", "stock_owners", "states"):
                setattr(self, name, "".join(getattr(self, name)))
        return self
