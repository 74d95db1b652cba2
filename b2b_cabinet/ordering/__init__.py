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
from .checkout import CheckoutOptions, CheckoutRequest, checkout_options, place_order
from .credit import CreditDecision, check_credit, outstanding_debt
from .lists import (
    AddResult,
    add_to_list,
    create_list,
    favourites,
    list_to_cart,
    reorder,
    save_cart_as_list,
    toggle_favourite,
)
from .numbers import next_order_number
from .quantities import QuantityRule, parse_quantity, quantity_rule
from .status import can_cancel, cancel_order, derived_status, set_order_status, status_path

__all__ = [
    "AddResult",
    "CartRow",
    "CartSummary",
    "CheckoutOptions",
    "CheckoutRequest",
    "CreditDecision",
    "QuantityRule",
    "add_to_cart",
    "add_to_list",
    "can_cancel",
    "cancel_order",
    "cart_lines",
    "check_credit",
    "checkout_options",
    "clear_cart",
    "create_list",
    "derived_status",
    "favourites",
    "get_cart",
    "list_to_cart",
    "next_order_number",
    "outstanding_debt",
    "parse_quantity",
    "place_order",
    "price_cart",
    "quantity_rule",
    "remove_line",
    "reorder",
    "save_cart_as_list",
    "set_order_status",
    "status_path",
    "toggle_favourite",
    "update_line",
]
