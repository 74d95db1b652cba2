"""Quantity rules of a product: the minimum, the step and the pack size (1C's unit coefficient).

A product sold in packs of ``unit_ratio`` units can be ordered only in whole packs: the step and
the minimum are the pack size. 1C may also send a minimum order quantity as a requisite
(``MIN_QUANTITY_REQUISITES``); it is rounded up to whole packs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from b2b_cabinet.exceptions import QuantityError

#: Product requisites (as imported from 1C) that carry a minimum order quantity.
MIN_QUANTITY_REQUISITES = ("Минимальная партия", "Минимальный заказ")
ONE = Decimal(1)


@dataclass(frozen=True)
class QuantityRule:
    """What quantities of a product may be ordered: at least ``minimum``, in multiples of ``step``."""

    minimum: Decimal
    step: Decimal

    def round_up(self, quantity: Decimal) -> Decimal:
        """The smallest allowed quantity not below ``quantity`` (for "rounded up to the pack size" notes)."""
        quantity = max(Decimal(quantity), self.minimum)
        packs = (quantity / self.step).to_integral_value(rounding=ROUND_CEILING)
        return (packs * self.step).normalize()

    def check(self, quantity: Decimal) -> Decimal:
        """Return ``quantity`` if allowed, else raise :class:`QuantityError` saying what would be."""
        if quantity is None or not quantity.is_finite() or quantity <= 0:
            raise QuantityError(_("Enter a quantity greater than zero."))
        if quantity < self.minimum:
            raise QuantityError(_("The minimum order quantity is %(min)s.") % {"min": _fmt(self.minimum)})
        if quantity % self.step:
            raise QuantityError(
                _("This product is sold in packs of %(step)s: order a multiple of it, e.g. %(nearest)s.")
                % {"step": _fmt(self.step), "nearest": _fmt(self.round_up(quantity))}
            )
        return quantity


def _fmt(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _requisite_minimum(product) -> Decimal | None:
    requisites = getattr(product, "requisites", None) or {}
    for key in MIN_QUANTITY_REQUISITES:
        raw = requisites.get(key)
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw).replace(",", ".").replace("\u00a0", "").strip())
        except InvalidOperation:
            continue
        if value > 0:
            return value
    return None


def quantity_rule(product) -> QuantityRule:
    """The product's :class:`QuantityRule`: step and minimum from the pack size, minimum raised by 1C's."""
    step = Decimal(product.unit_ratio or 0)
    if step <= 0:
        step = ONE
    rule = QuantityRule(minimum=step, step=step)
    minimum = _requisite_minimum(product)
    if minimum is not None and minimum > step:
        rule = QuantityRule(minimum=rule.round_up(minimum), step=step)
    return rule


def parse_quantity(raw) -> Decimal:
    """A quantity typed by a person ("12", "2,5") as a Decimal; :class:`QuantityError` if it is not one."""
    try:
        value = Decimal(str(raw).replace(",", ".").replace("\u00a0", "").replace(" ", "").strip())
    except (InvalidOperation, ValueError):
        raise QuantityError(_("Enter a quantity greater than zero.")) from None
    if not value.is_finite():
        raise QuantityError(_("Enter a quantity greater than zero."))
    return value
