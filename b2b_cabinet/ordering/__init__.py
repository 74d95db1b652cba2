"""Ordering use-cases: cart, saved lists, checkout, order split, stock reservation and status changes.

Views, the admin, the API and the 1C exchange all call these functions, so they behave the same::

    from b2b_cabinet import ordering

    cart = ordering.get_cart(user, company)
    ordering.add_to_cart(cart, product, Decimal(10), warehouse=warehouse)
    order = ordering.place_order(cart, ordering.CheckoutRequest(...), actor=actor)
    ordering.set_order_status(order.parts.first(), OrderStatus.CONFIRMED, actor=None, source="1c")
"""

from .cart import (
    CartRow,
    CartSummary,
    add_to_cart,
    cart_lines,
    clear_cart,
    get_cart,
    price_cart,
    remove_line,
    update_line,
)
from .quantities import QuantityRule, parse_quantity, quantity_rule

__all__ = [
    "CartRow",
    "CartSummary",
    "QuantityRule",
    "add_to_cart",
    "cart_lines",
    "clear_cart",
    "get_cart",
    "parse_quantity",
    "price_cart",
    "quantity_rule",
    "remove_line",
    "update_line",
]
