"""Checkout: what the buyer may choose, and ``place_order``, which turns a cart into an order.

``place_order`` validates everything first (legal entity, delivery, ship date, prices, quantities,
credit), then in one transaction takes an order number, splits the lines into parts by
(warehouse, producer), reserves stock (setting ``RESERVE_STOCK``), writes the first event of the
timeline and the audit entry, and empties the cart. Notifications go out after commit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from b2b_cabinet import pricing, stock
from b2b_cabinet.audit import write_audit
from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import CheckoutError
from b2b_cabinet.models import (
    AuditAction,
    Cart,
    DeliveryMethod,
    LegalEntity,
    Order,
    OrderLine,
    OrderPart,
    OrderStatus,
    Warehouse,
)

from .actors import as_actor, default_source
from .cart import clear_cart, price_cart
from .credit import CreditDecision, check_credit
from .events import record_event
from .numbers import next_order_number, part_number
from .quantities import quantity_rule
from .split import split_lines


@dataclass
class CheckoutRequest:
    """The buyer's choices at checkout."""

    legal_entity: LegalEntity | None
    ship_date: datetime.date
    delivery_method: str = DeliveryMethod.PICKUP
    pickup_warehouse: Warehouse | None = None
    delivery_address: str = ""
    po_number: str = ""
    comment: str = ""


@dataclass
class CheckoutOptions:
    """What the checkout page offers: entities, warehouses, dates per line and in common."""

    legal_entities: list
    warehouses: list
    line_dates: dict = field(default_factory=dict)  # cart line pk → earliest ship date
    dates: list = field(default_factory=list)  # dates every line's warehouse can ship on
    summary: object = None


def line_warehouse(line, context) -> Warehouse | None:
    """The warehouse a cart line ships from: its own, else the best one serving the buyer."""
    if line.warehouse_id:
        return line.warehouse
    return stock.best_warehouse(line.product_id, line.variant_id, line.quantity, context.warehouse_ids)


def checkout_options(cart: Cart, context, *, now=None) -> CheckoutOptions:
    """Legal entities, pickup warehouses, the earliest date per line and the dates offered."""
    summary = price_cart(cart, context)
    for row in summary.rows:
        row.line.warehouse = line_warehouse(row.line, context)
    warehouses = Warehouse.objects.filter(is_active=True)
    if context.warehouse_ids is not None:
        warehouses = warehouses.filter(pk__in=context.warehouse_ids)
    line_whs = [r.line.warehouse for r in summary.rows if r.line.warehouse is not None]
    calendar = stock.ShippingCalendar(line_whs, now=now)
    arrivals = stock.arrival_dates([r.line for r in summary.rows if r.line.warehouse is not None])
    options = CheckoutOptions(
        legal_entities=list(LegalEntity.objects.for_company(cart.company).order_by("-is_default", "name")),
        warehouses=list(warehouses),
        summary=summary,
    )
    for row in summary.rows:
        row.earliest = None
        if row.line.warehouse is not None:
            # A line waiting for goods in transit ships on the first shipping day after they arrive.
            row.arrival = arrivals.get(row.line.pk)
            row.earliest = options.line_dates[row.line.pk] = calendar.earliest(row.line.warehouse,
                                                                               not_before=row.arrival)
    latest = max((d for d in options.line_dates.values() if d), default=None)
    options.dates = calendar.common_dates(line_whs, not_before=latest)
    return options


