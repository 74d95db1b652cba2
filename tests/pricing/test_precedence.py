"""Table-driven precedence tests for the default pricing strategy (docs/pricing.md, "Order")."""

import datetime
from decimal import Decimal

import pytest

from b2b_cabinet import pricing
from b2b_cabinet.models import CompanyGroup, DiscountRule, PropertyValue, Region
from tests import factories as f

D = Decimal
EXCL, STACK, CAP = "exclusive", "stacked", "capped"


def price_of(shop, qty="1", product=None, variant_id=None, on=None):
    context = pricing.context_for_company(shop.company, on=on)
    [line] = pricing.price_lines(context, [pricing.LineRequest(product or shop.product, D(qty), variant_id)])
    return line


def test_base_price_comes_from_the_contract_price_type(shop):
    line = price_of(shop)
    assert (line.base_price, line.base_source, line.unit_price) == (D("1000.00"), "contract", D("1000.00"))


def test_a_product_missing_from_the_contract_type_falls_back_to_the_default_type(shop):
    line = price_of(shop, product=shop.other)
    assert (line.base_price, line.base_source, line.base_price_type) == (D("300.00"), "default", "Оптовая")


def test_the_region_price_type_comes_between_contract_and_default(shop):
    shop.company.region = Region.objects.create(name="Урал", price_type=shop.rrp)
    shop.company.save()
    line = price_of(shop, product=shop.other)  # no dealer price → region's RRP? none → default
    assert line.base_source == "default"
    shop.contract.price_type = None
    shop.contract.save()
    shop.company.refresh_from_db()
    assert (price_of(shop).base_source, price_of(shop).unit_price) == ("region", D("1500.00"))


def test_a_product_with_no_price_anywhere_is_price_on_request(shop):
    line = price_of(shop, product=f.product(name="Без цены"))
    assert not line.available and line.unit_price is None and "No price" in line.reason


# (rules as (combination, method, value, extra), quantity, expected unit price)
CASES = [
    ("no rules", [], "1", "1000.00"),
    ("percent", [(EXCL, "percent", "10", {})], "1", "900.00"),
    ("exclusive: best of two wins", [(EXCL, "percent", "5", {}), (EXCL, "percent", "12", {})], "1", "880.00"),
    ("exclusive fixed price", [(EXCL, "fixed", "850", {})], "1", "850.00"),
    ("fixed price above base never raises", [(EXCL, "fixed", "1100", {})], "1", "1000.00"),
    ("another price type, lower", [(EXCL, "price_type", "0", {"price_type": "wholesale"})], "1", "1000.00"),
    ("stacked in order: 10% then 5%", [(STACK, "percent", "10", {"priority": 2}),
                                        (STACK, "percent", "5", {"priority": 1})], "1", "855.00"),
    ("stack beats a weaker exclusive", [(STACK, "percent", "10", {}), (STACK, "percent", "5", {}),
                                        (EXCL, "percent", "12", {})], "1", "855.00"),
    ("exclusive beats a weaker stack", [(STACK, "percent", "5", {}), (EXCL, "percent", "12", {})], "1", "880.00"),
    ("capped rule stops at its cap", [(STACK, "percent", "10", {"priority": 1}),
                                      (CAP, "percent", "10", {"cap_percent": D("12")})], "1", "880.00"),
    ("capped rule past its cap is skipped", [(STACK, "percent", "15", {"priority": 1}),
                                             (CAP, "percent", "10", {"cap_percent": D("12")})], "1", "850.00"),
    ("tier below minimum is ignored", [(EXCL, "percent", "10", {"min_quantity": D("10")})], "9", "1000.00"),
    ("tier reached", [(EXCL, "percent", "10", {"min_quantity": D("10")})], "10", "900.00"),
    ("stacked ladder uses the best reached tier only", [(STACK, "percent", "5", {"min_quantity": D("1")}),
                                                        (STACK, "percent", "8", {"min_quantity": D("10")})],
     "10", "920.00"),
    ("rounding half-up to kopecks", [(EXCL, "percent", "33.333", {})], "1", "666.67"),
]


@pytest.mark.parametrize(("label", "rules", "qty", "expected"), CASES, ids=[c[0] for c in CASES])
def test_precedence_table(shop, label, rules, qty, expected):
    for combination, method, value, extra in rules:
        extra = dict(extra)
        if "price_type" in extra:
            extra["price_type"] = getattr(shop, extra["price_type"])
        f.rule(company=shop.company, combination=combination, method=method, value=value, **extra)
    assert price_of(shop, qty).unit_price == D(expected)


