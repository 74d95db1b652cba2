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

CHUNK = 2000
MONEY = "#,##0.00"
QTY = "#,##0.###"


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
        pricing.engine.id_filter("product_id", product_ids), warehouse_id__in=warehouse_ids
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
    price, currency, RRP, stock per warehouse, in transit, expected date."""
    ids = list(visible_products(context).order_by("category__path", "name", "pk").values_list("pk", flat=True))
    warehouse_ids = [w.pk for w in warehouses]
    fields = ("sku", "name", "vat_rate", "brand_id", "producer_id", "properties", "category__path", "category__name",
              "brand__name", "unit__name")
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        products = {p.pk: p for p in Product.objects.filter(pk__in=part).select_related("category", "brand", "unit")
                    .only(*fields)}
        ordered = [products[i] for i in part if i in products]
        priced = pricing.price_products(context, ordered)
        stock = _stock(part, warehouse_ids)
        for product in ordered:
            line = priced[product.pk]
            level = stock.get(product.pk)
            yield [
                product.sku, product.name, product.brand.name if product.brand else "",
                product.category.name if product.category else "", product.unit.name if product.unit else "",
                line.unit_price, context.currency if line.available else "", line.rrp,
                *[(level["by"].get(w, Decimal(0)) if level else Decimal(0)) for w in warehouse_ids],
                level["transit"] if level and level["transit"] else None,
                level["eta"] if level else None,
            ]


def header(warehouses: list[Warehouse]) -> list[str]:
    """Column titles in the active language."""
    return [
        _("SKU"), _("Product"), _("Brand"), _("Category"), _("Unit"), _("Your price"), _("Currency"), _("RRP"),
        *[w.name for w in warehouses], _("In transit"), _("Expected"),
    ]


def write_price_list(context: PricingContext, target, *, title: str = "") -> int:
    """Write the workbook to ``target`` (a path or a binary file); returns the number of product rows."""
    warehouses = visible_warehouses(context)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(title or _("Price list"))[:31])
    sheet.freeze_panes = "C2"
    for letter, width in zip("ABCDE", (16, 60, 18, 28, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    titles = []
    for text in header(warehouses):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    money_cols = {5, 7}
    qty_cols = set(range(8, 8 + len(warehouses) + 1))
    eta_col = 8 + len(warehouses) + 1
    count = 0
    for row in rows(context, warehouses):
        cells = []
        for i, value in enumerate(row):
            if i in money_cols or i in qty_cols or i == eta_col:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = MONEY if i in money_cols else (QTY if i in qty_cols else "DD.MM.YYYY")
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    book.save(target)
    return count
