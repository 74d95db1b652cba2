"""The routable catalogue page serves categories, search and products from model rows."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(pages):
    root = f.category("Автоматы", slug="avtomaty")
    child = f.category("Модульные", slug="modulnye", parent=root)
    other = f.category("Кабель", slug="kabel")
    warehouse = f.warehouse("Склад Екатеринбург", city="Екатеринбург")
    breaker = f.product(name="Автоматический выключатель ВА47-29 16А", sku="MVA20-1-016-C", category=child,
                        barcode="4607036012345")
    f.stock(breaker, warehouse, on_hand=12, in_transit=500, expected_at="2026-12-04")
    cable = f.product(name="Кабель ВВГнг 3х2.5", sku="KAB-325", category=other)
    hidden = f.product(name="Снят с производства", sku="OLD-1", category=child, is_active=False)
    return {"root": root, "child": child, "breaker": breaker, "cable": cable, "hidden": hidden}


def test_catalogue_index_lists_root_categories_and_products(client, catalogue):
    response = client.get("/catalog/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Автоматы" in html and "Кабель" in html
    assert "MVA20-1-016-C" in html
    assert "Снят с производства" not in html


def test_category_page_shows_products_of_its_descendants_only(client, catalogue):
    html = client.get("/catalog/avtomaty/").content.decode()
    assert "MVA20-1-016-C" in html
    assert "KAB-325" not in html
    assert "Модульные" in html


def test_search_finds_by_sku_name_words_and_barcode(client, catalogue):
    for query in ("MVA20-1-016-C", "выключатель 16А", "4607036012345"):
        html = client.get("/catalog/", {"q": query}).content.decode()
        assert "MVA20-1-016-C" in html, query
        assert "KAB-325" not in html, query


def test_search_with_no_match_says_so(client, catalogue):
    html = client.get("/catalog/", {"q": "zzzz"}).content.decode()
    assert "zzzz" in html and "MVA20" not in html


def test_product_detail_shows_stock_and_goods_in_transit(client, catalogue):
    response = client.get(f"/catalog/product/{catalogue['breaker'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Склад Екатеринбург" in html
    assert "500" in html and "04.12.2026" in html


def test_unknown_or_inactive_product_is_404(client, catalogue):
    assert client.get("/catalog/product/999999/").status_code == 404
    assert client.get(f"/catalog/product/{catalogue['hidden'].pk}/").status_code == 404


def test_unknown_category_is_404(client, catalogue):
    assert client.get("/catalog/no-such-category/").status_code == 404


def test_listing_paginates(client, pages, settings):
    settings.B2B_CABINET = {"CATALOG_PAGE_SIZE": 2}
    for i in range(5):
        f.product(name=f"Item {i}")
    first = client.get("/catalog/").content.decode()
    third = client.get("/catalog/", {"page": 3}).content.decode()
    assert "Item 0" in first and "Item 2" not in first
    assert "Item 4" in third and "Item 0" not in third


def test_anonymous_visitors_see_price_on_request(client, catalogue):
    html = client.get("/catalog/").content.decode()
    assert "price on request" in html


def test_a_long_search_text_is_cut_to_the_form_limit(client, catalogue):
    from b2b_cabinet.catalogue import MAX_QUERY_LENGTH

    response = client.get("/catalog/", {"q": "KAB-325 " + "я" * 5000})
    assert response.status_code == 200
    assert response.context["listing"].query == ("KAB-325 " + "я" * 5000)[:MAX_QUERY_LENGTH]
    assert "я" * (MAX_QUERY_LENGTH + 1) not in response.content.decode()
