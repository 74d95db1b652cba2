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

import gc
from abc import ABC, abstractmethod
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from b2b_cabinet.models import DiscountRule

from .context import PricingContext
from .data import load_batch
from .lines import LineRequest, PricedLine, Step
from .money import KOPECK, vat_of
from .rates import MissingRate

__all__ = ["DefaultPricingStrategy", "PricingStrategy"]

FIXED = DiscountRule.Method.FIXED


# Pricing a batch allocates a few small objects per line and none of them form cycles; the cyclic
# collector's generation scans over a large heap took ~45 % of a 10,000-line batch, so it is paused
# (reference counting still frees everything) for big batches and restored afterwards.
GC_PAUSE_LINES = 500


@contextmanager
def paused_gc(pause: bool):
    """Disable the cyclic garbage collector inside the block if ``pause`` and it was enabled."""
    was_enabled = pause and gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class PricingStrategy(ABC):
    """Prices a batch of lines for a context. Subclass and name it in ``B2B_CABINET["PRICING_STRATEGY"]``."""

    @abstractmethod
    def price(self, context: PricingContext, lines: list[LineRequest]) -> list[PricedLine]:
        """One :class:`PricedLine` per request, in the same order."""


class Plan:
    """How one set of candidate rules combines: the stack's ladders (tiers of rules) and the exclusives.

    Lines that reach the same rules share a plan, so the grouping is done once per distinct set.
    """

    __slots__ = ("exclusive", "ladders")

    def __init__(self, candidates):
        ladders: dict[tuple, dict] = {}
        self.exclusive = []
        for rule in candidates:
            if rule.stacking:
                ladders.setdefault(rule.ladder, {}).setdefault(rule.min_quantity, []).append(rule)
            else:
                self.exclusive.append(rule)
        self.ladders = [list(tiers.values()) for tiers in ladders.values()]


