"""Which discount rules reach a line, and in which order they are considered.

Rules are indexed once per context by their target, so finding a line's candidates is a few dict
lookups whatever the number of rules.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from b2b_cabinet.models import DiscountRule

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


def order_key(rule: DiscountRule) -> tuple:
    """Higher priority first; then the more specific audience, the more specific target, deeper
    categories before their parents, and finally the older rule (lower pk)."""
    depth = rule.category.path.count("/") if rule.category_id else 0
    return (-rule.priority, WHO_RANK[who_of(rule)], WHAT_RANK[what_of(rule)], -depth, rule.pk)


def ladder_key(rule: DiscountRule) -> tuple:
    """Rules with the same audience, target, mode and priority are volume tiers of one ladder."""
    return (who_of(rule), getattr(rule, f"{who_of(rule)}_id", None), what_of(rule),
            getattr(rule, f"{what_of(rule)}_id", None), rule.combination, rule.priority)


class RuleIndex:
    """The context's rules grouped by target for quick candidate lookup."""

    def __init__(self, rules: list[DiscountRule]):
        self.everything: list[DiscountRule] = []
        self.by: dict[str, dict] = defaultdict(lambda: defaultdict(list))
        for rule in sorted(rules, key=order_key):
            what = what_of(rule)
            if what == "all":
                self.everything.append(rule)
            elif what == "property_value":
                pv = rule.property_value
                self.by[what][(pv.property.name, pv.value)].append(rule)
            else:
                self.by[what][getattr(rule, f"{what}_id")].append(rule)
        self.by = {k: dict(v) for k, v in self.by.items()}
        self.uses_properties = "property_value" in self.by
        self.empty = not rules

    def candidates(self, facts, variant_id: int | None, quantity: Decimal) -> list[DiscountRule]:
        """Rules that target this product and whose minimum quantity ``quantity`` reaches, in order."""
        if self.empty:
            return []
        found = list(self.everything)
        by = self.by
        if variant_id is not None and "variant" in by:
            found += by["variant"].get(variant_id, ())
        if "product" in by:
            found += by["product"].get(facts.id, ())
        if "category" in by and facts.category_path:
            cats = by["category"]
            for part in facts.category_path.strip("/").split("/"):
                found += cats.get(int(part), ())
        if "brand" in by and facts.brand_id is not None:
            found += by["brand"].get(facts.brand_id, ())
        if "producer" in by and facts.producer_id is not None:
            found += by["producer"].get(facts.producer_id, ())
        if self.uses_properties and facts.properties:
            props = by["property_value"]
            for name, value in facts.properties.items():
                for one in value if isinstance(value, list) else (value,):
                    if isinstance(one, str):
                        found += props.get((name, one), ())
        found = [r for r in found if r.min_quantity <= quantity]
        if len(found) > 1:
            found.sort(key=order_key)
        return found
