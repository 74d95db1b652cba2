"""Which discount rules reach a line, and in which order they are considered.

Rules are compiled once per context into small slot objects (model attribute access is slow in a
loop over thousands of lines) and indexed by target, so finding a line's candidates is a few dict
lookups whatever the number of rules.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal
from operator import attrgetter

from b2b_cabinet.models import DiscountRule

from .money import HUNDRED

# Lower rank = more specific; used to order rules that share a priority (docs/pricing.md, "Order").
WHO_RANK = {"company": 0, "company_group": 1, "region": 2, "everyone": 3}
WHAT_RANK = {"variant": 0, "product": 1, "property_value": 2, "category": 3, "brand": 4, "producer": 5, "all": 6}


def who_of(rule: DiscountRule) -> str:
    """Which audience field the rule uses (``everyone`` when none)."""
    for name in DiscountRule.WHO_FIELDS:
        if getattr(rule, f"{name}_id") is not None:
            return name
    return "everyone"


def what_of(rule: DiscountRule) -> str:
    """Which target field the rule uses (``all`` when none)."""
    for name in DiscountRule.WHAT_FIELDS:
        if getattr(rule, f"{name}_id") is not None:
            return name
    return "all"


class CompiledRule:
    """What the engine needs of a rule, precomputed.

    ``order``: higher priority first; then the more specific audience, the more specific target,
    deeper categories before their parents, and finally the older rule (lower pk).
    ``ladder``: rules with the same audience, target, mode and priority form one ladder of volume tiers.
    """

    __slots__ = (
        "cap_factor",
        "cap_percent",
        "capped",
        "currency",
        "factor",
        "ladder",
        "method",
        "min_quantity",
        "name",
        "order",
        "pk",
        "price_type_id",
        "stacking",
        "target",
        "value",
        "what",
    )

    def __init__(self, rule: DiscountRule):
        who, what = who_of(rule), what_of(rule)
        depth = rule.category.path.count("/") if rule.category_id else 0
        who_id = getattr(rule, f"{who}_id", None)
        self.target = getattr(rule, f"{what}_id", None)
        self.pk, self.name, self.what = rule.pk, rule.name, what
        self.order = (-rule.priority, WHO_RANK[who], WHAT_RANK[what], -depth, rule.pk or 0)
        self.ladder = (who, who_id, what, self.target, rule.combination, rule.priority)
        self.stacking = rule.combination != DiscountRule.Combination.EXCLUSIVE
        self.capped = rule.combination == DiscountRule.Combination.CAPPED
        self.method, self.value, self.currency = rule.method, rule.value, rule.currency
        # (100 − p) / 100 is exact in Decimal, so multiplying by it equals "less p per cent".
        self.factor = (HUNDRED - rule.value) / HUNDRED if rule.method == DiscountRule.Method.PERCENT else None
        self.price_type_id, self.cap_percent = rule.price_type_id, rule.cap_percent
        self.cap_factor = (HUNDRED - rule.cap_percent) / HUNDRED if self.capped else None
        self.min_quantity = rule.min_quantity if rule.min_quantity is not None else Decimal(0)


BY_ORDER = attrgetter("order")


class Reach:
    """The rules that target one kind of product (same slice, same own rules), in order.

    A quantity selects those whose minimum it reaches; lines whose quantities reach the same
    thresholds get the same candidates, so the engine keeps one plan per ``level`` in :attr:`plans`.
    """

    __slots__ = ("plans", "rules", "thresholds")

    def __init__(self, rules: list[CompiledRule]):
        self.rules = rules
        self.thresholds = sorted({rule.min_quantity for rule in rules})
        self.plans: dict = {}

    def level(self, quantity: Decimal) -> int:
        """How many of the rules' distinct minimum quantities ``quantity`` reaches (0: none applies)."""
        return bisect_right(self.thresholds, quantity)

    def at(self, level: int) -> list[CompiledRule]:
        """The candidates at a level: the rules whose minimum quantity is among the first ``level``."""
        if level == 0:
            return []
        threshold = self.thresholds[level - 1]
        return [rule for rule in self.rules if rule.min_quantity <= threshold]


