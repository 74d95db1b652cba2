"""What goes into the engine and what comes out: requested lines, priced lines and their steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.utils import translation
from django.utils.translation import gettext as _

from .money import ZERO


@dataclass(frozen=True)
class LineRequest:
    """A product (or one of its variants) and a quantity to price.

    ``product`` is an id, a Product (with ``category`` loaded, to spare a query) or ProductFacts.
    """

    product: object
    quantity: Decimal = Decimal(1)
    variant_id: int | None = None

    @property
    def product_id(self) -> int:
        product = self.product
        if isinstance(product, int):
            return product
        return product.id if isinstance(product, ProductFacts) else product.pk


@dataclass(frozen=True)
class ProductFacts:
    """The product attributes rules and assortment look at."""

    id: int
    category_path: str | None
    brand_id: int | None
    producer_id: int | None
    vat_rate: Decimal | None
    properties: dict


class Step(NamedTuple):
    """One step of the arithmetic: the price before and after, and what did it.

    ``kind`` is ``base``, ``rule`` or ``skipped`` (a rule that was considered but not used;
    ``before == after`` then). ``detail`` says how: the method of an applied rule (``percent``,
    ``fixed``, ``price_type``, ``capped``), why a rule was skipped (``tier``, ``not_lower``, ``cap``,
    ``exclusive``), or the price-type source of the base.
    """

    kind: str
    before: Decimal
    after: Decimal
    rule_id: int | None = None
    rule_name: str = ""
    detail: str = ""

    @property
    def effect(self) -> Decimal:
        """How much this step changed the unit price (negative is a discount)."""
        return self.after - self.before


@dataclass
class PricedLine:
    """A line with its price, every step that produced it, VAT, RRP and margin."""

    product_id: int
    variant_id: int | None
    quantity: Decimal
    currency: str
    available: bool = False
    reason: str = ""
    base_price: Decimal | None = None
    base_source: str = ""
    base_price_type: str = ""
    unit_price: Decimal | None = None
    total: Decimal | None = None
    vat_rate: Decimal | None = None
    vat_included: bool = True
    vat_amount: Decimal = ZERO
    rate: Decimal = Decimal(1)
    rate_source: str = "base"
    rrp: Decimal | None = None
    # Batch pricing records no steps; the engine leaves how to replay the line's arithmetic here and
    # ``steps`` recomputes it on first use (same code, same numbers), so a 150,000-row price list
    # does not build explanations nobody reads.
    _steps: list[Step] | None = field(default=None, repr=False, compare=False)
    _replay: Callable[[], list[Step]] | None = field(default=None, repr=False, compare=False)

    @property
    def steps(self) -> list[Step]:
        """Every step of the arithmetic, base first (empty when the line has no price)."""
        if self._steps is None:
            self._steps = self._replay() if self._replay is not None else []
            self._replay = None
        return self._steps

    @steps.setter
    def steps(self, value: list[Step]) -> None:
        self._steps, self._replay = value, None

    @property
    def applied(self) -> list[Step]:
        """The rule steps that changed the price."""
        return [s for s in self.steps if s.kind == "rule"]

    @property
    def margin(self) -> Decimal | None:
        """RRP minus the buyer's unit price: what a dealer earns selling at RRP."""
        if self.rrp is None or self.unit_price is None:
            return None
        return self.rrp - self.unit_price

    @property
    def markup_percent(self) -> Decimal | None:
        """The margin as a percentage of the buyer's price (dealer markup up to RRP), one decimal."""
        if self.margin is None or not self.unit_price:
            return None
        return (self.margin * 100 / self.unit_price).quantize(Decimal("0.1"))

    @property
    def discount(self) -> Decimal:
        """Base minus final unit price (zero when unpriced)."""
        if self.base_price is None or self.unit_price is None:
            return ZERO
        return self.base_price - self.unit_price

    def explanation(self, language: str | None = None) -> list[str]:
        """"Why this price", one sentence per step, in ``language`` (the active one by default)."""
        from .explain import explain

        if language is None:
            return explain(self)
        with translation.override(language):
            return explain(self)

    def __str__(self):
        if not self.available:
            return _("price on request")
        return f"{self.unit_price} {self.currency}"