class DefaultPricingStrategy(PricingStrategy):
    """The documented precedence (see the module docstring)."""

    def price(self, context: PricingContext, lines: list[LineRequest]) -> list[PricedLine]:
        with paused_gc(len(lines) > GC_PAUSE_LINES):
            return self._price_batch(context, lines)

    def _price_batch(self, context: PricingContext, lines: list[LineRequest]) -> list[PricedLine]:
        index = context.rule_index
        facts, prices = load_batch(context.price_type_ids, lines, index.uses_properties)
        currencies = {row[1] for row in prices.values()} | {r.currency for r in context.rules}
        currencies.add(context.currency)
        context.rates.preload(currencies)
        plans: dict[tuple, Plan] = {}
        assortment = context.assortment
        return [self.price_line(context, index, facts.get(line.product_id), prices, line, assortment, plans)
                for line in lines]

    # -- one line ---------------------------------------------------------------------------------

    def price_line(self, context, index, facts, prices, line, assortment, plans=None) -> PricedLine:
        """Price one line (``plans`` caches rule plans across a batch)."""
        quantity = line.quantity if isinstance(line.quantity, Decimal) else Decimal(line.quantity)
        result = PricedLine(line.product_id, line.variant_id, quantity, context.currency)
        if facts is None:
            result.reason = _("This product is not in the catalogue.")
            return result
        if assortment.is_restricted and not assortment.allows(facts.id, facts.category_path, facts.brand_id):
            result.reason = _("This product is not offered in your region.")
            return result
        try:
            self._price(context, index, facts, prices, line, quantity, result, {} if plans is None else plans)
        except MissingRate as exc:
            result.available, result.reason, result.unit_price, result.steps = False, str(exc), None, []
            result.base_price = result.total = None
        return result

    def _lookup(self, context, prices, product_id, variant_id, type_id):
        """A price converted to the contract currency per one unit, or None."""
        row = None
        if variant_id is not None:
            row = prices.get((product_id, variant_id, type_id))
        if row is None:
            row = prices.get((product_id, None, type_id))
        if row is None:
            return None
        value, currency, ratio = row
        if ratio != 1:
            value = value / ratio
        if currency == context.currency:
            return value
        return context.rates.to_contract(value, currency)

    def _price(self, context, index, facts, prices, line, quantity, result, plans):
        for source in context.chain:
            value = self._lookup(context, prices, facts.id, line.variant_id, source.price_type_id)
            if value is not None:
                break
        else:
            result.reason = _("No price is set for this product; ask your manager.")
            return
        rate = context.rates.contract_rate
        result.rate, result.rate_source = rate.per_unit, rate.source
        base = value.quantize(KOPECK, ROUND_HALF_UP)
        result.base_price, result.base_source, result.base_price_type = base, source.reason, source.name
        result.vat_included = source.vat_included
        final, plan = base, None
        candidates = index.candidates(facts, line.variant_id, quantity)
        if candidates:
            key = tuple(rule.pk for rule in candidates)
            plan = plans.get(key)
            if plan is None:
                plan = plans[key] = Plan(candidates)
            final = self._apply(context, prices, facts, line, plan, base, None)
        first = Step("base", base, base, None, "", source.reason)
        if plan is None:
            result.steps = [first]
        else:
            def replay(plan=plan):
                steps = [first]
                self._apply(context, prices, facts, line, plan, base, steps)
                return steps

            result._replay = replay
        result.available = True
        result.unit_price = final
        result.total = (final * quantity).quantize(KOPECK, ROUND_HALF_UP)
        result.vat_rate = facts.vat_rate
        result.vat_amount = vat_of(result.total, facts.vat_rate, source.vat_included)
        if context.rrp_type_id:
            rrp = self._lookup(context, prices, facts.id, line.variant_id, context.rrp_type_id)
            result.rrp = rrp.quantize(KOPECK, ROUND_HALF_UP) if rrp is not None else None

    def _effect(self, context, prices, facts, line, rule, price):
        """The price after ``rule`` is applied to ``price`` alone, or None if it cannot apply."""
        if rule.factor is not None:
            return (price * rule.factor).quantize(KOPECK, ROUND_HALF_UP)
        if rule.method == FIXED:
            return context.rates.to_contract(rule.value, rule.currency).quantize(KOPECK, ROUND_HALF_UP)
        other = self._lookup(context, prices, facts.id, line.variant_id, rule.price_type_id)
        return None if other is None else other.quantize(KOPECK, ROUND_HALF_UP)

    def _run(self, context, prices, facts, line, rules, price, base, steps):
        """Apply ``rules`` in turn to ``price`` and return the result, appending to ``steps`` if given.

        A rule that would not lower the price is skipped. A capped rule takes off no more than it
        needs to bring the total discount (from ``base``) to its cap, and never undoes other rules.
        """
        for rule in rules:
            if rule.factor is not None:
                after = (price * rule.factor).quantize(KOPECK, ROUND_HALF_UP)
            else:
                after = self._effect(context, prices, facts, line, rule, price)
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

    def _apply(self, context, prices, facts, line, plan, base, steps) -> Decimal:
        """The stack (best reached tier of each ladder, in order), then the best exclusive rule.

        ``steps`` is a list to record into, or None when only the price is wanted.
        """
        running = base
        for tiers in plan.ladders:
            if len(tiers) == 1:
                running = self._run(context, prices, facts, line, tiers[0], running, base, steps)
                continue
            results = [self._run(context, prices, facts, line, rules, running, base, None) for rules in tiers]
            best = min(range(len(results)), key=results.__getitem__)
            if steps is not None:
                for i, rules in enumerate(tiers):
                    if i == best:
                        self._run(context, prices, facts, line, rules, running, base, steps)
                    else:
                        steps.extend(Step("skipped", running, running, r.pk, r.name, "tier") for r in rules)
            running = results[best]
        if plan.exclusive:
            running = self._exclusive(context, prices, facts, line, plan.exclusive, base, running, steps)
        return running

    def _exclusive(self, context, prices, facts, line, rules, base, running, steps) -> Decimal:
        """The best exclusive rule, applied alone to the base, replaces the stack only if strictly lower."""
        best_rule, best = None, None
        for rule in rules:
            after = self._effect(context, prices, facts, line, rule, base)
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
