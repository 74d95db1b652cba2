"""The price engine: (buyer, lines) → priced lines with an explanation.

One engine prices everything: catalogue pages, product detail, the cart, the Excel price list and
the admin's rule preview and margin report all call :func:`price_lines`, so they agree on every
price. The strategy is pluggable through ``B2B_CABINET["PRICING_STRATEGY"]``.

Usage::

    from b2b_cabinet import pricing

    context = pricing.context_for_company(company)
    lines = pricing.price_lines(context, [pricing.LineRequest(product, Decimal(10))])
    lines[0].unit_price, lines[0].explanation("ru")
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.module_loading import import_string

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import ConfigurationError

from .context import PricingContext, context_for_company, guest_context
from .engine import DefaultPricingStrategy, PricingStrategy
from .lines import LineRequest, PricedLine, Step
from .rates import MissingRate

__all__ = [
    "DefaultPricingStrategy",
    "LineRequest",
    "MissingRate",
    "PricedLine",
    "PricingContext",
    "PricingStrategy",
    "Step",
    "context_for_company",
    "get_strategy",
    "guest_context",
    "price_lines",
    "price_products",
]


@lru_cache(maxsize=4)
def _load(path: str) -> PricingStrategy:
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ConfigurationError(f"B2B_CABINET['PRICING_STRATEGY'] = {path!r} cannot be imported: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, PricingStrategy)):
        raise ConfigurationError(f"B2B_CABINET['PRICING_STRATEGY'] = {path!r} is not a PricingStrategy subclass.")
    return cls()


def get_strategy() -> PricingStrategy:
    """The configured strategy instance."""
    return _load(b2b_settings.PRICING_STRATEGY)


def price_lines(context: PricingContext, lines: list[LineRequest]) -> list[PricedLine]:
    """Price a batch of lines in one pass (a fixed number of queries whatever the batch size)."""
    return get_strategy().price(context, list(lines))


def price_products(context: PricingContext, products, quantity=1) -> dict[int, PricedLine]:
    """Price one unit (or ``quantity``) of each product; returns ``{product_id: PricedLine}``."""
    from decimal import Decimal

    lines = price_lines(context, [LineRequest(p, Decimal(quantity)) for p in products])
    return {line.product_id: line for line in lines}
