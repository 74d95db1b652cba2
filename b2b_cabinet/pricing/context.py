"""Who is buying, on which terms: everything the engine needs that does not depend on the lines.

A context is built once per request (or per export) and then prices any number of batches; the
rules, assortment and rates it loads are cached on it.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import Company, CompanyGroup, Contract, DiscountRule, PriceType, RegionAssortmentRule

from .categories import paths_sql, paths_version
from .rates import RateBook
from .rules import RuleIndex


@dataclass(frozen=True)
class BaseSource:
    """One link of the price-type chain: the price type and why it is in the chain."""

    price_type_id: int
    name: str
    reason: str  # "contract", "region", "default" or "guest"
    vat_included: bool


@dataclass
class PricingContext:
    """The buyer's terms: price-type chain, currency and rate, date, rules and assortment.

    Build it with :func:`context_for_company` or :func:`guest_context`, not directly.
    """

    company: Company | None
    contract: Contract | None
    chain: list[BaseSource]
    currency: str
    rates: RateBook
    on: datetime.date
    rrp_type_id: int | None
    use_rules: bool = True

    @property
    def is_guest(self) -> bool:
        """True for anonymous visitors (no company, no rules)."""
        return self.company is None

    @property
    def region_id(self) -> int | None:
        return self.company.region_id if self.company else None

    @cached_property
    def rules(self) -> list[DiscountRule]:
        """Rules in force on the date that address this company, its groups, its region or everyone."""
        return self.rule_index.rules

    def _load_rules(self) -> list[DiscountRule]:
        if not self.use_rules or self.company is None:
            return []
        groups = CompanyGroup.companies.through.objects.filter(company_id=self.company.pk).values("companygroup_id")
        who = (
            Q(company_id=self.company.pk)
            | Q(company_group_id__in=groups)
            | Q(company__isnull=True, company_group__isnull=True, region__isnull=True)
        )
        if self.company.region_id:
            who |= Q(region_id=self.company.region_id)
        return list(
            DiscountRule.objects.in_force(self.on)
            .filter(who)
            .select_related("category", "property_value__property", "price_type")
        )

    @cached_property
    def rule_index(self) -> RuleIndex:
        """The company's rules compiled and indexed, shared by every request with the same key.

        Loading and compiling a thousand rules costs more than pricing a page, so compiled indexes
        are kept per process (:data:`rule_cache`) under the company, its region, the date and the
        rules' version — one cheap query (:func:`rules_version`) instead of reading every rule.
        """
        if not self.use_rules or self.company is None:
            return RuleIndex([])
        key = (self.company.pk, self.company.region_id, self.on, rules_version())
        index = rule_cache.get(key)
        if index is None:
            index = rule_cache.put(key, RuleIndex(self._load_rules()))
        return index

    @cached_property
    def assortment(self) -> Assortment:
        """The region's assortment rules (all products when there are none)."""
        if self.company is None or self.company.region_id is None:
            return Assortment([], [])
        rules = list(RegionAssortmentRule.objects.filter(region_id=self.company.region_id).select_related("category"))
        return Assortment(
            [r for r in rules if r.mode == RegionAssortmentRule.Mode.INCLUDE],
            [r for r in rules if r.mode == RegionAssortmentRule.Mode.EXCLUDE],
        )

    @cached_property
    def warehouse_ids(self) -> frozenset[int] | None:
        """Warehouses serving the company's region; ``None`` means every warehouse."""
        if self.company is None or self.company.region_id is None:
            return None
        ids = frozenset(self.company.region.warehouses.values_list("pk", flat=True))
        return ids or None

    def serves(self, warehouse_id: int) -> bool:
        """Whether stock in this warehouse is offered to the buyer."""
        ids = self.warehouse_ids
        return ids is None or warehouse_id in ids

    @property
    def price_type_ids(self) -> list[int]:
        """Every price type the engine may read: the chain, the RRP and the rules' price types."""
        ids = [s.price_type_id for s in self.chain]
        if self.rrp_type_id:
            ids.append(self.rrp_type_id)
        ids.extend(r.price_type_id for r in self.rules if r.price_type_id)
        return list(dict.fromkeys(ids))


