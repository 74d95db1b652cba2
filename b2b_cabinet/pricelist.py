"""The personal price list in Excel: every product the company may see, priced by the engine.

Streamed, a chunk of products at a time, so memory stays flat whatever the catalogue size: one
query lists the visible products in catalogue order (read with a chunked cursor), and each chunk of
:data:`CHUNK` costs a prices query (the engine's) and a stock query. Values are read straight from
the cursor (no per-cell ORM converters) and the sheet is written by :mod:`b2b_cabinet.xlsx` with
openpyxl's write-only mode; 150,000 rows take seconds, not minutes.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from b2b_cabinet import pricing
from b2b_cabinet.models import Product, StockLevel, Warehouse
from b2b_cabinet.pricing import PricingContext
from b2b_cabinet.pricing.data import _decimal, id_in
from b2b_cabinet.pricing.lines import ProductFacts
from b2b_cabinet.xlsx import write_xlsx

CHUNK = 2000
ZERO = Decimal(0)
# Columns of the products query, in this order (``properties`` only when rules look at them).
FIELDS = ["pk", "sku", "name", "category__path", "brand_id", "producer_id", "vat_rate", "category__name",
          "brand__name", "unit__name", "properties"]


def visible_products(context: PricingContext):
    """Active products the context's region may see."""
    return context.assortment.filter(Product.objects.active())


def visible_warehouses(context: PricingContext) -> list[Warehouse]:
    """Active warehouses serving the buyer, in name order."""
    warehouses = Warehouse.objects.filter(is_active=True).order_by("name", "pk")
    return [w for w in warehouses if context.serves(w.pk)]


class _Numbers:
    """Database numbers as exact values for the sheet, memoised (stock figures repeat a lot).

    SQLite returns the text of its 15-digit REAL form (exact for stock's 14 digits), PostgreSQL
    Decimals; dates come as ISO text from SQLite, as dates from PostgreSQL.
    """

    def __init__(self):
        self.numbers: dict = {}
        self.dates: dict = {}

    def number(self, value) -> Decimal:
        if value.__class__ is Decimal:
            return value
        found = self.numbers.get(value)
        if found is None:
            found = self.numbers[value] = Decimal(value)
        return found

    def date(self, value) -> datetime.date | None:
        if value is None or isinstance(value, datetime.date):
            return value
        found = self.dates.get(value)
        if found is None:
            found = self.dates[value] = datetime.date.fromisoformat(value[:10])
        return found


def _stock(product_ids: list[int], warehouse_ids: list[int], numbers: _Numbers) -> dict[int, list]:
    """Per product: ``[free stock per warehouse (in ``warehouse_ids`` order)…, in transit, earliest ETA]``.

    Free stock is on hand less reserved, never below zero, per stock row (a product's variants add
    up); in transit adds up over the serving warehouses, and the ETA is the earliest among rows with
    goods in transit.
    """
    if not product_ids or not warehouse_ids:
        return {}
    t = StockLevel._meta.db_table
    ids, params = id_in("s.product_id", product_ids)
    if connection.vendor == "postgresql":
        free, transit = "GREATEST(s.on_hand - s.reserved, 0)", "s.in_transit"
    else:
        free, transit = "CAST(MAX(s.on_hand - s.reserved, 0) AS TEXT)", "CAST(s.in_transit AS TEXT)"
    warehouses = ",".join(["%s"] * len(warehouse_ids))
    sql = (f"SELECT s.product_id, s.warehouse_id, {free}, {transit}, s.expected_at FROM {t} s "
           f"WHERE {ids} AND s.warehouse_id IN ({warehouses})")
    position = {w: i for i, w in enumerate(warehouse_ids)}
    width = len(warehouse_ids)
    out: dict[int, list] = {}
    number, date = numbers.number, numbers.date
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *warehouse_ids])
        for product_id, warehouse_id, available, in_transit, expected_at in cursor.fetchall():
            entry = out.get(product_id)
            if entry is None:
                entry = out[product_id] = [ZERO] * width + [ZERO, None]
            i = position[warehouse_id]
            entry[i] += number(available)
            in_transit = number(in_transit)
            if in_transit:
                entry[width] += in_transit
                expected_at = date(expected_at)
                if expected_at and (entry[-1] is None or expected_at < entry[-1]):
                    entry[-1] = expected_at
    return out


def _products(context: PricingContext, with_properties: bool, chunk: int) -> Iterator[list[tuple]]:
    """The visible products in catalogue order (category path, name), ``chunk`` rows at a time."""
    fields = FIELDS if with_properties else FIELDS[:-1]
    query = visible_products(context).order_by("category__path", "name", "pk").values_list(*fields).query
    sql, params = query.sql_with_params()
    # A chunked cursor streams the rows (server-side on PostgreSQL) instead of loading 150,000 at once.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while part := cursor.fetchmany(chunk):
            yield part


def rows(context: PricingContext, warehouses: list[Warehouse], *, chunk: int = CHUNK) -> Iterator[list]:
    """Price-list rows in catalogue order (category path, name): SKU, name, brand, category, unit,
    price, RRP, stock per warehouse, in transit, expected date. Missing values are None."""
    warehouse_ids = [w.pk for w in warehouses]
    width = len(warehouse_ids)
    with_properties = context.rule_index.uses_properties
    numbers, decimals, parsed = _Numbers(), {}, {}
    no_stock = [ZERO] * width
    for part in _products(context, with_properties, chunk):
        facts = []
        for row in part:
            properties = {}
            if with_properties and row[10]:
                properties = row[10]
                if not isinstance(properties, dict):
                    text = properties
                    properties = parsed.get(text)
                    if properties is None:
                        properties = parsed[text] = json.loads(text)
            facts.append(ProductFacts(row[0], row[3], row[4], row[5], _decimal(row[6], decimals), properties))
        priced = pricing.price_lines(context, [pricing.LineRequest(f) for f in facts])
        stock = _stock([row[0] for row in part], warehouse_ids, numbers)
        for row, line in zip(part, priced, strict=True):
            level = stock.get(row[0])
            if level is None:
                counts, transit, eta = no_stock, None, None
            else:
                counts, transit, eta = level[:width], level[width] or None, level[-1]
            yield [row[1], row[2], row[8], row[7], row[9], line.unit_price, line.rrp, *counts, transit, eta]


def header(warehouses: list[Warehouse], currency: str) -> list[str]:
    """Column titles in the active language."""
    price, rrp = _("Your price"), _("RRP")
    return [
        _("SKU"), _("Product"), _("Brand"), _("Category"), _("Unit"), f"{price}, {currency}", f"{rrp}, {currency}",
        *[w.name for w in warehouses], _("In transit"), _("Expected"),
    ]


def write_price_list(context: PricingContext, target, *, title: str = "") -> int:
    """Write the workbook to ``target`` (a path or a binary file); returns the number of product rows.

    Columns: SKU, name, brand, category, unit, the company's price and the RRP (in the contract
    currency, named in the header), free stock per serving warehouse, in transit, expected date.
    The header is bold and stays in view with the SKU and name columns.
    """
    warehouses = visible_warehouses(context)
    return write_xlsx(target, title or _("Price list"), header(warehouses, context.currency),
                      rows(context, warehouses), widths=(16, 60, 18, 28, 8), freeze="C2")
