"""What a batch reads: product facts with category paths from the per-process map, and prices.

Lines given as bare product ids make the engine read the facts itself; the category path then comes
from :func:`b2b_cabinet.pricing.categories.category_paths`, which must follow every way a path can
change (``Category.save``, the classifier import's bulk rebuild, a plain ``UPDATE``).
"""

from decimal import Decimal

from b2b_cabinet import pricing
from b2b_cabinet.models import Category, ProductVariant, Property, PropertyValue, Region
from b2b_cabinet.pricing.categories import category_paths
from b2b_cabinet.sync.classifier_load import rebuild_category_paths
from tests import factories as f

D = Decimal


def price_by_id(shop, product=None, qty="1"):
    context = pricing.context_for_company(shop.company)
    [line] = pricing.price_lines(context, [pricing.LineRequest((product or shop.product).pk, D(qty))])
    return line


def test_a_batch_by_ids_follows_a_category_moved_by_any_route(shop):
    plumbing = f.category("Сантехника")
    f.rule(company=shop.company, category=shop.root, value="10")
    assert price_by_id(shop).unit_price == D("900.00")  # Кабели is under Электрика

    shop.leaf.parent = plumbing
    shop.leaf.save()
    assert price_by_id(shop).unit_price == D("1000.00")

    # The 1C import: parent changed by UPDATE, paths rebuilt by bulk_update (updated_at untouched).
    Category.objects.filter(pk=shop.leaf.pk).update(parent=shop.root)
    rebuild_category_paths()
    assert price_by_id(shop).unit_price == D("900.00")

    Category.objects.filter(pk=shop.leaf.pk).update(path=f"{plumbing.path}{shop.leaf.pk}/")
    assert price_by_id(shop).unit_price == D("1000.00")


def test_the_category_map_is_parsed_again_only_when_a_path_changed(shop):
    first = category_paths()
    assert first[shop.leaf.pk] == f"/{shop.root.pk}/{shop.leaf.pk}/"
    assert category_paths() is first
    f.category("Новая", parent=shop.leaf)
    second = category_paths()
    assert second is not first and len(second) == len(first) + 1


def test_ids_products_and_facts_give_the_same_lines(shop):
    f.rule(company=shop.company, category=shop.root, value="10", combination="stacked")
    f.rule(company=shop.company, brand=shop.product.brand, value="5", combination="stacked", min_quantity=D(10))
    section = PropertyValue.objects.create(property=Property.objects.create(name="Сечение"), value="2.5")
    f.rule(company=shop.company, property_value=section, value="3", combination="stacked")
    context = pricing.context_for_company(shop.company)
    product = type(shop.product).objects.select_related("category").get(pk=shop.product.pk)
    lines = [pricing.LineRequest(shop.product.pk, D(12)), pricing.LineRequest(product, D(12)),
             pricing.LineRequest(shop.other.pk, D(1))]
    by_id, by_product, other = pricing.price_lines(context, lines)
    assert by_id.unit_price == by_product.unit_price == D("829.35")  # 1000 → 900 → 855 → 829.35
    assert by_id.steps == by_product.steps and by_id.explanation("ru") == by_product.explanation("ru")
    assert (other.base_source, other.unit_price) == ("default", D("270.00"))


def test_a_region_that_includes_only_one_category_hides_the_rest_from_a_batch_by_ids(shop):
    region = Region.objects.create(name="Урал")
    region.assortment_rules.create(mode="include", category=shop.leaf)
    shop.company.region = region
    shop.company.save()
    assert price_by_id(shop).available
    hidden = price_by_id(shop, shop.other)
    assert not hidden.available and "region" in hidden.reason


def test_a_variant_price_wins_over_its_products_and_a_pack_price_is_per_unit(shop):
    variant = ProductVariant.objects.create(product=shop.product, name="Кабель 100 м")
    f.price(shop.product, shop.dealer, "900.00", variant=variant)
    f.price(shop.other, shop.dealer, "600.00", unit_ratio=D(2))
    context = pricing.context_for_company(shop.company)
    own, plain, pack = pricing.price_lines(context, [
        pricing.LineRequest(shop.product.pk, D(1), variant.pk), pricing.LineRequest(shop.product.pk, D(1)),
        pricing.LineRequest(shop.other.pk, D(1))])
    assert (own.unit_price, plain.unit_price, pack.unit_price) == (D("900.00"), D("1000.00"), D("300.00"))
    assert pack.base_source == "contract"


def test_a_line_without_rules_still_explains_its_base(shop):
    line = price_by_id(shop)
    assert [s.kind for s in line.steps] == ["base"] and line.steps[0].after == D("1000.00")
    assert line.explanation("en")[0].startswith("Base price 1")


def test_prices_in_another_currency_or_per_pack_read_the_same_in_a_long_batch(shop, monkeypatch):
    import datetime

    f.rate("USD", "90.00", datetime.date(2020, 1, 1))
    f.price(shop.other, shop.dealer, "10.00", currency="USD", unit_ratio=D("4"))
    extra = [f.product(name=f"Пакет {i}", category=shop.leaf) for i in range(3)]
    for i, product in enumerate(extra):
        f.price(product, shop.dealer, f"{100 + i}.50", unit_ratio=D("0.5") if i == 1 else D(1))

    def lines():
        context = pricing.context_for_company(shop.company)
        ids = [shop.product.pk, shop.other.pk, *(p.pk for p in extra)]
        return [(line.unit_price, line.base_source, line.rrp) for line in
                pricing.price_lines(context, [pricing.LineRequest(i, D(1)) for i in ids])]

    short = lines()
    monkeypatch.setattr("b2b_cabinet.pricing.data.INLINE_IDS", 1)  # ids as one JSON parameter
    assert lines() == short
    assert short == [(D("1000.00"), "contract", D("1500.00")), (D("225.00"), "contract", None),
                     (D("100.50"), "contract", None), (D("203.00"), "contract", None),
                     (D("102.50"), "contract", None)]
