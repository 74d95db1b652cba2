"""The buyer's journey in a real browser: sign in → search → add to cart → paste a quick order →
checkout with a ship date → the order appears with its parts (one per warehouse). The browser asks for Russian, as the
partners' browsers do, so the assertions read the Russian translation. Screenshots of the screens go to docs/img/.
"""

import os
from decimal import Decimal

import pytest

from b2b_cabinet.models import CartLine, Order, Region
from tests import factories as f

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(transactional_db):
    pages = f.site_pages()
    company = f.company("ООО «Альфа»")
    dealer = f.price_type("Дилерская")
    rrp = f.price_type("РРЦ", is_rrp=True)
    f.contract(company, number="Д-1/2026", price_type=dealer)
    f.legal_entity(company, name="ООО «Альфа-Трейд»", inn="6671234560", kpp="667101001")
    ekb = f.warehouse("Екатеринбург", city="Екатеринбург")
    msk = f.warehouse("Москва", city="Москва")
    region = Region.objects.create(name="Урал")
    region.warehouses.add(ekb, msk)
    company.region = region
    company.save()
    iek = f.brand("IEK", slug="iek")
    root = f.category("Автоматические выключатели", slug="avtomaty")
    f.rule(name="Скидка IEK для Альфы", company=company, brand=iek, value="5")
    for i, amps in enumerate((6, 10, 16, 25, 32, 40)):
        product = f.product(name=f"Автомат ВА47-29 1P {amps}А характеристика C", sku=f"MVA20-1-0{amps:02d}-C",
                            brand=iek, category=root, barcode=f"46070360{i:05d}", vat_rate=Decimal(20))
        f.price(product, dealer, f"{180 + amps * 3}.00")
        f.price(product, rrp, f"{260 + amps * 4}.00")
        f.stock(product, ekb, on_hand=12 + i, in_transit=500 if amps == 16 else 0,
                expected_at="2026-12-04" if amps == 16 else None)
        f.stock(product, msk, on_hand=3400 - i * 20)
    cable = f.product(name="Кабель ВВГнг-LS 3х2,5", sku="KAB-325", category=root, unit_ratio=Decimal(10))
    f.price(cable, dealer, "95.00")
    f.stock(cable, msk, on_hand=1000)
    buyer = f.member(company, role="buyer", email="irina@alfa.example", first_name="Ирина")
    return {"pages": pages, "buyer": buyer, "ekb": ekb, "msk": msk, "company": company}


def shot(page, name):
    """Refresh docs/img/<name> when B2B_SCREENSHOTS=1 (CI leaves the committed pictures alone)."""
    if not os.environ.get("B2B_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_a_buyer_signs_in_searches_adds_to_cart_and_pastes_a_quick_order(live_server, page, shop):
    # Sign in with email and password.
    page.goto(f"{live_server.url}/cabinet/login/")
    page.fill("input[name=username]", "irina@alfa.example")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/cabinet/")

    # Search the catalogue: own price with "why", stock per warehouse, goods in transit.
    page.locator("a", has_text="Каталог").first.click()
    page.fill("input[name=q]", "автомат 16")
    page.click("form.search button[type=submit]")
    row = page.locator("table.products tbody tr", has_text="MVA20-1-016-C")
    assert row.count() == 1
    assert "+500" in row.inner_text() and "04.12" in row.inner_text()
    row.locator("summary").click()
    assert "Скидка IEK для Альфы" in row.inner_text()
    page.fill("input[name=q]", "")
    page.click("form.search button[type=submit]")
    page.locator("summary").first.click()
    shot(page, "cabinet-catalogue.png")

    # Add to cart from the results, choosing the warehouse.
    page.fill("input[name=q]", "MVA20-1-016")
    page.click("form.search button[type=submit]")
    row = page.locator("table.products tbody tr", has_text="MVA20-1-016-C")
    row.locator("input[name=quantity]").fill("12")
    row.locator("select[name=warehouse]").select_option(label="Екатеринбург")
    row.locator("button", has_text="В корзину").click()
    assert page.locator(".messages").inner_text().strip().endswith("в корзине 12.")
    line = CartLine.objects.get(cart__user=shop["buyer"])
    assert (line.product.sku, line.quantity, line.warehouse) == ("MVA20-1-016-C", 12, shop["ekb"])

    # Product page.
    page.locator("table.products a", has_text="16А").click()
    page.wait_for_url("**/catalogue/product/**")
    assert "ожидается 04.12.2026" in page.content()
    shot(page, "cabinet-product.png")

    # Paste a quick order as copied from Excel: a header, a pack-size line, a typo.
    page.locator("a", has_text="Быстрый заказ").first.click()
    page.fill("textarea[name=text]",
              "Артикул\tКоличество\nMVA20-1-025-C\t20\nMVA20-1-032-C\t1 000\nKAB-325\t15\nMVA20-1-O40-C\t5")
    page.select_option("select[name=warehouse]", value=str(shop["msk"].pk))
    page.click("form.quick-order button[type=submit]")
    report = page.locator(".quick-result").inner_text()
    assert "3 строки добавлены в корзину" in report
    assert "Округлено вверх с 15 до 20" in report
    assert "MVA20-1-040-C" in report  # the suggestion for the typo (letter O for zero)
    assert page.locator("textarea[name=text]").input_value() == "MVA20-1-O40-C\t5"
    shot(page, "cabinet-quick-order.png")
    cart = {(c.product.sku, c.quantity) for c in CartLine.objects.filter(cart__user=shop["buyer"])}
    assert cart == {("MVA20-1-016-C", 12), ("MVA20-1-025-C", 20), ("MVA20-1-032-C", 1000), ("KAB-325", 20)}

    # The quick-order lines ship from Москва, the first line from Екатеринбург: the order splits.
    page.goto(f"{live_server.url}/cabinet/cart/")
    shot(page, "cabinet-cart.png")
    page.goto(f"{live_server.url}/cabinet/checkout/")
    page.locator("td.open input[name=ship_date]").first.check()
    page.select_option("select[name=pickup_warehouse]", value=str(shop["ekb"].pk))
    page.fill("input[name=po_number]", "PO-77")
    shot(page, "cabinet-checkout.png")
    page.locator("form.checkout button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator(".errors, .errorlist, .messages").all_inner_texts()
    assert "/cabinet/orders/" in page.url, errors
    order = Order.objects.get(company=shop["company"])
    parts = list(order.parts.order_by("number"))
    assert order.po_number == "PO-77" and len(parts) == 2
    html = page.content()
    assert order.number in html and all(part.number in html for part in parts)
    assert not CartLine.objects.filter(cart__user=shop["buyer"]).exists()
    shot(page, "cabinet-order.png")