def rules_version() -> tuple:
    """What changes whenever a company's applicable rules, or their order, can change, read in one query.

    Rules: their count and latest ``updated_at`` (an edit, an addition or a deletion moves one of
    them). Group memberships: the count and highest id of the membership rows (adding a company to
    a group creates a row with a new id, removing one lowers the count). Category paths (see
    :func:`~b2b_cabinet.pricing.categories.paths_version`): category rules go deepest first, and a
    category moved under another changes which is deeper.
    """
    rules = DiscountRule._meta.db_table
    members = CompanyGroup.companies.through._meta.db_table
    sql = (f"SELECT (SELECT COUNT(*) FROM {rules}), (SELECT MAX(updated_at) FROM {rules}), "
           f"(SELECT COUNT(*) FROM {members}), (SELECT MAX(id) FROM {members}), ({paths_sql()})")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        *version, paths = cursor.fetchone()
    return (*version, paths_version(paths))


class RuleCache:
    """A small per-process LRU of compiled rule indexes (keys include the rules' version)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            index = self._items.get(key)
            if index is not None:
                self._items.move_to_end(key)
            return index

    def put(self, key, index):
        with self._lock:
            self._items[key] = index
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return index

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


rule_cache = RuleCache()


class Assortment:
    """Region assortment: includes whitelist (when any exist), excludes then remove."""

    def __init__(self, includes, excludes):
        self.includes = includes
        self.excludes = excludes

    @property
    def is_restricted(self) -> bool:
        return bool(self.includes or self.excludes)

    @staticmethod
    def _q(rules) -> Q:
        q = Q(pk__in=[])
        for rule in rules:
            if rule.category_id:
                q |= Q(category__path__startswith=rule.category.path)
            elif rule.brand_id:
                q |= Q(brand_id=rule.brand_id)
            else:
                q |= Q(pk=rule.product_id)
        return q

    def filter(self, products):
        """``products`` (a Product queryset) narrowed to what the region may see."""
        if self.includes:
            products = products.filter(self._q(self.includes))
        if self.excludes:
            products = products.exclude(self._q(self.excludes))
        return products

    @staticmethod
    def _matches(rule, product_id, category_path, brand_id) -> bool:
        if rule.category_id:
            return bool(category_path) and category_path.startswith(rule.category.path)
        if rule.brand_id:
            return rule.brand_id == brand_id
        return rule.product_id == product_id

    def allows(self, product_id: int, category_path: str | None, brand_id: int | None) -> bool:
        """The same decision as :meth:`filter`, for one product already in memory."""
        if self.includes and not any(self._matches(r, product_id, category_path, brand_id) for r in self.includes):
            return False
        return not any(self._matches(r, product_id, category_path, brand_id) for r in self.excludes)


def _default_and_rrp() -> tuple[PriceType | None, int | None]:
    """The default price type and the RRP type's id, in one query."""
    default = rrp = None
    for price_type in PriceType.objects.filter(Q(is_default=True) | Q(is_rrp=True), is_active=True).order_by("pk"):
        if price_type.is_default and default is None:
            default = price_type
        if price_type.is_rrp and rrp is None:
            rrp = price_type.pk
    return default, rrp


def context_for_company(
    company: Company, contract: Contract | None = None, on: datetime.date | None = None
) -> PricingContext:
    """The pricing context of a company under a contract (its default contract when not given).

    Price-type chain: the contract's price type, then the region's, then the default one. A product
    with no price in the first type is priced from the next (the explanation says so).
    """
    on = on or timezone.localdate()
    if contract is None:
        contract = company.default_contract
    candidates = []
    if contract and contract.price_type_id:
        candidates.append((contract.price_type, "contract"))
    if company.region_id and company.region.price_type_id:
        candidates.append((company.region.price_type, "region"))
    default, rrp_type_id = _default_and_rrp()
    if default:
        candidates.append((default, "default"))
    chain, seen = [], set()
    for price_type, reason in candidates:
        if price_type.pk not in seen and price_type.is_active:
            seen.add(price_type.pk)
            chain.append(BaseSource(price_type.pk, price_type.name, reason, price_type.vat_included))
    currency = contract.currency if contract else b2b_settings.DEFAULT_CURRENCY
    rates = RateBook(on, currency, contract.fixed_rate if contract else None)
    return PricingContext(company, contract, chain, currency, rates, on, rrp_type_id)


def guest_context(on: datetime.date | None = None) -> PricingContext:
    """What anonymous visitors see: the configured guest price type, or no price ("price on request")."""
    on = on or timezone.localdate()
    chain = []
    wanted = b2b_settings.GUEST_PRICE_TYPE
    if wanted:
        price_type = (
            PriceType.objects.filter(is_active=True).filter(Q(external_id=wanted) | Q(name=wanted)).first()
        )
        if price_type:
            chain.append(BaseSource(price_type.pk, price_type.name, "guest", price_type.vat_included))
    base = b2b_settings.DEFAULT_CURRENCY
    return PricingContext(None, None, chain, base, RateBook(on, base, None), on, None, use_rules=False)