def _validate(cart: Cart, request: CheckoutRequest, options: CheckoutOptions) -> None:
    company = cart.company
    if options.summary.is_empty:
        raise CheckoutError(_("Your cart is empty."))
    for row in options.summary.rows:
        product = row.line.product
        if not row.priced.available:
            raise CheckoutError(_("%(product)s cannot be ordered: %(reason)s") % {
                "product": product, "reason": row.priced.reason or _("price on request")})
        quantity_rule(product).check(row.line.quantity)
    if request.legal_entity is None or request.legal_entity.company_id != company.pk:
        raise CheckoutError(_("Choose one of your company's legal entities."))
    if request.delivery_method == DeliveryMethod.PICKUP:
        if request.pickup_warehouse is None or request.pickup_warehouse not in options.warehouses:
            raise CheckoutError(_("Choose the warehouse to pick the order up from."))
    elif request.delivery_method == DeliveryMethod.DELIVERY:
        if not request.delivery_address.strip():
            raise CheckoutError(_("Enter the delivery address."))
    else:
        raise CheckoutError(_("Choose pickup or delivery."))
    if request.ship_date not in options.dates:
        raise CheckoutError(_("%(date)s is not a shipping day for every warehouse of your order: pick another "
                              "date in the calendar.") % {"date": f"{request.ship_date:%d.%m.%Y}"})


def place_order(cart: Cart, request: CheckoutRequest, *, actor=None, context=None, now=None) -> Order:
    """Turn ``cart`` into an order split into parts; raises an ``OrderingError`` subclass when it can't.

    ``actor`` is the user (or :class:`~b2b_cabinet.audit.Actor`) placing it; with ``on_behalf`` the
    order and the audit entry say a sales manager placed it for the company. The order carries
    ``order.credit`` (the :class:`~b2b_cabinet.ordering.credit.CreditDecision`) for the view to show.
    """
    actor = as_actor(actor)
    company = cart.company
    context = context or pricing.context_for_company(company)
    options = checkout_options(cart, context, now=now)
    _validate(cart, request, options)
    summary = options.summary
    credit: CreditDecision = check_credit(context.contract, summary.total)
    with transaction.atomic():
        order = Order.objects.create(
            number=next_order_number(), company=company, contract=context.contract,
            legal_entity=request.legal_entity, created_by=actor.user, currency=summary.currency,
            total=summary.total, po_number=request.po_number.strip(), comment=request.comment.strip(),
            ship_date=request.ship_date, delivery_method=request.delivery_method,
            delivery_address=request.delivery_address.strip() if request.delivery_method == DeliveryMethod.DELIVERY
            else "", pickup_warehouse=request.pickup_warehouse if request.delivery_method == DeliveryMethod.PICKUP
            else None, placed_on_behalf=actor.on_behalf,
        )
        priced = {row.line.pk: row.priced for row in summary.rows}
        reserve = b2b_settings.RESERVE_STOCK
        items = []
        for index, plan in enumerate(split_lines([row.line for row in summary.rows]), start=1):
            part = OrderPart.objects.create(
                order=order, index=index, number=part_number(order.number, index), warehouse=plan.warehouse,
                producer=plan.producer, exchange_node=plan.node, ship_date=request.ship_date,
                total=sum(priced[line.pk].total for line in plan.lines),
                reserved=reserve and plan.warehouse is not None,
            )
            lines = [_order_line(order, part, line, priced[line.pk]) for line in plan.lines]
            OrderLine.objects.bulk_create(lines)
            if part.reserved:
                items += [stock.StockItem(line.product_id, line.variant_id, line.warehouse_id, line.quantity)
                          for line in lines]
        if items:
            stock.reserve(items)
        source = default_source(actor)
        placed = record_event(order, None, "", OrderStatus.NEW, actor=actor.user, source=source,
                              note=_("Order placed."))
        write_audit(actor, AuditAction.ORDER_PLACED, company=company, obj=order, number=order.number,
                    total=str(order.total), parts=index)
        clear_cart(cart)
        from .status import queue_notifications

        queue_notifications(order, None, "", OrderStatus.NEW, source, event_id=placed.pk)
    order.credit = credit
    return order


def _order_line(order, part, line, priced) -> OrderLine:
    product = line.product
    return OrderLine(
        order=order, part=part, product=product, variant=line.variant, warehouse=line.warehouse,
        sku=(line.variant.sku if line.variant and line.variant.sku else product.sku),
        name=str(line.variant.name if line.variant else product.name)[:500],
        quantity=line.quantity, unit_price=priced.unit_price, vat_rate=priced.vat_rate, line_total=priced.total,
    )
