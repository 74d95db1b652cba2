"""The default pricing strategy: base price from the price-type chain, then discount rules.

Order of operations (``docs/pricing.md`` documents it for integrators and buyers):

1. **Base price.** The first price type of the chain (contract → region → default, or the guest
   type) that has a price for the variant, else for the product. Divided by the price's unit
   coefficient, converted into the contract currency and rounded to kopecks.
2. **Candidates.** Rules in force for this buyer whose target covers the line and whose minimum
   quantity the line reaches, ordered by :func:`rules.order_key`.
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

import json
from abc import ABC, abstractmethod
from decimal import Decimal

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from b2b_cabinet.models import DiscountRule, Price, Product

from .context import PricingContext
from .lines import LineRequest, PricedLine, ProductFacts, Step
from .money import kopecks, percent_off, vat_of
from .rates import MissingRate
from .rules import RuleIndex, ladder_key

STACKING = (DiscountRule.Combination.STACKED, DiscountRule.Combination.CAPPED)
# Above this many ids a single array/JSON parameter replaces ``IN (%s, %s, …)``, so one query
# serves any batch size (SQLite caps the number of parameters, PostgreSQL plans long lists slowly).
INLINE_IDS = 500


class PricingStrategy(ABC):
    """Prices a batch of lines for a context. Subclass and name it in ``B2B_CABINET["PRICING_STRATEGY"]``."""

    @abstractmethod
    def price(self, context: PricingContext, lines: list[LineRequest]) -> list[PricedLine]:
        """One :class:`PricedLine` per request, in the same order."""


def id_filter(field: str, ids) -> Q:
    """``field IN ids`` as one parameter for long lists (JSON on SQLite, an array on PostgreSQL)."""
    ids = list(ids)
    if len(ids) <= INLINE_IDS:
        return Q(**{f"{field}__in": ids})
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", (ids,))})
    return Q(**{f"{field}__in": RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))})


def product_facts(lines: list[LineRequest], with_properties: bool) -> dict[int, ProductFacts]:
    """Facts for every product of the batch: from loaded instances when possible, else one query."""
    facts, missing = {}, set()
    for line in lines:
        product = line.product
        if isinstance(product, Product) and "category" in product._state.fields_cache:
            category = product.category
            facts[product.pk] = ProductFacts(
                product.pk, category.path if category else None, product.brand_id, product.producer_id,
                product.vat_rate, product.properties if with_properties else {},
            )
        else:
            missing.add(line.product_id)
    missing -= facts.keys()
    if missing:
        fields = ["pk", "category__path", "brand_id", "producer_id", "vat_rate"]
        if with_properties:
            fields.append("properties")
        for row in Product.objects.filter(id_filter("pk", missing)).values_list(*fields):
            facts[row[0]] = ProductFacts(*row[:5], row[5] if with_properties else {})
    return facts


def price_table(context: PricingContext, lines: list[LineRequest]) -> dict[tuple, tuple]:
    """``(product_id, variant_id or None, price_type_id) → (value, currency, unit_ratio)`` in one query."""
    type_ids = context.price_type_ids
    if not type_ids:
        return {}
    product_ids = {line.product_id for line in lines}
    variant_ids = {line.variant_id for line in lines if line.variant_id is not None}
    variants = Q(variant__isnull=True)
    if variant_ids:
        variants |= id_filter("variant_id", variant_ids)
    rows = (
        Price.objects.filter(id_filter("product_id", product_ids), price_type_id__in=type_ids)
        .filter(variants)
        .values_list("product_id", "variant_id", "price_type_id", "value", "currency", "unit_ratio")
    )
    return {(p, v, t): (value, currency, ratio) for p, v, t, value, currency, ratio in rows}


class DefaultPricingStrategy(PricingStrategy):
    """The documented precedence (see the module docstring)."""

    def price(self, context: PricingContext, lines: list[LineRequest]) -> list[PricedLine]:
        index = RuleIndex(context.rules)
        facts = product_facts(lines, index.uses_properties)
        prices = price_table(context, lines)
        currencies = {row[1] for row in prices.values()} | {r.currency for r in context.rules}
        currencies.add(context.currency)
        context.rates.preload(currencies)
        assortment = context.assortment
        return [self.price_line(context, index, facts.get(line.product_id), prices, line, assortment)
                for line in lines]

    # -- one line ---------------------------------------------------------------------------------

    def price_line(self, context, index, facts, prices, line, assortment) -> PricedLine:
        quantity = Decimal(line.quantity)
        result = PricedLine(line.product_id, line.variant_id, quantity, context.currency)
        if facts is None:
            result.reason = _("This product is not in the catalogue.")
            return result
        if assortment.is_restricted and not assortment.allows(facts.id, facts.category_path, facts.brand_id):
            result.reason = _("This product is not offered in your region.")
            return result
        try:
            self._price(context, index, facts, prices, line, quantity, result)
        except MissingRate as exc:
            result.available, result.reason, result.unit_price, result.steps = False, str(exc), None, []
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
        if ratio and ratio != 1:
            value = value / ratio
        return context.rates.to_contract(value, currency)

    def _price(self, context, index, facts, prices, line, quantity, result):
        for source in context.chain:
            value = self._lookup(context, prices, facts.id, line.variant_id, source.price_type_id)
            if value is not None:
                break
        else:
            result.reason = _("No price is set for this product; ask your manager.")
            return
        rate = context.rates.contract_rate
        result.rate, result.rate_source = rate.per_unit, rate.source
        base = kopecks(value)
        result.base_price, result.base_source, result.base_price_type = base, source.reason, source.name
        result.vat_included = source.vat_included
        steps = [Step("base", base, base, detail=source.reason)]
        final = self._apply_rules(context, index, facts, prices, line, quantity, base, steps)
        result.steps = steps
        result.available = True
        result.unit_price = final
        result.total = kopecks(final * quantity)
        result.vat_rate = facts.vat_rate
        result.vat_amount = vat_of(result.total, facts.vat_rate, source.vat_included)
        if context.rrp_type_id:
            rrp = self._lookup(context, prices, facts.id, line.variant_id, context.rrp_type_id)
            result.rrp = kopecks(rrp) if rrp is not None else None

    def _effect(self, context, prices, facts, line, rule, price):
        """The price after ``rule`` is applied to ``price`` alone, or None if it cannot apply."""
        if rule.method == DiscountRule.Method.PERCENT:
            return percent_off(price, rule.value)
        if rule.method == DiscountRule.Method.FIXED:
            return kopecks(context.rates.to_contract(rule.value, rule.currency))
        other = self._lookup(context, prices, facts.id, line.variant_id, rule.price_type_id)
        return None if other is None else kopecks(other)

    def _run(self, context, prices, facts, line, rules, price, base):
        """Apply ``rules`` in turn to ``price``; returns the result and the steps.

        A rule that would not lower the price is skipped. A capped rule takes off no more than it
        needs to bring the total discount (from ``base``) to its cap, and never undoes other rules.
        """
        steps = []
        for rule in rules:
            after = self._effect(context, prices, facts, line, rule, price)
            limited = False
            if after is not None and rule.combination == DiscountRule.Combination.CAPPED:
                floor = percent_off(base, rule.cap_percent)
                limited = after < floor
                after = max(after, floor)
            if after is None or after >= price:
                steps.append(Step("skipped", price, price, rule.pk, rule.name, "cap" if limited else "not_lower"))
                continue
            steps.append(Step("rule", price, after, rule.pk, rule.name, "capped" if limited else rule.method))
            price = after
        return price, steps

    def _apply_rules(self, context, index, facts, prices, line, quantity, base, steps) -> Decimal:
        candidates = index.candidates(facts, line.variant_id, quantity)
        if not candidates:
            return base
        running = self._stack(context, prices, facts, line, candidates, base, steps)
        return self._exclusive(context, prices, facts, line, candidates, base, running, steps)

    def _stack(self, context, prices, facts, line, candidates, base, steps) -> Decimal:
        """Stacked and capped rules in order, using the best reached tier of each ladder."""
        ladders: dict[tuple, dict] = {}
        for rule in candidates:
            if rule.combination in STACKING:
                ladders.setdefault(ladder_key(rule), {}).setdefault(rule.min_quantity, []).append(rule)
        running = base
        for ladder in ladders.values():
            tiers = [
                (rules, *self._run(context, prices, facts, line, rules, running, base)) for rules in ladder.values()
            ]
            best = min(tiers, key=lambda tier: tier[1])
            for rules, _after, tier_steps in tiers:
                if rules is best[0]:
                    steps.extend(tier_steps)
                else:
                    steps.extend(Step("skipped", running, running, r.pk, r.name, "tier") for r in rules)
            running = best[1]
        return running

    def _exclusive(self, context, prices, facts, line, candidates, base, running, steps) -> Decimal:
        """The best exclusive rule, applied alone to the base, replaces the stack only if strictly lower."""
        best_rule, best = None, None
        for rule in candidates:
            if rule.combination in STACKING:
                continue
            after = self._effect(context, prices, facts, line, rule, base)
            if after is not None and after < base and (best is None or after < best):
                best_rule, best = rule, after
        if best_rule is None:
            return running
        if best >= running:
            steps.append(Step("skipped", running, running, best_rule.pk, best_rule.name, "not_lower"))
            return running
        # The stack loses as a whole: its applied steps become "not applied" so the explanation's
        # arithmetic runs base → exclusive rule with nothing in between.
        steps[1:] = [
            s if s.kind == "skipped" else Step("skipped", s.before, s.before, s.rule_id, s.rule_name, "exclusive")
            for s in steps[1:]
        ]
        steps.append(Step("rule", base, best, best_rule.pk, best_rule.name, best_rule.method))
        return best
