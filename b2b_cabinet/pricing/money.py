"""Money arithmetic for the price engine: Decimal only, rounded half-up to kopecks.

The engine rounds at exactly these points (documented in ``docs/pricing.md``): the base price after
conversion to the contract currency, the result of every rule step (a capped rule's limit included),
the line total and the VAT amount. Nothing else is rounded, so the explanation shown to the buyer
reproduces the arithmetic step by step.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


def kopecks(amount: Decimal) -> Decimal:
    """``amount`` rounded half-up to two decimal places (1.005 → 1.01)."""
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def percent_off(amount: Decimal, percent: Decimal) -> Decimal:
    """``amount`` less ``percent`` per cent, rounded to kopecks."""
    return kopecks(amount * (HUNDRED - percent) / HUNDRED)


def vat_of(total: Decimal, rate: Decimal | None, included: bool) -> Decimal:
    """VAT in ``total``: extracted when prices include VAT (``total·r/(100+r)``), else ``total·r/100``."""
    if not rate:
        return ZERO
    if included:
        return (total * rate / (HUNDRED + rate)).quantize(KOPECK, ROUND_HALF_UP)
    return (total * rate / HUNDRED).quantize(KOPECK, ROUND_HALF_UP)