# Kinds of product remembered per index (a catalogue has a few thousand; this only bounds memory).
REACH_MEMO = 50_000


class RuleIndex:
    """The context's rules grouped by target for quick candidate lookup."""

    def __init__(self, rules: list[DiscountRule]):
        self.rules = list(rules)
        compiled = sorted((CompiledRule(r) for r in rules), key=BY_ORDER)
        self.everything: list[CompiledRule] = []
        by: dict[str, dict] = defaultdict(lambda: defaultdict(list))
        values = {r.pk: r for r in rules if r.property_value_id}
        for rule in compiled:
            if rule.what == "all":
                self.everything.append(rule)
            elif rule.what == "property_value":
                pv = values[rule.pk].property_value
                by[rule.what][(pv.property.name, pv.value)].append(rule)
            else:
                by[rule.what][rule.target].append(rule)
        self.by = {k: dict(v) for k, v in by.items()}
        self.uses_properties = "property_value" in self.by
        self.property_names = sorted({name for name, _value in self.by.get("property_value", ())})
        self.empty = not compiled
        self._shared: dict[tuple, list[CompiledRule]] = {}
        self._reach: dict[tuple, Reach | None] = {}

    def candidates(self, facts, variant_id: int | None, quantity: Decimal) -> list[CompiledRule]:
        """Rules that target this product and whose minimum quantity ``quantity`` reaches, in order."""
        reach = self.reach(facts, variant_id)
        return [] if reach is None else reach.at(reach.level(quantity))

    def reach(self, facts, variant_id: int | None) -> Reach | None:
        """Every rule that targets this product (or variant) whatever the quantity; None if none does.

        Memoised per kind of product: its slice (category, brand, producer) and the lists of rules
        on its own id, variant and property values.
        """
        if self.empty:
            return None
        by = self.by
        own = []
        if variant_id is not None and "variant" in by:
            found = by["variant"].get(variant_id)
            if found:
                own.append(found)
        if "product" in by:
            found = by["product"].get(facts.id)
            if found:
                own.append(found)
        properties = facts.properties
        if properties and self.uses_properties:
            props = by["property_value"]
            for name in self.property_names:
                value = properties.get(name)
                if value is None:
                    continue
                for one in value if isinstance(value, list) else (value,):
                    if isinstance(one, str):
                        found = props.get((name, one))
                        if found:
                            own.append(found)
        key = (facts.category_path, facts.brand_id, facts.producer_id, *map(id, own))
        try:
            return self._reach[key]
        except KeyError:
            pass
        found = self._by_slice(facts)
        if own:
            found = sorted([*found, *(rule for rules in own for rule in rules)], key=BY_ORDER)
        if len(self._reach) >= REACH_MEMO:
            self._reach.clear()
        self._reach[key] = reach = Reach(found) if found else None
        return reach

    def _by_slice(self, facts) -> list[CompiledRule]:
        """Everything, category, brand and producer rules for the product's slice, memoised per slice
        (products of one category, brand and producer share them)."""
        key = (facts.category_path, facts.brand_id, facts.producer_id)
        found = self._shared.get(key)
        if found is not None:
            return found
        by = self.by
        found = list(self.everything)
        if "category" in by and facts.category_path:
            cats = by["category"]
            for part in facts.category_path.strip("/").split("/"):
                found += cats.get(int(part), ())
        if "brand" in by and facts.brand_id is not None:
            found += by["brand"].get(facts.brand_id, ())
        if "producer" in by and facts.producer_id is not None:
            found += by["producer"].get(facts.producer_id, ())
        found.sort(key=BY_ORDER)
        self._shared[key] = found
        return found
