"""The default pricing strategy: base price from the price-type chain, then discount rules.

Order of operations (``docs/pricing.md`` documents it for integrators and buyers):

1. **Base price.** The first price type of the chain (contract → region → default, or the guest
   type) that has a price for the variant, else for the product. Divided by the price's unit
   coefficient, converted into the contract currency and rounded to kopecks.
2. **Candidates.** Rules in force for this buyer whose target covers the line and whose minimum
   quantity the line reaches, ordered by :attr:`rules.CompiledRule.order`.
3. **Stack.** ``stacked`` and ``capped`` rules are applied in that order to the running price, each
   result rounded. Rules of one ladder (same audience, target, mode and priority) with different
   minimum quantities are volume tiers: of the tiers the line reaches, only the one giving the lowest
   price is used (rules of one tier stack). A rule never raises the price. A ``capped`` rule takes
   off only as much as keeps the total discount from the base within its cap.
4. **Exclusive.** Each ``exclusive`` rule is applied alone to the base price; the lowest of them
   replaces the stack result only if strictly lower (ties go to the stack, then to order).
5. **Totals.** Line total = unit price × quantity, rounded; VAT extracted or added at the product's
   rate according to the base price type; RRP converted and rounded for the margin view.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from b2b_cabinet.gc_pause import paused_gc
from b2b_cabinet.models import DiscountRule

from .context import PricingContext
from .data import PriceTable, load_batch
from .lines import LineRequest, PricedLine, Step
from .money import KOPECK, vat_of
from .rates import MissingRate

__all__ = ["DefaultPricingStrategy", "PricingStrategy"]

FIXED = DiscountRule.Method.FIXED
ONE = Decimal(1)


# Pricing a batch allocates a few small objects per line and none of them form cycles; the cyclic
# collector's generation scans over a large heap took ~45 % of a 10,000-line batch, so it is paused
# (reference counting still frees everything) for big batches and restored afterwards.
GC_PAUSE_LINES = 500


class PricingStrategy(ABC):
    """Prices a batch of lines for a context. Subclass and name it in ``B2B_CABINET["PRICING_STRATEGY"]``."""

    @abstractmethod
    def price(self, context: PricingContext, lines: list[LineRequest]) -> list[PricedLine]:
        """One :class:`PricedLine` per request, in the same order."""


class Plan:
    """How one set of candidate rules combines: the stack's ladders (tiers of rules) and the exclusives.

    Lines that reach the same rules share a plan, so the grouping is done once per distinct set.
    The plan also keeps a shortened form for pricing without recording steps (:attr:`ops`,
    :attr:`best_factor`, :attr:`other_exclusive`); see :meth:`DefaultPricingStrategy._final`.
    """

    __slots__ = ("best_factor", "exclusive", "ladders", "ops", "other_exclusive")

    def __init__(self, candidates):
        ladders: dict[tuple, dict] = {}
        self.exclusive = []
        for rule in candidates:
            if rule.stacking:
                ladders.setdefault(rule.ladder, {}).setdefault(rule.min_quantity, []).append(rule)
            else:
                self.exclusive.append(rule)
        self.ladders = [list(tiers.values()) for tiers in ladders.values()]
        # The stack as operations on the running price: a Decimal is "× factor, rounded" (a plain
        # percent rule below 100 %); a pair is a capped percent rule (never below the cap's floor, never
        # above the running price); a rule is applied as such (fixed, price type); a list is a ladder
        # of tiers, the lowest result wins. A percent rule can only lower a price and rounding
        # is monotone, so of several one-rule percent tiers the smallest factor gives the lowest price.
        self.ops: list = []
        for tiers in self.ladders:
            if len(tiers) == 1:
                self.ops.extend(_op(rule) for rule in tiers[0])
            elif all(len(rules) == 1 and _op(rules[0]).__class__ is Decimal for rules in tiers):
                self.ops.append(min(_op(rules[0]) for rules in tiers))
            else:
                self.ops.append(tiers)
        self.ops = [op for op in self.ops if op is not ONE]
        # Exclusive rules are each applied to the base; the best percent one is the smallest factor.
        factors = [rule.factor for rule in self.exclusive if rule.factor is not None]
        self.best_factor = min(factors) if factors else None
        self.other_exclusive = [rule for rule in self.exclusive if rule.factor is None]


def _op(rule):
    """The stack operation of one rule: its factor (``ONE``: changes nothing), ``(factor, cap factor)``
    for a capped percent rule, or the rule itself."""
    if rule.factor is None:
        return rule
    if rule.capped:
        return (rule.factor, rule.cap_factor)
    return rule.factor if rule.factor < 1 else ONE


class Batch:
    """What every line of a batch shares: the context, its rules and assortment, and the prices read.

    Priced lines keep a reference to their batch (one shared object, not one closure per line) so
    their steps can be replayed on demand with exactly the same data.
    """

    __slots__ = ("assortment", "chain", "chain_tables", "context", "currency", "fixed", "index", "prices", "rate",
                 "rates", "restricted", "rrp_table", "rrp_type_id", "strategy")

    def __init__(self, strategy, context: PricingContext, index, prices: PriceTable, assortment):
        self.strategy, self.context, self.index, self.prices = strategy, context, index, prices
        self.assortment, self.restricted = assortment, assortment.is_restricted
        self.chain = context.chain
        empty: dict = {}
        self.chain_tables = [(source, prices.products.get(source.price_type_id, empty)) for source in self.chain]
        self.rrp_table = prices.products.get(context.rrp_type_id, empty)
        self.currency, self.rates, self.rrp_type_id = context.currency, context.rates, context.rrp_type_id
        self.fixed: dict[int, Decimal] = {}  # fixed-price rules converted and rounded, once per batch
        try:
            self.rate = context.rates.contract_rate
        except MissingRate:
            self.rate = None  # each priced line then reports the missing rate

    def lookup(self, product_id: int, variant_id: int | None, type_id: int) -> Decimal | None:
        """A price per one unit converted to the contract currency (not rounded), or None."""
        entry = self.prices.entry(product_id, variant_id, type_id)
        if entry is None or entry.__class__ is not tuple:
            return entry
        return self.rates.to_contract(entry[0], entry[1])

    def replay(self, line: PricedLine) -> list[Step]:
        """The steps of a line priced in this batch, recomputed with the same data and code."""
        steps = [Step("base", line.base_price, line.base_price, None, "", line.base_source)]
        if line._plan is not None:
            self.strategy._apply(self, line.product_id, line.variant_id, line._plan, line.base_price, steps)
        return steps


class DefaultPricingStrategy(PricingStrategy):
    """The documented precedence (see the module docstring)."""

    def price(self, context: PricingContext, lines: list[LineRequest]) -> list[PricedLine]:
        with paused_gc(len(lines) > GC_PAUSE_LINES):
            return self._price_batch(context, lines)

    def _price_batch(self, context: PricingContext, lines: list[LineRequest]) -> list[PricedLine]:
        index = context.rule_index
        facts, prices = load_batch(context.price_type_ids, lines, index.uses_properties, context.currency)
        context.rates.preload(prices.currencies | {r.currency for r in context.rules} | {context.currency})
        batch = Batch(self, context, index, prices, context.assortment)
        price_one, get = self._line, facts.get
        return [price_one(batch, get(line.product if line.product.__class__ is int else line.product_id), line)
                for line in lines]

    # -- one line ---------------------------------------------------------------------------------

    def price_line(self, context, index, facts, prices, line, assortment, plans=None) -> PricedLine:
        """Price one line on its own: ``prices`` is a :class:`~.data.PriceTable` or a mapping
        ``{(product_id, variant_id, price_type_id): (value, currency, unit_ratio)}``; ``plans`` is
        ignored (plans are kept on the rule index)."""
        if not isinstance(prices, PriceTable):
            prices = PriceTable.from_rows(prices, context.currency)
        return self._line(Batch(self, context, index, prices, assortment), facts, line)

    def _line(self, batch: Batch, facts, line: LineRequest) -> PricedLine:
        quantity = line.quantity if isinstance(line.quantity, Decimal) else Decimal(line.quantity)
        product = line.product
        product_id = product if product.__class__ is int else line.product_id
        if facts is None:
            return PricedLine(product_id, line.variant_id, quantity, batch.currency,
                              _("This product is not in the catalogue."))
        if batch.restricted and not batch.assortment.allows(facts.id, facts.category_path, facts.brand_id):
            return PricedLine(product_id, line.variant_id, quantity, batch.currency,
                              _("This product is not offered in your region."))
        try:
            return self._price(batch, facts, product_id, line.variant_id, quantity)
        except MissingRate as exc:
            result = PricedLine(product_id, line.variant_id, quantity, batch.currency, str(exc))
            result.steps = []
            return result

    def _price(self, batch: Batch, facts, line_product_id, variant_id, quantity) -> PricedLine:
        product_id, value = facts.id, None
        if variant_id is None:
            # The usual line: the product's own prices, read straight from the price table.
            for source, table in batch.chain_tables:  # noqa: B007 (the source found is used below)
                value = table.get(product_id)
                if value is not None:
                    if value.__class__ is tuple:
                        value = batch.rates.to_contract(value[0], value[1])
                    break
        else:
            for source in batch.chain:
                value = batch.lookup(product_id, variant_id, source.price_type_id)
                if value is not None:
                    break
        if value is None:
            return PricedLine(line_product_id, variant_id, quantity, batch.currency,
                              _("No price is set for this product; ask your manager."))
        rate = batch.rate or batch.rates.contract_rate
        base = value.quantize(KOPECK, ROUND_HALF_UP)
        final, plan = base, None
        reach = batch.index.reach(facts, variant_id)
        if reach is not None:
            level = reach.level(quantity)
            if level:
                plan = reach.plans.get(level)
                if plan is None:
                    plan = reach.plans[level] = Plan(reach.at(level))
                final = self._final(batch, product_id, variant_id, plan, base)
        total = (final * quantity).quantize(KOPECK, ROUND_HALF_UP)
        vat_rate = facts.vat_rate
        rrp = None
        if batch.rrp_type_id:
            if variant_id is None:
                rrp = batch.rrp_table.get(product_id)
                if rrp.__class__ is tuple:
                    rrp = batch.rates.to_contract(rrp[0], rrp[1])
            else:
                rrp = batch.lookup(product_id, variant_id, batch.rrp_type_id)
            if rrp is not None:
                rrp = rrp.quantize(KOPECK, ROUND_HALF_UP)
        included = source.vat_included
        return PricedLine.priced(
            line_product_id, variant_id, quantity, batch.currency, base, source.reason, source.name, included,
            rate.per_unit, rate.source, final, total, vat_rate, vat_of(total, vat_rate, included), rrp,
            None if plan is None else batch, plan,
        )

    def _effect(self, batch, product_id, variant_id, rule, price):
        """The price after ``rule`` is applied to ``price`` alone, or None if it cannot apply."""
        if rule.factor is not None:
            return (price * rule.factor).quantize(KOPECK, ROUND_HALF_UP)
        if rule.method == FIXED:
            fixed = batch.fixed.get(rule.pk)
            if fixed is None:
                fixed = batch.fixed[rule.pk] = (
                    batch.rates.to_contract(rule.value, rule.currency).quantize(KOPECK, ROUND_HALF_UP))
            return fixed
        other = batch.lookup(product_id, variant_id, rule.price_type_id)
        return None if other is None else other.quantize(KOPECK, ROUND_HALF_UP)

    def _run(self, batch, product_id, variant_id, rules, price, base, steps):
        """Apply ``rules`` in turn to ``price`` and return the result, appending to ``steps`` if given.

        A rule that would not lower the price is skipped. A capped rule takes off no more than it
        needs to bring the total discount (from ``base``) to its cap, and never undoes other rules.
        """
        for rule in rules:
            factor = rule.factor
            if factor is not None:
                after = (price * factor).quantize(KOPECK, ROUND_HALF_UP)
            else:
                after = self._effect(batch, product_id, variant_id, rule, price)
            limited = False
            if after is not None and rule.capped:
                floor = (base * rule.cap_factor).quantize(KOPECK, ROUND_HALF_UP)
                limited = after < floor
                if limited:
                    after = floor
            if after is None or after >= price:
                if steps is not None:
                    steps.append(Step("skipped", price, price, rule.pk, rule.name, "cap" if limited else "not_lower"))
                continue
            if steps is not None:
                steps.append(Step("rule", price, after, rule.pk, rule.name, "capped" if limited else rule.method))
            price = after
        return price

    def _final(self, batch, product_id, variant_id, plan, base) -> Decimal:
        """The price :meth:`_apply` arrives at, computed from the plan's shortened form (no steps).

        The same arithmetic and rounding: ``steps`` replays :meth:`_apply`, and the tests check that
        both always agree.
        """
        price = base
        for op in plan.ops:
            if op.__class__ is Decimal:
                price = (price * op).quantize(KOPECK, ROUND_HALF_UP)
            elif op.__class__ is tuple:
                after = (price * op[0]).quantize(KOPECK, ROUND_HALF_UP)
                floor = (base * op[1]).quantize(KOPECK, ROUND_HALF_UP)
                if after < floor:
                    after = floor
                if after < price:
                    price = after
            elif op.__class__ is list:
                price = min([self._run(batch, product_id, variant_id, rules, price, base, None) for rules in op])
            else:
                price = self._run(batch, product_id, variant_id, (op,), price, base, None)
        if plan.exclusive:
            best = None
            if plan.best_factor is not None:
                best = (base * plan.best_factor).quantize(KOPECK, ROUND_HALF_UP)
                if best >= base:
                    best = None
            for rule in plan.other_exclusive:
                after = self._effect(batch, product_id, variant_id, rule, base)
                if after is not None and after < base and (best is None or after < best):
                    best = after
            if best is not None and best < price:
                price = best
        return price

    def _apply(self, batch, product_id, variant_id, plan, base, steps) -> Decimal:
        """The stack (best reached tier of each ladder, in order), then the best exclusive rule.

        ``steps`` is a list to record into, or None when only the price is wanted.
        """
        running = base
        run = self._run
        for tiers in plan.ladders:
            if len(tiers) == 1:
                running = run(batch, product_id, variant_id, tiers[0], running, base, steps)
                continue
            results = [run(batch, product_id, variant_id, rules, running, base, None) for rules in tiers]
            best = min(range(len(results)), key=results.__getitem__)
            if steps is not None:
                for i, rules in enumerate(tiers):
                    if i == best:
                        run(batch, product_id, variant_id, rules, running, base, steps)
                    else:
                        steps.extend(Step("skipped", running, running, r.pk, r.name, "tier") for r in rules)
            running = results[best]
        if plan.exclusive:
            running = self._exclusive(batch, product_id, variant_id, plan.exclusive, base, running, steps)
        return running

    def _exclusive(self, batch, product_id, variant_id, rules, base, running, steps) -> Decimal:
        """The best exclusive rule, applied alone to the base, replaces the stack only if strictly lower."""
        best_rule, best = None, None
        for rule in rules:
            factor = rule.factor
            if factor is not None:
                after = (base * factor).quantize(KOPECK, ROUND_HALF_UP)
            else:
                after = self._effect(batch, product_id, variant_id, rule, base)
            if after is not None and after < base and (best is None or after < best):
                best_rule, best = rule, after
        if best_rule is None:
            return running
        if best >= running:
            if steps is not None:
                steps.append(Step("skipped", running, running, best_rule.pk, best_rule.name, "not_lower"))
            return running
        if steps is None:
            return best
        # The stack loses as a whole: its applied steps become "not applied" so the explanation's
        # arithmetic runs base → exclusive rule with nothing in between.
        steps[1:] = [
            s if s.kind == "skipped" else Step("skipped", s.before, s.before, s.rule_id, s.rule_name, "exclusive")
            for s in steps[1:]
        ]
        steps.append(Step("rule", base, best, best_rule.pk, best_rule.name, best_rule.method))
        return best
