"""The cabinet catalogue: search, filters, stock of serving warehouses, personal prices, add to cart."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from b2b_cabinet.catalogue import RESULT_LIMIT, CatalogueFilter, list_products
from b2b_cabinet.models import CartLine
from b2b_cabinet.pricing import context_for_company
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = "/cabinet/catalogue/"


def skus(response) -> set[str]:
    html = response.content.decode()
    return {sku for sku in ("MVA20-1-016-C", "KAB-325", "ROZ-2") if f">{sku}<" in html}


@pytest.mark.parametrize("query", ["MVA20-1-016-C", "mva20", "выключатель 16А", "4607036012345"])
def test_search_finds_a_product_by_sku_prefix_name_words_or_barcode(buyer, query):
    assert skus(buyer.get(URL, {"q": query})) == {"MVA20-1-016-C"}


def test_category_filter_includes_subcategories(buyer, world):
    assert skus(buyer.get(URL, {"category": world.root.pk})) == {"MVA20-1-016-C"}


def test_brand_filter_keeps_only_that_brand(buyer, world):
    assert skus(buyer.get(URL, {"brand": world.iek.pk})) == {"MVA20-1-016-C"}


def test_in_stock_means_free_stock_in_a_warehouse_serving_the_buyer(buyer, world):
    # The cable lies only in Москва, which does not serve «Урал».
    assert skus(buyer.get(URL, {"in_stock": "on"})) == {"MVA20-1-016-C"}


def test_reserved_stock_does_not_count_as_in_stock(buyer, world):
    world.breaker.stock_levels.update(reserved=Decimal(12))
    assert skus(buyer.get(URL, {"in_stock": "on", "warehouse": world.ekb.pk})) == set()


def test_a_warehouse_that_does_not_serve_the_buyer_is_not_a_choice(buyer, world):
    response = buyer.get(URL, {"warehouse": world.msk.pk})
    # An invalid choice is ignored, not an error page; Москва is not offered.
    assert response.status_code == 200
    assert "Москва" not in response.content.decode()


def test_listing_shows_only_serving_warehouses_transit_with_eta_and_the_personal_price(buyer):
    html = buyer.get(URL, {"q": "MVA20"}).content.decode()
    assert "Екатеринбург" in html and "Москва" not in html
    assert "+500 in transit" in html and "04.12" in html
    assert "250,00 RUB" in html and "Why this price?" in html


def test_region_assortment_hides_products_everywhere(buyer, world):
    world.company.region.assortment_rules.create(mode="exclude", product=world.cable)
    assert "KAB-325" not in buyer.get(URL).content.decode()
    assert buyer.get(f"{URL}product/{world.cable.pk}/").status_code == 404


def test_product_page_shows_stock_price_and_an_add_to_cart_form(buyer, world):
    html = buyer.get(f"{URL}product/{world.breaker.pk}/").content.decode()
    assert "Екатеринбург" in html and "expected 04.12.2026" in html
    assert "250,00 RUB" in html and 'action="/cabinet/cart/add/"' in html


def test_a_viewer_sees_prices_but_no_add_to_cart(client, world):
    client.force_login(world.viewer)
    html = client.get(URL).content.decode()
    assert "250,00 RUB" in html and "/cabinet/cart/add/" not in html


def test_add_to_cart_without_javascript_puts_the_line_in_the_buyers_cart(buyer, world):
    response = buyer.post("/cabinet/cart/add/", {"product": world.breaker.pk, "quantity": "3",
                                                 "warehouse": world.ekb.pk, "next": f"{URL}?q=MVA"})
    assert response.status_code == 302 and response["Location"] == f"{URL}?q=MVA"
    line = CartLine.objects.get(cart__user=world.buyer)
    assert (line.product, line.quantity, line.warehouse) == (world.breaker, 3, world.ekb)


def test_add_to_cart_refuses_a_warehouse_not_serving_the_buyer(buyer, world):
    response = buyer.post("/cabinet/cart/add/", {"product": world.breaker.pk, "quantity": "1",
                                                 "warehouse": world.msk.pk}, follow=True)
    assert "does not serve your region" in response.content.decode() and not CartLine.objects.exists()


def test_add_to_cart_reports_a_quantity_off_the_pack_size(buyer, world):
    response = buyer.post("/cabinet/cart/add/", {"product": world.socket.pk, "quantity": "13"}, follow=True)
    assert "packs of 10" in response.content.decode() and not CartLine.objects.exists()


def test_add_to_cart_ignores_an_offsite_next_url(buyer, world):
    response = buyer.post("/cabinet/cart/add/", {"product": world.breaker.pk, "quantity": "1",
                                                 "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


def test_a_page_costs_the_same_number_of_queries_for_5_or_30_products(world, settings):
    settings.B2B_CABINET = {"CATALOG_PAGE_SIZE": 50}
    context = context_for_company(world.company)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            list_products(filters=CatalogueFilter(in_stock=False), context=context_for_company(world.company))
        return len(captured)

    queries()  # the first page also compiles the company's rules; later pages reuse them
    few = queries()
    for i in range(25):
        f.stock(f.product(name=f"Extra {i}"), world.ekb, on_hand=1)
    assert queries() == few
    assert context.warehouse_ids == {world.ekb.pk}


def test_the_count_stops_at_the_result_limit(world, monkeypatch):
    monkeypatch.setattr("b2b_cabinet.catalogue.RESULT_LIMIT", 2)
    listing = list_products(filters=CatalogueFilter(), context=context_for_company(world.company), page_size=1)
    assert listing.page.paginator.count == 2 and listing.truncated
    assert RESULT_LIMIT == 1000


def test_a_short_first_page_is_its_own_count_so_the_table_is_scanned_once(world):
    with CaptureQueriesContext(connection) as captured:
        listing = list_products(filters=CatalogueFilter(query="выключатель"),
                                context=context_for_company(world.company))
    assert listing.page.paginator.count == 1
    assert not any("__count" in q["sql"] for q in captured)  # Django's paginator count query


def test_a_whole_sku_in_any_case_shows_just_that_product(buyer, world):
    f.product(name="Похожий MVA20-1-016-C-EXTRA", sku="MVA20-1-016-C-EXTRA")
    assert skus(buyer.get(URL, {"q": "mva20-1-016-c"})) == {"MVA20-1-016-C"}
