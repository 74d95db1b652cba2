"""Demo ordering data: per company, saved lists, favourites and orders in several statuses.

Orders are placed through the real use-cases (``place_order``, ``set_order_status``), so the demo
shows exactly what a buyer's order looks like: split into parts across two producers, with a
timeline where 1C confirmed, assembled and shipped some parts. Safe to run twice: a company that
already has demo orders (PO numbers ``DEMO-…``) is left alone.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F
from django.test import override_settings

from b2b_cabinet import ordering, pricing
from b2b_cabinet.exceptions import OrderingError
from b2b_cabinet.models import (
    Company,
    DeliveryMethod,
    EventSource,
    Membership,
    Order,
    OrderStatus,
    Producer,
    Product,
    SavedList,
    StockLevel,
    Warehouse,
)

S = OrderStatus
# What happens to each demo order after placing: the parts' moves, as 1C would send them.
SCENARIOS = (
    ("DEMO-1", []),
    ("DEMO-2", [(None, S.CONFIRMED)]),
    ("DEMO-3", [(None, S.CONFIRMED), (1, S.IN_PROGRESS), (1, S.READY), (1, S.SHIPPED)]),
    ("DEMO-4", [(None, S.CONFIRMED), (None, S.SHIPPED), (None, S.COMPLETED)]),
    ("DEMO-5", [("cancel", S.CANCELLED)]),
)


def demo_producers() -> list[Producer]:
    """Producers with products, the biggest first (the demo catalogue's brands)."""
    return list(Producer.objects.annotate(n=Count("products")).filter(n__gt=0).order_by("-n", "pk"))


def _picks(context, producer: Producer, count: int) -> list[tuple[Product, Warehouse, Decimal]]:
    """Products of ``producer`` the company may buy, with a served warehouse holding enough free stock."""
    products = context.assortment.filter(Product.objects.active().filter(producer=producer)).order_by("pk")
    picks = []
    for product in products[: count * 5]:
        quantity = ordering.quantity_rule(product).minimum
        needed = quantity * (len(SCENARIOS) + 1)  # every demo order takes it once
        levels = StockLevel.objects.filter(product=product, variant__isnull=True, warehouse__is_active=True,
                                           on_hand__gte=F("reserved") + needed).select_related("warehouse")
        level = next((s for s in levels.order_by("warehouse__position", "pk") if context.serves(s.warehouse_id)), None)
        if level is not None:
            picks.append((product, level.warehouse, quantity))
        if len(picks) == count:
            break
    return picks


def ensure_lists(company: Company, user, picks) -> None:
    """A company list ("Ежемесячный заказ") and the user's favourites."""
    if SavedList.objects.filter(company=company, name="Ежемесячный заказ").exists():
        return
    monthly = ordering.create_list(company, user, "Ежемесячный заказ")
    for product, _warehouse, quantity in picks:
        ordering.add_to_list(monthly, product, quantity * 2)
    favourites = ordering.favourites(user, company)
    for product, _warehouse, _quantity in picks[:3]:
        ordering.add_to_list(favourites, product)


def ensure_orders(company: Company) -> int:
    """Place the demo orders of ``company`` (if it has none yet); returns how many were placed."""
    if Order.objects.filter(company=company, po_number__startswith="DEMO-").exists():
        return 0
    owner = Membership.objects.filter(company=company, role=Membership.Role.OWNER).select_related("user").first()
    entity = company.legal_entities.order_by("-is_default", "pk").first()
    if owner is None or entity is None:
        return 0
    context = pricing.context_for_company(company)
    picks, used = [], 0
    for producer in demo_producers():
        found = _picks(context, producer, 3)
        if found:
            picks, used = picks + found, used + 1
        if used == 2:  # two producers: every order splits into at least two parts
            break
    if not picks:
        return 0
    ensure_lists(company, owner.user, picks)
    placed = 0
    cart = ordering.get_cart(owner.user, company)
    # Only the in-cabinet channel: the demo should light the bell, not print a dozen emails.
    channels = {**getattr(settings, "B2B_CABINET", {}),
                "NOTIFICATION_CHANNELS": ["b2b_cabinet.notifications.channels.CabinetChannel"]}
    with override_settings(B2B_CABINET=channels):
        for number, moves in SCENARIOS:
            ordering.clear_cart(cart)
            for product, warehouse, quantity in picks:
                ordering.add_to_cart(cart, product, quantity, warehouse=warehouse)
            options = ordering.checkout_options(cart, context)
            if not options.dates:
                break
            try:
                order = ordering.place_order(cart, ordering.CheckoutRequest(
                    legal_entity=entity, ship_date=options.dates[0], delivery_method=DeliveryMethod.PICKUP,
                    pickup_warehouse=picks[0][1], po_number=number, comment="Демо-заказ"), actor=owner.user,
                    context=context)
            except OrderingError:  # e.g. a tiny demo catalogue ran out of stock: fewer demo orders, not a crash
                break
            placed += 1
            _play(order, moves, owner.user)
    ordering.clear_cart(cart)
    return placed


def _play(order: Order, moves, user) -> None:
    parts = list(order.parts.order_by("index"))
    for target, status in moves:
        if target == "cancel":
            ordering.cancel_order(order, actor=user, source=EventSource.PARTNER)
        elif target is None:
            for part in parts:
                ordering.set_order_status(part, status, source=EventSource.ONEC)
        else:
            ordering.set_order_status(parts[target - 1], status, source=EventSource.ONEC, note="1С")
