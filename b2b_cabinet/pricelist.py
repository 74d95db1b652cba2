"""The personal price list in Excel: every product the company may see, priced by the engine.

Written with openpyxl's write-only mode, a chunk of products at a time, so memory stays flat
whatever the catalogue size: 150,000 rows are a few hundred queries (products, prices and stock
per chunk of :data:`CHUNK`) and never more than one chunk in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from b2b_cabinet import pricing
from b2b_cabinet.models import Product, StockLevel, Warehouse
from b2b_cabinet.pricing import PricingContext
from b2b_cabinet.pricing.data import id_filter
from b2b_cabinet.pricing.lines import ProductFacts

CHUNK = 2000


def visible_products(context: PricingContext):
    """Active products the context's region may see."""
    return context.assortment.filter(Product.objects.active())


def visible_warehouses(context: PricingContext) -> list[Warehouse]:
    """Active warehouses serving the buyer, in name order."""
    warehouses = Warehouse.objects.filter(is_active=True).order_by("name", "pk")
    return [w for w in warehouses if context.serves(w.pk)]


def _stock(product_ids, warehouse_ids) -> dict[int, dict]:
    """Per product: on hand less reserved by warehouse, total in transit and the earliest ETA."""
    out: dict[int, dict] = defaultdict(lambda: {"by": defaultdict(Decimal), "transit": Decimal(0), "eta": None})
    rows = StockLevel.objects.filter(
        id_filter("product_id", product_ids), warehouse_id__in=warehouse_ids
    ).values_list("product_id", "warehouse_id", "on_hand", "reserved", "in_transit", "expected_at")
    for product_id, warehouse_id, on_hand, reserved, in_transit, expected_at in rows:
        entry = out[product_id]
        entry["by"][warehouse_id] += max(on_hand - reserved, Decimal(0))
        if in_transit:
            entry["transit"] += in_transit
            if expected_at and (entry["eta"] is None or expected_at < entry["eta"]):
                entry["eta"] = expected_at
    return out


def rows(context: PricingContext, warehouses: list[Warehouse], *, chunk: int = CHUNK) -> Iterator[list]:
    """Price-list rows in catalogue order (category path, name): SKU, name, brand, category, unit,
    price, RRP, stock per warehouse, in transit, expected date."""
    ids = list(visible_products(context).order_by("category__path", "name", "pk").values_list("pk", flat=True))
    warehouse_ids = [w.pk for w in warehouses]
    with_properties = context.rule_index.uses_properties
    fields = ["pk", "sku", "name", "category__path", "brand_id", "producer_id", "vat_rate", "category__name",
              "brand__name", "unit__name"]
    if with_properties:
        fields.append("properties")
    zero = Decimal(0)
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        found = {row[0]: row for row in Product.objects.filter(pk__in=part).values_list(*fields)}
        ordered = [found[i] for i in part if i in found]
        facts = [ProductFacts(r[0], r[3], r[4], r[5], r[6], r[10] if with_properties else {}) for r in ordered]
        priced = pricing.price_lines(context, [pricing.LineRequest(f) for f in facts])
        stock = _stock(part, warehouse_ids)
        for row, line in zip(ordered, priced, strict=True):
            level = stock.get(row[0])
            if level is None:
                counts, transit, eta = [zero] * len(warehouse_ids), None, None
            else:
                counts = [level["by"].get(w, zero) for w in warehouse_ids]
                transit, eta = level["transit"] or None, level["eta"]
            yield [row[1], row[2], row[8] or "", row[7] or "", row[9] or "", line.unit_price, line.rrp,
                   *counts, transit, eta]


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
    """
    warehouses = visible_warehouses(context)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(title or _("Price list"))[:31])
    sheet.freeze_panes = "C2"
    for letter, width in zip("ABCDE", (16, 60, 18, 28, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    titles = []
    for text in header(warehouses, context.currency):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    # Plain values only: a styled cell costs openpyxl twice as much, and at 150,000 rows that is the
    # difference between meeting the 20-second target or not. Dates get their format automatically.
    count = 0
    for row in rows(context, warehouses):
        sheet.append(row)
        count += 1
    book.save(target)
    return count
