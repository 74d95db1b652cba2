"""Property-based tests (hypothesis) for the engine's invariants; no database needed.

Rules are unsaved ``DiscountRule`` instances and the context prices in the base currency, so the
engine runs exactly as in production minus the queries.
"""

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from b2b_cabinet.models import DiscountRule
from b2b_cabinet.pricing.context import Assortment, BaseSource, PricingContext
from b2b_cabinet.pricing.engine import DefaultPricingStrategy
from b2b_cabinet.pricing.lines import LineRequest, ProductFacts
from b2b_cabinet.pricing.money import kopecks, percent_off
from b2b_cabinet.pricing.rates import RateBook
from b2b_cabinet.pricing.rules import RuleIndex

PRODUCT = ProductFacts(1, "/1/2/", 7, None, Decimal(20), {})
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)
percent = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=3)
quantity = st.integers(min_value=1, max_value=500).map(Decimal)


def make_rule(pk, method, value, combination, min_quantity=0, priority=0, cap=None, target=None):
    rule = DiscountRule(pk=pk, name=f"r{pk}", method=method, value=value, combination=combination,
                        min_quantity=Decimal(min_quantity), priority=priority, cap_percent=cap)
    if target == "product":
        rule.product_id = 1
    elif target == "brand":
        rule.brand_id = 7
    return rule


rule_strategy = st.builds(
    lambda method, value, fixed, combination, min_q, priority, cap, target: (
        method, fixed if method == "fixed" else value, combination, min_q, priority,
        cap if combination == "capped" else None, target),
    st.sampled_from(["percent", "fixed"]), percent, money, st.sampled_from(["exclusive", "stacked", "capped"]),
    st.integers(min_value=0, max_value=200), st.integers(min_value=-3, max_value=3), percent,
    st.sampled_from([None, "product", "brand"]),
)


def run(base, specs, qty=Decimal(1)):
    rules = [make_rule(i + 1, *spec) for i, spec in enumerate(specs)]
    context = PricingContext(None, None, [BaseSource(1, "Дилерская", "contract", True)], "RUB",
                             RateBook(datetime.date(2026, 11, 27), "RUB", None), datetime.date(2026, 11, 27), None)
    prices = {(1, None, 1): (base, "RUB", Decimal(1))}
    line = DefaultPricingStrategy().price_line(context, RuleIndex(rules), PRODUCT, prices,
                                              LineRequest(1, qty), Assortment([], []))
    return line


@settings(max_examples=150, deadline=None)
@given(money, st.lists(rule_strategy, max_size=8), quantity)
def test_a_price_is_never_negative_and_never_above_the_base(base, specs, qty):
    line = run(base, specs, qty)
    assert Decimal(0) <= line.unit_price <= line.base_price
    assert line.total == kopecks(line.unit_price * qty)


@settings(max_examples=150, deadline=None)
@given(money, st.lists(st.tuples(st.sampled_from(["percent", "fixed"]), percent, money), min_size=1, max_size=6))
def test_exclusive_rules_pick_the_best_price(base, specs):
    rules = [(m, fixed if m == "fixed" else value, "exclusive") for m, value, fixed in specs]
    effects = [percent_off(base, v) if m == "percent" else kopecks(v) for m, v, _ in rules]
    assert run(base, rules).unit_price == min([base, *effects])


@settings(max_examples=150, deadline=None)
@given(money, st.lists(st.tuples(percent, st.integers(min_value=-5, max_value=5)), min_size=1, max_size=6))
def test_stacked_rules_apply_in_documented_order(base, specs):
    # Distinct priorities (so no two rules form a ladder): higher priority first, then lower pk.
    rules = [("percent", value, "stacked", 0, priority * 10 + i) for i, (value, priority) in enumerate(specs)]
    expected = base
    for _m, value, _c, _q, _p in sorted(rules, key=lambda r: -r[4]):
        expected = min(expected, percent_off(expected, value))
    line = run(base, rules)
    assert line.unit_price == expected
    applied = [s for s in line.steps if s.kind == "rule"]
    assert [s.before for s in applied[1:]] == [s.after for s in applied[:-1]]


@settings(max_examples=150, deadline=None)
@given(money, st.lists(rule_strategy, max_size=8), quantity, quantity)
def test_a_larger_quantity_never_costs_more_per_unit(base, specs, q1, q2):
    small, large = sorted((q1, q2))
    assert run(base, specs, large).unit_price <= run(base, specs, small).unit_price


@settings(max_examples=100, deadline=None)
@given(money, st.lists(rule_strategy, max_size=8), quantity)
def test_the_steps_reproduce_the_final_price(base, specs, qty):
    line = run(base, specs, qty)
    price = line.base_price
    for step in line.steps[1:]:
        if step.kind != "skipped":
            assert step.before == price
            price = step.after
    assert price == line.unit_price