@pytest.mark.parametrize(
    ("target", "applies"),
    [("product", True), ("category_leaf", True), ("category_root", True), ("brand", True),
     ("property", True), ("other_product", False), ("other_category", False)],
)
def test_rule_targets(shop, target, applies):
    other_cat = f.category("Другое")
    pv = PropertyValue.objects.create(property=_property("Сечение"), value="2.5")
    targets = {
        "product": {"product": shop.product}, "category_leaf": {"category": shop.leaf},
        "category_root": {"category": shop.root}, "brand": {"brand": shop.product.brand},
        "property": {"property_value": pv}, "other_product": {"product": shop.other},
        "other_category": {"category": other_cat},
    }
    f.rule(company=shop.company, method="percent", value="10", **targets[target])
    assert price_of(shop).unit_price == (D("900.00") if applies else D("1000.00"))


def _property(name):
    from b2b_cabinet.models import Property

    return Property.objects.create(name=name)


@pytest.mark.parametrize("who", ["company", "group", "region", "everyone", "other_company"])
def test_rule_audiences(shop, who):
    other = f.company("Бета")
    region = Region.objects.create(name="Урал")
    shop.company.region = region
    shop.company.save()
    group = CompanyGroup.objects.create(name="Дилеры")
    group.companies.add(shop.company)
    audience = {"company": {"company": shop.company}, "group": {"company_group": group},
                "region": {"region": region}, "everyone": {}, "other_company": {"company": other}}[who]
    f.rule(method="percent", value="10", **audience)
    assert price_of(shop).unit_price == (D("1000.00") if who == "other_company" else D("900.00"))


def test_rules_outside_their_dates_or_inactive_do_not_apply(shop):
    today = datetime.date(2026, 11, 27)
    f.rule(company=shop.company, value="10", valid_until=today - datetime.timedelta(days=1))
    f.rule(company=shop.company, value="20", valid_from=today + datetime.timedelta(days=1))
    f.rule(company=shop.company, value="30", is_active=False)
    assert price_of(shop, on=today).unit_price == D("1000.00")
    assert price_of(shop, on=today + datetime.timedelta(days=1)).unit_price == D("800.00")


def test_a_fixed_contract_rate_converts_the_base_price(shop):
    shop.contract.currency, shop.contract.fixed_rate = "USD", D("92.5")
    shop.contract.save()
    f.rate("USD", "100", datetime.date(2026, 1, 1))
    line = price_of(shop, on=datetime.date(2026, 11, 27))
    assert (line.currency, line.base_price, line.rate, line.rate_source) == ("USD", D("10.81"), D("92.5"), "contract")


def test_without_a_fixed_rate_the_latest_daily_rate_is_used(shop):
    shop.contract.currency = "USD"
    shop.contract.save()
    f.rate("USD", "90", datetime.date(2026, 11, 1))
    f.rate("USD", "80", datetime.date(2026, 11, 20))
    f.rate("USD", "10", datetime.date(2026, 12, 1))  # future: ignored
    line = price_of(shop, on=datetime.date(2026, 11, 27))
    assert (line.base_price, line.rate_source) == (D("12.50"), "daily")


def test_a_missing_rate_makes_the_line_unavailable_with_the_reason(shop):
    shop.contract.currency = "EUR"
    shop.contract.save()
    line = price_of(shop)
    assert not line.available and "EUR" in line.reason


def test_a_fixed_price_rule_in_roubles_is_converted_for_a_dollar_contract(shop):
    shop.contract.currency, shop.contract.fixed_rate = "USD", D("100")
    shop.contract.save()
    f.rule(company=shop.company, method="fixed", value="500", currency="RUB")
    assert price_of(shop).unit_price == D("5.00")


def test_line_totals_vat_and_rrp_margin(shop):
    line = price_of(shop, "3")
    assert line.total == D("3000.00")
    assert line.vat_amount == D("500.00")  # 3000 × 20/120, VAT included
    assert (line.rrp, line.margin, line.markup_percent) == (D("1500.00"), D("500.00"), D("50.0"))


