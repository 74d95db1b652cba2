"""The cart use-cases: find a buyer's cart, add, change and remove lines, and price it.

A cart is persistent per (user, company). Lines merge by (product, variant, warehouse), so adding
the same product from the same warehouse twice adds up the quantities, which are then checked
against the product's :mod:`quantity rules <b2b_cabinet.ordering.quantities>` as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from b2b_cabinet import pricing
from b2b_cabinet.exceptions import OrderingError
from b2b_cabinet.models import Cart, CartLine, Product, ProductVariant, Warehouse
from b2b_cabinet.pricing import LineRequest, PricedLine, PricingContext

from .quantities import quantity_rule

ZERO = Decimal(0)


def get_cart(user, company) -> Cart:
    """The cart of ``user`` for ``company``, created on first use (safe under concurrent first use)."""
    cart = Cart.objects.filter(user=user, company=company).first()
    if cart is not None:
        return cart
    try:
        with transaction.atomic():
            return Cart.objects.create(user=user, company=company)
    except IntegrityError:  # another request created it between our read and our insert
        return Cart.objects.get(user=user, company=company)


def _check_target(product: Product, variant: ProductVariant | None, warehouse: Warehouse | None) -> None:
    if not product.is_active:
        raise OrderingError(_("%(product)s is no longer sold.") % {"product": product})
    if variant is not None and (variant.product_id != product.pk or not variant.is_active):
        raise OrderingError(_("This variant is not available for %(product)s.") % {"product": product})
    if warehouse is not None and not warehouse.is_active:
        raise OrderingError(_("The warehouse %(warehouse)s does not ship orders.") % {"warehouse": warehouse})


def add_to_cart(cart: Cart, product: Product, quantity: Decimal, *, variant: ProductVariant | None = None,
                warehouse: Warehouse | None = None, actor=None) -> CartLine:
    """Add ``quantity`` of a product (variant) from a warehouse, merging with an existing line.

    Raises :class:`~b2b_cabinet.exceptions.QuantityError` when the merged quantity breaks the
    product's minimum, step or pack size, and ``OrderingError`` for an inactive product, a
    foreign variant or a closed warehouse. ``actor`` (a user or an :class:`~b2b_cabinet.audit.Actor`)
    is accepted for symmetry with the other use-cases; carts are not audited.
    """
    _check_target(product, variant, warehouse)
    rule = quantity_rule(product)
    quantity = Decimal(quantity)
    with transaction.atomic():
        line = (
            CartLine.objects.select_for_update()
            .filter(cart=cart, product=product, variant=variant, warehouse=warehouse)
            .order_by("pk").first()
        )
        total = rule.check((line.quantity if line else ZERO) + quantity)
        if line is None:
            line = CartLine.objects.create(cart=cart, product=product, variant=variant, warehouse=warehouse,
                                           quantity=total)
        else:
            line.quantity = total
            line.save(update_fields=["quantity"])
        # Touch the cart so "recently used" ordering in the admin is right.
        Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return line


def update_line(line: CartLine, quantity: Decimal, *, warehouse: Warehouse | None = ..., actor=None) -> CartLine:
    """Set a line's quantity (and optionally its warehouse); merges into a twin line if the warehouse changes."""
    quantity = quantity_rule(line.product).check(Decimal(quantity))
    if warehouse is not ... and warehouse != line.warehouse:
        _check_target(line.product, line.variant, warehouse)
        with transaction.atomic():
            twin = CartLine.objects.filter(cart_id=line.cart_id, product_id=line.product_id,
                                           variant_id=line.variant_id, warehouse=warehouse).exclude(pk=line.pk).first()
            if twin is not None:
                line.delete()
                twin.quantity = quantity_rule(twin.product).check(twin.quantity + quantity)
                twin.save(update_fields=["quantity"])
                return twin
            line.warehouse = warehouse
    line.quantity = quantity
    line.save(update_fields=["quantity", "warehouse"])
    return line


def remove_line(line: CartLine, *, actor=None) -> None:
    """Take a line out of its cart."""
    line.delete()


def clear_cart(cart: Cart) -> None:
    """Empty the cart (after an order is placed)."""
    cart.lines.all().delete()


@dataclass
class CartRow:
    """A cart line with its price (``priced``) for display and checkout."""

    line: CartLine
    priced: PricedLine

    @property
    def available(self) -> bool:
        return self.priced.available


@dataclass
class CartSummary:
    """A priced cart: rows, totals, and the rows that cannot be ordered (no price)."""

    rows: list[CartRow] = field(default_factory=list)
    currency: str = ""
    total: Decimal = ZERO
    vat: Decimal = ZERO

    @property
    def unavailable(self) -> list[CartRow]:
        return [r for r in self.rows if not r.available]

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def count(self) -> int:
        return len(self.rows)


def cart_lines(cart: Cart):
    """The cart's lines with what pricing and display need, in a fixed number of queries."""
    return (
        cart.lines.select_related("product__category", "product__unit", "product__producer", "variant", "warehouse")
        .order_by("pk")
    )


def price_cart(cart: Cart, context: PricingContext, lines=None) -> CartSummary:
    """Price every line of the cart in one engine call and add up the totals."""
    lines = list(cart_lines(cart) if lines is None else lines)
    priced = pricing.price_lines(
        context, [LineRequest(line.product, line.quantity, line.variant_id) for line in lines]
    )
    summary = CartSummary(currency=context.currency)
    for line, price in zip(lines, priced, strict=True):
        summary.rows.append(CartRow(line, price))
        if price.available:
            summary.total += price.total
            summary.vat += price.vat_amount
    return summary
