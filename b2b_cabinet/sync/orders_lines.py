"""Applying 1C's goods lines to an order part: changed quantities and prices, added and removed lines.

Lines are matched by the 1C Ид the portal sent (the variant's ``prod#char`` Ид, else the
product's). The delivery service line (``ORDER_DELIVERY``) is ignored. A line whose product the
catalogue does not know leaves all lines untouched, with a warning: rewriting the rest would drop
a line the portal cannot represent.

Once 1C edits the lines it owns the stock of that part: a reservation the portal still holds for
it is released (the next stock upload from 1C reflects 1C's own reservation), instead of
guessing how the reservation should be re-split.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from b2b_cabinet import stock
from b2b_cabinet.models import Order, OrderLine, OrderPart, Product, ProductVariant
from b2b_cabinet.sync.orders_xml import OrderLineIn

ZERO = Decimal(0)
CENT = Decimal("0.01")
#: Lines 1C-Bitrix and 1C add for services (delivery), not goods.
SERVICE_IDS = frozenset({"ORDER_DELIVERY"})


def _key(line: OrderLine) -> str:
    if line.variant_id and line.variant.external_id:
        return line.variant.external_id
    return line.product.external_id or f"b2b-{line.product_id}"


def _release_reservation(part: OrderPart, lines: list[OrderLine]) -> None:
    if part.reserved:
        stock.release([stock.StockItem(x.product_id, x.variant_id, x.warehouse_id, x.quantity)
                       for x in lines if x.warehouse_id])
        part.reserved = False
        OrderPart.objects.filter(pk=part.pk).update(reserved=False)


def _new_line(part: OrderPart, incoming: OrderLineIn, price: Decimal, quantity: Decimal) -> OrderLine | None:
    variant = ProductVariant.objects.select_related("product").filter(external_id=incoming.product_id).first()
    product = variant.product if variant else Product.objects.filter(external_id=incoming.product_id).first()
    if product is None:
        return None
    return OrderLine(
        order_id=part.order_id, part=part, product=product, variant=variant, warehouse=part.warehouse,
        sku=(variant.sku if variant and variant.sku else product.sku),
        name=(incoming.name or str(variant.name if variant else product.name))[:500],
        quantity=quantity, unit_price=price, line_total=(incoming.total or price * quantity).quantize(CENT),
    )


def apply_lines(part: OrderPart, incoming: tuple[OrderLineIn, ...]) -> tuple[bool, list[str]]:
    """Make the part's lines what 1C says; returns (changed, warnings). Totals are recomputed."""
    current = list(part.lines.select_related("product", "variant").order_by("pk"))
    by_key = {}
    for line in current:
        by_key.setdefault(_key(line), line)
    seen: set[int] = set()
    warnings: list[str] = []
    updates, creates = [], []
    for item in incoming:
        if item.quantity is None or item.quantity <= 0 or item.product_id in SERVICE_IDS:
            continue
        line = by_key.get(item.product_id)
        price = item.price if item.price is not None else (
            (item.total / item.quantity).quantize(CENT) if item.total is not None else None)
        if line is None:
            new = _new_line(part, item, price or ZERO, item.quantity)
            if new is None:
                # Rewriting the lines without this one would drop a line the portal cannot put
                # back; leave them all as they are and say why (the catalogue is behind 1C).
                return False, [f"{part.number}: line {item.product_id or item.name!r} is not a catalogue product; "
                               "the lines were left as they are (import the catalogue first)"]
            creates.append(new)
            continue
        seen.add(line.pk)
        total = item.total if item.total is not None else ((price or line.unit_price) * item.quantity)
        if (line.quantity, line.unit_price, line.line_total) != (item.quantity, price or line.unit_price, total):
            line.quantity, line.unit_price = item.quantity, price or line.unit_price
            line.line_total = total.quantize(CENT)
            updates.append(line)
    removed = [line for line in current if line.pk not in seen]
    if not (updates or creates or removed):
        return False, warnings
    _release_reservation(part, current)
    if updates:
        OrderLine.objects.bulk_update(updates, ["quantity", "unit_price", "line_total"])
    if creates:
        OrderLine.objects.bulk_create(creates)
    if removed:
        OrderLine.objects.filter(pk__in=[line.pk for line in removed]).delete()
    part.total = part.lines.aggregate(s=Sum("line_total"))["s"] or ZERO
    OrderPart.objects.filter(pk=part.pk).update(total=part.total)
    order_total = OrderLine.objects.filter(order_id=part.order_id).aggregate(s=Sum("line_total"))["s"] or ZERO
    Order.objects.filter(pk=part.order_id).update(total=order_total)
    return True, warnings