def test_vat_is_added_when_the_price_type_excludes_it(shop):
    shop.dealer.vat_included = False
    shop.dealer.save()
    assert price_of(shop, "2").vat_amount == D("400.00")


def test_a_variant_price_wins_over_the_product_price(shop):
    variant = shop.product.variants.create(name="Кабель 100 м", external_id="v1")
    f.price(shop.product, shop.dealer, "2000.00", variant=variant)
    assert price_of(shop, variant_id=variant.pk).unit_price == D("2000.00")
    f.rule(company=shop.company, variant=variant, value="50")
    assert price_of(shop, variant_id=variant.pk).unit_price == D("1000.00")
    assert price_of(shop).unit_price == D("1000.00")


def test_unit_coefficient_gives_the_price_of_one_unit(shop):
    thing = f.product(name="Саморезы")
    f.price(thing, shop.dealer, "250.00", unit_ratio=D("100"))
    assert price_of(shop, product=thing).unit_price == D("2.50")


def test_a_region_assortment_hides_a_product_from_pricing(shop):
    region = Region.objects.create(name="Урал")
    region.assortment_rules.create(mode="exclude", brand=shop.product.brand)
    shop.company.region = region
    shop.company.save()
    line = price_of(shop)
    assert not line.available and "region" in line.reason


def test_the_strategy_is_pluggable(shop, settings):
    settings.B2B_CABINET = {"PRICING_STRATEGY": "tests.pricing.test_precedence.HalfPrice"}
    assert price_of(shop).unit_price == D("500.00")


def test_a_bad_strategy_path_is_a_configuration_error(shop, settings):
    from b2b_cabinet.exceptions import ConfigurationError

    settings.B2B_CABINET = {"PRICING_STRATEGY": "tests.nowhere.Strategy"}
    with pytest.raises(ConfigurationError, match="cannot be imported"):
        price_of(shop)


class HalfPrice(pricing.DefaultPricingStrategy):
    """A strategy that halves whatever the default computes (for the pluggability test)."""

    def price(self, context, lines):
        out = super().price(context, lines)
        for line in out:
            line.unit_price = line.unit_price / 2
        return out


def test_the_model_rejects_two_audiences_or_two_targets(shop):
    from django.core.exceptions import ValidationError

    rule = DiscountRule(name="x", company=shop.company, region=Region.objects.create(name="R"),
                        product=shop.product, brand=shop.product.brand)
    with pytest.raises(ValidationError) as info:
        rule.clean()
    assert set(info.value.message_dict) == {"company", "product"}


def test_compiled_rules_are_reused_until_a_rule_or_a_group_membership_changes(shop, django_assert_num_queries):
    rule = f.rule(company=shop.company, value="10")
    assert price_of(shop).unit_price == D("900.00")
    context = pricing.context_for_company(shop.company)
    with django_assert_num_queries(1):  # the version query only: the compiled rules come from the cache
        assert context.rule_index.rules == [rule]
    rule.value = D("20")
    rule.save()
    assert price_of(shop).unit_price == D("800.00")
    group = CompanyGroup.objects.create(name="Дилеры")
    f.rule(company_group=group, value="30")
    assert price_of(shop).unit_price == D("800.00")
    group.companies.add(shop.company)
    assert price_of(shop).unit_price == D("700.00")
    rule.delete()
    assert price_of(shop).unit_price == D("700.00")
    group.companies.remove(shop.company)
    assert price_of(shop).unit_price == D("1000.00")


def test_moving_a_category_reorders_the_cached_rules_of_its_new_ancestors(shop):
    """Deeper category rules apply first; the order compiled into the per-process cache must follow a move."""
    first, second = f.category("Щиты"), f.category("Боксы")
    boxed = f.product(name="Бокс", category=second, vat_rate=D("20"))
    f.price(boxed, shop.dealer, "1000.00")
    f.rule(company=shop.company, category=first, combination=STACK, method="fixed", value="850")
    f.rule(company=shop.company, category=second, combination=STACK, method="percent", value="10")
    assert price_of(shop, product=boxed).unit_price == D("900.00")  # only «Боксы» applies
    second.parent = first
    second.save()
    # «Боксы» now lies inside «Щиты» and goes first: 10 % off 1000, then the fixed 850. The other
    # order (the fixed price first, then 10 %) would give 765.
    assert price_of(shop, product=boxed).unit_price == D("850.00")
