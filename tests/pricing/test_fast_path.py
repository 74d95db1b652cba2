"""The engine prices a batch through a plan's shortened form and replays the full walk for the steps.

Both must agree on every price: generated rules of every method and combination, with volume
ladders (same audience, target, mode and priority at several minimum quantities), another price
type and caps, checked three ways — the batch price, the full walk without recording, and the
replayed steps.
"""

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from b2b_cabinet.models import DiscountRule
from b2b_cabinet.pricing.context import Assortment, BaseSource, PricingContext
from b2b_cabinet.pricing.data import PriceTable
from b2b_cabinet.pricing.engine import Batch, DefaultPricingStrategy, Plan
from b2b_cabinet.pricing.lines import LineRequest, ProductFacts
from b2b_cabinet.pricing.rates import RateBook
from b2b_cabinet.pricing.rules import CompiledRule, RuleIndex

PRODUCT = ProductFacts(1, "/1/2/", 7, None, Decimal(20), {})
DAY = datetime.date(2026, 11, 27)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)
percent = st.decimals(min_value=Decimal(-5), max_value=Decimal(100), places=3)
rule_spec = st.tuples(
    st.sampled_from(["percent", "percent", "fixed", "price_type"]), percent, money,
    st.sampled_from(["exclusive", "stacked", "capped"]), st.sampled_from([0, 5, 10, 50]), st.integers(0, 1),
    st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2),
)


def make_rule(pk, method, value, fixed, combination, min_quantity, priority, cap):
    # No audience and no target: rules with the same mode and priority form ladders of tiers.
    return DiscountRule(pk=pk, name=f"r{pk}", method=method, value=fixed if method == "fixed" else value,
                        combination=combination, min_quantity=Decimal(min_quantity), priority=priority,
                        cap_percent=cap if combination == "capped" else None,
                        price_type_id=2 if method == "price_type" else None)


@settings(max_examples=300, deadline=None)
@given(money, money, st.lists(rule_spec, max_size=10), st.integers(min_value=1, max_value=80).map(Decimal))
def test_the_shortened_plan_the_full_walk_and_the_steps_agree(base, other, specs, qty):
    rules = [make_rule(i + 1, *spec) for i, spec in enumerate(specs)]
    context = PricingContext(None, None, [BaseSource(1, "Дилерская", "contract", True)], "RUB",
                             RateBook(DAY, "RUB", None), DAY, None)
    prices = {(1, None, 1): (base, "RUB", Decimal(1)), (1, None, 2): (other, "RUB", Decimal(1))}
    strategy, index = DefaultPricingStrategy(), RuleIndex(rules)
    line = strategy.price_line(context, index, PRODUCT, prices, LineRequest(1, qty), Assortment([], []))
    candidates = index.candidates(PRODUCT, None, qty)
    batch = Batch(strategy, context, index, PriceTable.from_rows(prices, "RUB"), Assortment([], []))
    walked = strategy._apply(batch, 1, None, Plan(candidates), line.base_price, None) if candidates else base
    assert line.unit_price == walked
    price = line.base_price
    for step in line.steps[1:]:
        if step.kind != "skipped":
            assert step.before == price
            price = step.after
    assert price == line.unit_price
    assert [r.pk for r in candidates] == [r.pk for r in sorted(map(CompiledRule, rules), key=lambda r: r.order)
                                          if r.min_quantity <= qty]
