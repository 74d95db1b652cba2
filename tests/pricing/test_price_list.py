"""The personal price list in Excel: same prices as the engine, only what the company may see."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from b2b_cabinet import pricing
from b2b_cabinet.models import Region
from tests import factories as f


@pytest.fixture
def partner(client, shop, pages):
    client.force_login(f.member(shop.company, role="buyer", email="buyer@example.com"))
    return client


def sheet_rows(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_the_price_list_has_every_visible_product_at_the_engines_price(partner, shop):
    f.rule(company=shop.company, brand=shop.product.brand, value="10")
    warehouse = f.warehouse("Екатеринбург")
    f.stock(shop.product, warehouse, on_hand=12, reserved=2, in_transit=5,
            expected_at=datetime.date(2026, 12, 10))
    response = partner.get("/cabinet/price-list/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="price-list-')
    header, *body = sheet_rows(response)
    assert header[:7] == ["SKU", "Product", "Brand", "Category", "Unit", "Your price, RUB", "RRP, RUB"]
    assert header[7:] == ["Екатеринбург", "In transit", "Expected"]
    by_name = {row[1]: row for row in body}
    engine = pricing.price_products(pricing.context_for_company(shop.company), [shop.product, shop.other])
    assert Decimal(str(by_name["Кабель"][5])) == engine[shop.product.pk].unit_price == Decimal("900.00")
    assert Decimal(str(by_name["Щит"][5])) == engine[shop.other.pk].unit_price
    assert by_name["Кабель"][7] == 10 and by_name["Кабель"][8] == 5
    assert by_name["Кабель"][9].date().isoformat() == "2026-12-10"


def test_the_price_list_leaves_out_what_the_region_excludes(partner, shop):
    region = Region.objects.create(name="Урал")
    region.assortment_rules.create(mode="exclude", product=shop.other)
    shop.company.region = region
    shop.company.save()
    names = [row[1] for row in sheet_rows(partner.get("/cabinet/price-list/"))[1:]]
    assert names == ["Кабель"]


def test_the_price_list_needs_a_signed_in_partner(client, shop, pages):
    response = client.get("/cabinet/price-list/")
    assert response.status_code == 302 and "/cabinet/login/" in response["Location"]


def test_each_company_downloads_its_own_prices(client, shop, pages):
    other = f.company("Бета")
    f.contract(other, number="Д-2", price_type=shop.wholesale)
    client.force_login(f.member(other, email="b@example.com"))
    body = sheet_rows(client.get("/cabinet/price-list/"))[1:]
    assert {row[1]: row[5] for row in body}["Кабель"] == 1200


def test_the_price_list_adds_up_stock_rows_and_keeps_the_earliest_arrival(partner, shop):
    from b2b_cabinet.models import ProductVariant

    ekb, msk = f.warehouse("Екатеринбург"), f.warehouse("Москва")
    variant = ProductVariant.objects.create(product=shop.product, name="Кабель 100 м")
    f.stock(shop.product, ekb, on_hand=5, reserved=8)  # over-reserved: counts as 0, not −3
    f.stock(shop.product, ekb, on_hand=Decimal("2.5"), variant=variant, in_transit=4,
            expected_at=datetime.date(2026, 12, 20))
    f.stock(shop.product, msk, on_hand=1, in_transit=Decimal("3.25"), expected_at=datetime.date(2026, 12, 12))
    f.stock(shop.product, msk, on_hand=0, variant=variant, expected_at=datetime.date(2026, 12, 1))  # nothing coming
    header, *body = sheet_rows(partner.get("/cabinet/price-list/"))
    assert header[7:] == ["Екатеринбург", "Москва", "In transit", "Expected"]
    cable = {row[1]: row for row in body}["Кабель"]
    assert cable[7:9] == [2.5, 1]
    assert cable[9] == 7.25 and cable[10].date() == datetime.date(2026, 12, 12)
    shield = {row[1]: row for row in body}["Щит"]
    assert shield[7:9] == [0, 0] and [*shield, None, None][9:11] == [None, None]  # empty cells at the end


def test_the_price_list_of_a_region_that_includes_one_category_lists_only_it(partner, shop):
    region = Region.objects.create(name="Урал")
    region.assortment_rules.create(mode="include", category=shop.leaf)
    shop.company.region = region
    shop.company.save()
    names = [row[1] for row in sheet_rows(partner.get("/cabinet/price-list/"))[1:]]
    assert names == ["Кабель"]


def test_a_company_name_excel_rejects_as_a_sheet_name_still_downloads(partner, shop):
    shop.company.name = "Альфа/Бета: опт"
    shop.company.save()
    response = partner.get("/cabinet/price-list/")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert book.sheetnames == ["Альфа Бета  опт"]
