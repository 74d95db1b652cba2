"""What goes into the engine and what comes out: requested lines, priced lines and their steps."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.utils import translation
from django.utils.translation import gettext as _

from .money import ZERO

ONE = Decimal(1)


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


class ProductFacts(NamedTuple):
    """The product attributes rules and assortment look at.

    A named tuple: immutable, and the cheapest record to build 10,000 times per batch.
    """

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


class PricedLine:
    """A line with its price, every step that produced it, VAT, RRP and margin.

    A slotted class: a batch creates one per line, and a slotted object is a single allocation the
    garbage collector scans cheaply (a dict per line cost more than the arithmetic at 10,000 lines).
    """

    __slots__ = ("_batch", "_plan", "_steps", "available", "base_price", "base_price_type", "base_source",
                 "currency", "product_id", "quantity", "rate", "rate_source", "reason", "rrp", "total",
                 "unit_price", "variant_id", "vat_amount", "vat_included", "vat_rate")

    def __init__(self, product_id: int, variant_id: int | None, quantity: Decimal, currency: str, reason: str = ""):
        """An unpriced line (``available`` False) and why."""
        self.product_id, self.variant_id, self.quantity, self.currency = product_id, variant_id, quantity, currency
        self.available, self.reason = False, reason
        self.base_price = self.unit_price = self.total = self.vat_rate = self.rrp = None
        self.base_source = self.base_price_type = ""
        self.vat_included, self.vat_amount = True, ZERO
        self.rate, self.rate_source = ONE, "base"
        self._steps = self._batch = self._plan = None

    @classmethod
    def priced(cls, product_id, variant_id, quantity, currency, base_price, base_source, base_price_type,
               vat_included, rate, rate_source, unit_price, total, vat_rate, vat_amount, rrp, batch=None, plan=None):
        """A priced line, every field set once (the engine builds one per available line).

        Batch pricing records no steps: the line keeps its batch and rule plan, and :attr:`steps`
        replays the arithmetic on first use (same code, same numbers), so a 150,000-row price list
        does not build explanations nobody reads.
        """
        self = cls.__new__(cls)
        self.product_id, self.variant_id, self.quantity, self.currency = product_id, variant_id, quantity, currency
        self.available, self.reason = True, ""
        self.base_price, self.base_source, self.base_price_type = base_price, base_source, base_price_type
        self.vat_included, self.rate, self.rate_source = vat_included, rate, rate_source
        self.unit_price, self.total, self.vat_rate, self.vat_amount, self.rrp = (
            unit_price, total, vat_rate, vat_amount, rrp)
        self._steps, self._batch, self._plan = None, batch, plan
        return self

    def __repr__(self):
        return (f"PricedLine(product_id={self.product_id}, variant_id={self.variant_id}, quantity={self.quantity}, "
                f"unit_price={self.unit_price}, currency={self.currency!r}, available={self.available})")

    @property
    def steps(self) -> list[Step]:
        """Every step of the arithmetic, base first (empty when the line has no price)."""
        if self._steps is None:
            if self._batch is not None:
                self._steps = self._batch.replay(self)
            elif self.available:
                self._steps = [Step("base", self.base_price, self.base_price, None, "", self.base_source)]
            else:
                self._steps = []
            self._batch = self._plan = None
        return self._steps

    @steps.setter
    def steps(self, value: list[Step]) -> None:
        self._steps, self._batch, self._plan = value, None, None

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
