"""Saved lists (order templates), favourites, and putting a list or a past order back into the cart.

Adding a list or an old order to the cart never fails as a whole: each line that can't be added
(product withdrawn, quantity rules changed, warehouse closed) comes back in
:attr:`AddResult.skipped` with the reason, and the rest are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from b2b_cabinet.exceptions import OrderingError
from b2b_cabinet.models import Cart, Order, Product, SavedList, SavedListLine

from .cart import add_to_cart
from .quantities import quantity_rule


@dataclass
class AddResult:
    """Lines added to the cart, and the ones skipped with a reason for the buyer."""

    added: list = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (product label, reason)
    adjusted: list[tuple[str, str]] = field(default_factory=list)  # (product label, note)


def create_list(company, user, name: str) -> SavedList:
    """A new named list for the company."""
    name = (name or "").strip()
    if not name:
        raise OrderingError(_("Give the list a name."))
    return SavedList.objects.create(company=company, owner=user, name=name[:200])


def favourites(user, company) -> SavedList:
    """The user's favourites list in ``company``, created on first use."""
    found = SavedList.objects.filter(company=company, owner=user, is_favourites=True).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return SavedList.objects.create(company=company, owner=user, name=_("Favourites"), is_favourites=True)
    except IntegrityError:
        return SavedList.objects.get(company=company, owner=user, is_favourites=True)


def add_to_list(saved_list: SavedList, product: Product, quantity: Decimal = Decimal(1), *, variant=None
                ) -> SavedListLine:
    """Put a product into a list (or raise its quantity if it is there)."""
    if quantity <= 0:
        raise OrderingError(_("Enter a quantity greater than zero."))
    line = SavedListLine.objects.filter(saved_list=saved_list, product=product, variant=variant).first()
    if line:
        line.quantity += quantity
        line.save(update_fields=["quantity"])
        return line
    return SavedListLine.objects.create(saved_list=saved_list, product=product, variant=variant, quantity=quantity)


def toggle_favourite(user, company, product: Product) -> bool:
    """Add the product to the user's favourites, or take it out; returns whether it is a favourite now."""
    fav = favourites(user, company)
    deleted, _rows = fav.lines.filter(product=product).delete()
    if deleted:
        return False
    add_to_list(fav, product)
    return True


def save_cart_as_list(cart: Cart, name: str, user) -> SavedList:
    """Keep the cart's contents as a named list (quantities merged per product/variant)."""
    with transaction.atomic():
        saved = create_list(cart.company, user, name)
        for line in cart.lines.select_related("product").order_by("pk"):
            add_to_list(saved, line.product, line.quantity, variant=line.variant)
    return saved


def _add_lines(cart: Cart, lines, actor) -> AddResult:
    """Add (product, variant, warehouse, quantity) tuples to the cart, rounding to pack sizes."""
    result = AddResult()
    for product, variant, warehouse, quantity in lines:
        label = product.sku or product.name
        if warehouse is not None and not warehouse.is_active:
            warehouse = None
        rule = quantity_rule(product)
        wanted = rule.round_up(quantity) if quantity > 0 else rule.minimum
        if wanted != quantity:
            result.adjusted.append((label, _("quantity changed from %(old)s to %(new)s to match the pack size") % {
                "old": f"{quantity.normalize():f}", "new": f"{wanted:f}"}))
        try:
            result.added.append(add_to_cart(cart, product, wanted, variant=variant, warehouse=warehouse,
                                            actor=actor))
        except OrderingError as error:
            result.skipped.append((label, str(error)))
    return result


def list_to_cart(saved_list: SavedList, cart: Cart, *, actor=None) -> AddResult:
    """Add every line of a saved list to the cart."""
    lines = saved_list.lines.select_related("product", "variant").order_by("pk")
    return _add_lines(cart, [(line.product, line.variant, None, line.quantity) for line in lines], actor)


def reorder(order: Order, cart: Cart, *, actor=None) -> AddResult:
    """"Repeat this order": add its lines to the cart, from the same warehouses while they ship."""
    if order.company_id != cart.company_id:
        raise OrderingError(_("This order belongs to another company."))
    lines = order.lines.select_related("product", "variant", "warehouse").order_by("pk")
    return _add_lines(cart, [(line.product, line.variant, line.warehouse, line.quantity) for line in lines], actor)
