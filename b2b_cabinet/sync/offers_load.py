"""Writing offer rows: variants, prices, stock per warehouse, goods in transit, offer states (digests, totals)."""

from __future__ import annotations

from pathlib import Path

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import ImportIssue, PriceType, Warehouse
from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.loaders.base import PRODUCT, VARIANT, stale_digests
from b2b_cabinet.sync.offer_batch import OfferPlan
from b2b_cabinet.sync.workers import ChunkResult

W = ImportIssue.Level.WARNING
R = ImportIssue.Level.REJECTED
UNKNOWN_PRICE_TYPE_HINT = (
    "Export the catalogue with its price types (a full exchange, or the classifier file) before this file."
)


class OfferSink:
    """Receives chunk results of one offers/prices/rests file and writes them."""

    def __init__(self, importer, path: Path, role: str, known: dict[str, bytes], product_ids, first=None, *,
                 every_product: bool = True):
        """``first`` is the file's first offer, telling what the file carries. ``product_ids`` maps
        product Ид to keys: of every product (``every_product``), or of those the file's offers
        name (a small file; others, such as a variant's product, are looked up when needed)."""
        self.importer = importer
        self.writer = importer.writer
        self.issues = importer.issues
        self.counts = importer.counts
        self.path = path
        self.role = role
        self.known = known
        self.product_ids = product_ids  # dict, or None (looked up per chunk)
        self.every_product = every_product
        self.price_types = {x: (pk, cur) for x, pk, cur in PriceType.objects.exclude(external_id=None)
                            .values_list("external_id", "pk", "currency")}
        self.warehouses = dict(Warehouse.objects.exclude(external_id=None).values_list("external_id", "pk"))
        self.seen_variants: list[str] = []
        self.run_id = importer.run.pk
        self.currency = b2b_settings.DEFAULT_CURRENCY
        self.stale = stale_digests(
            role, getattr(first, "prices", None) is not None, getattr(first, "stocks", None) is not None
        )

    def plan(self) -> OfferPlan | None:
        """What the workers need to build final rows themselves; None when product keys are looked
        up per chunk (files the byte scanner cannot cut)."""
        if self.product_ids is None:
            return None
        return OfferPlan(self.product_ids, self.price_types, self.warehouses, self.run_id, self.currency,
                         self.writer.copy_text, PriceType.objects.count(), Warehouse.objects.count())

    def reset(self) -> None:
        """Forget what was read, before the file is read again."""
        self.seen_variants = []

    def write(self, result: ChunkResult) -> None:
        """Write one chunk's changed offers."""
        self.counts.items += len(result.seen)
        self.counts.unchanged += result.unchanged
        self.seen_variants.extend(x for x in result.seen if "#" in x)
        batch = result.batch
        if batch:
            # Written before the chunk's rows: an Ид repeated in the chunk has its later copies there.
            self.counts.updated += batch.existing
            self.counts.created += batch.new
            self.writer.write_offer_batch(batch, self.role, self.stale)
        rows, known = result.rows, self.known
        if not rows:
            return
        products = self._product_ids({r[1] for r in rows})
        accepted = []
        for row in rows:
            if row[1] not in products:
                self.issues.add(R, f"offer for product {row[1]!r}, which the site does not have; it is skipped",
                                path=self.path, line=row[13], element="Предложение", external_id=row[0])
                self.counts.rejected += 1
                continue
            self.counts.updated += row[0] in known
            self.counts.created += row[0] not in known
            accepted.append(row)
        variants = self._variants(accepted, products)
        self._write(accepted, products, variants, known)

    def _product_ids(self, xids: set[str]) -> dict[str, int]:
        if self.product_ids is None:
            return self.writer.ids_for(PRODUCT, sorted(xids))
        if not self.every_product:
            missing = sorted(x for x in xids if x not in self.product_ids)
            if missing:
                self.product_ids.update(self.writer.ids_for(PRODUCT, missing))
        return self.product_ids

    def _variants(self, rows: list[tuple], products: dict[str, int]) -> dict[str, int]:
        with_variant = [r for r in rows if r[2]]
        if not with_variant:
            return {}
        xids = [r[0] for r in with_variant]
        existing: dict[str, int] = {}
        if self.role != "offers":
            # Prices and rests files name the variant but do not describe it: create it if it is
            # new, never overwrite the name and characteristics an offers file gave it.
            existing = self.writer.ids_for(VARIANT, xids)
            with_variant = [r for r in with_variant if r[0] not in existing]
        if with_variant:
            self.writer.upsert_variants(
                [(r[0], products[r[1]], (r[3] or r[0])[:500], r[4][:100], r[5][:64], r[6], r[11], None)
                 for r in with_variant]
            )
            existing.update(self.writer.ids_for(VARIANT, [r[0] for r in with_variant]))
        return existing

    def _write(self, rows: list[tuple], products: dict[str, int], variants: dict[str, int], known) -> None:
        price_owners, prices, stock_owners, stocks, inactive = [], [], [], [], []
        states: tuple[list, list] = ([], [])  # of offers read before, of new ones
        for (xid, product_xid, variant_xid, _name, _sku, _barcode, _chars, offer_prices, quantity, offer_stocks,
             transit, active, digest, line) in rows:  # fmt: skip
            owner = (products[product_xid], variants.get(xid) if variant_xid else None)
            # Only offers read before can have prices or stock rows to remove; new ones skip that work.
            existing = xid in known
            states[not existing].append((xid, *owner, quantity, digest))
            if not active and owner[1] is None:
                inactive.append(owner[0])
            if offer_prices is not None:
                if existing:
                    price_owners.append(owner)
                for type_xid, value, currency, coefficient, min_quantity in offer_prices:
                    price_type = self.price_types.get(type_xid)
                    if price_type is None:
                        raise CommerceMLError(
                            f"price type {type_xid!r} is not declared in any classifier the site has received",
                            path=str(self.path), line=line, element="Цена", external_id=xid, entity="offer",
                            hint=UNKNOWN_PRICE_TYPE_HINT,
                        )
                    prices.append((*owner, price_type[0], value, (currency or price_type[1] or self.currency)[:3],
                                   coefficient or 1, min_quantity))
            if offer_stocks is not None:
                if existing:
                    stock_owners.append(owner)
                stocks.extend(self._stock_rows(owner, offer_stocks, transit, xid, line))
        if prices or price_owners:
            self.writer.replace_prices(price_owners, prices)
        if stocks or stock_owners:
            self.writer.upsert_stock(stock_owners, stocks)
        self.writer.set_offer_state(self.role, states[0], self.stale)
        self.writer.set_offer_state(self.role, states[1], self.stale, new=True)
        if inactive:
            self.importer.deactivate_products(inactive)

    def _stock_rows(self, owner, offer_stocks, transit, xid: str, line: int) -> list[tuple]:
        amount, expected, transit_xid, problem = transit
        if problem:
            self.issues.add(W, problem, path=self.path, line=line, element="ЗначенияРеквизитов", external_id=xid)
        transit_pk = self.warehouses.get(transit_xid) if amount is not None else None
        if amount is not None and transit_pk is None:
            self.issues.add(W, f"goods in transit go to warehouse {transit_xid!r}, which is not declared; ignored",
                            path=self.path, line=line, element="ЗначенияРеквизитов", external_id=xid)
        rows, listed = [], set()
        for warehouse_xid, quantity in offer_stocks:
            pk = self.warehouses.get(warehouse_xid)
            if pk is None:
                self.issues.add(W, f"stock on warehouse {warehouse_xid!r}, which is not declared; ignored",
                                path=self.path, line=line, element="Склад", external_id=xid)
                continue
            if pk in listed:
                continue
            listed.add(pk)
            in_transit = max(amount, 0) if pk == transit_pk else 0
            rows.append((*owner, pk, quantity, in_transit, expected if pk == transit_pk else None, self.run_id))
        if transit_pk is not None and transit_pk not in listed:
            rows.append((*owner, transit_pk, 0, max(amount, 0), expected, self.run_id))
        return rows
