"""The cabinet's cart, checkout, orders and lists pages, through the test client."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from b2b_cabinet import ordering
from b2b_cabinet.models import Notification, Order, OrderStatus, SavedList
from tests import factories as f

from .conftest import checkout_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(client, pages, alpha):
    client.force_login(alpha[1])
    return client


def test_a_buyer_adds_a_product_from_the_catalogue_and_sees_the_total(buyer, shop):
    product = shop["products"]["IEK-1"]
    response = buyer.post("/cabinet/cart/add/", {"product": product.pk, "quantity": "3",
                                                 "warehouse": shop["ekb"].pk, "next": "/catalog/"})
    assert response.status_code == 302 and response["Location"] == "/catalog/"
    page = buyer.get("/cabinet/cart/").content.decode()
    assert "IEK-1" in page and "300,00" in page


def test_a_wrong_quantity_comes_back_as_a_message_not_an_error_page(buyer, shop):
    product = f.product(unit_ratio=Decimal(6))
    response = buyer.post("/cabinet/cart/add/", {"product": product.pk, "quantity": "4"}, follow=True)
    assert response.status_code == 200 and "minimum order quantity is 6" in response.content.decode()
    assert not ordering.get_cart(response.wsgi_request.user, product_company(response)).lines.exists()


def product_company(response):
    return response.wsgi_request.company


def test_an_offsite_next_is_ignored(buyer, shop):
    product = shop["products"]["IEK-1"]
    response = buyer.post("/cabinet/cart/add/", {"product": product.pk, "quantity": "1",
                                                 "next": "https://evil.example/"})
    assert response["Location"] == "/cabinet/cart/"


def test_quantity_and_warehouse_are_changed_without_javascript(buyer, alpha, shop):
    cart = ordering.get_cart(alpha[1], alpha[0])
    line = ordering.add_to_cart(cart, shop["products"]["IEK-1"], Decimal(1), warehouse=shop["ekb"])
    buyer.post(f"/cabinet/cart/lines/{line.pk}/", {"quantity": "4", "warehouse": shop["msk"].pk})
    line.refresh_from_db()
    assert line.quantity == 4 and line.warehouse == shop["msk"]
    buyer.post(f"/cabinet/cart/lines/{line.pk}/remove/")
    assert not cart.lines.exists()


def test_checkout_places_the_order_and_shows_its_parts(buyer, alpha, shop, filled_cart):
    page = buyer.get("/cabinet/checkout/").content.decode()
    assert "ship_date" in page and "Earliest ship date" in page
    form = buyer.get("/cabinet/checkout/").context["form"]
    date = form.options.dates[0]
    response = buyer.post("/cabinet/checkout/", {
        "legal_entity": alpha[0].legal_entities.first().pk, "delivery_method": "pickup",
        "pickup_warehouse": shop["ekb"].pk, "ship_date": date.isoformat(), "po_number": "PO-1"})
    order = Order.objects.get(company=alpha[0])
    assert response.status_code == 302 and response["Location"] == f"/cabinet/orders/{order.pk}/"
    detail = buyer.get(response["Location"]).content.decode()
    assert f"{order.number}/1" in detail and f"{order.number}/3" in detail and "PO-1" in detail


def test_a_date_outside_the_calendar_is_refused(buyer, alpha, shop, filled_cart):
    response = buyer.post("/cabinet/checkout/", {
        "legal_entity": alpha[0].legal_entities.first().pk, "delivery_method": "pickup",
        "pickup_warehouse": shop["ekb"].pk, "ship_date": "2020-01-01"})
    assert response.status_code == 400 and not Order.objects.exists()


def test_the_order_list_filters_by_status_and_text(buyer, alpha):
    f.order(alpha[0], number="A-100001", po_number="ZAKAZ-77")
    f.order(alpha[0], number="A-100002", status=OrderStatus.CANCELLED)
    page = buyer.get("/cabinet/orders/", {"status": "cancelled"}).content.decode()
    assert "A-100002" in page and "A-100001" not in page
    page = buyer.get("/cabinet/orders/", {"q": "zakaz-77"}).content.decode()
    assert "A-100001" in page and "A-100002" not in page
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "A-100001" not in buyer.get("/cabinet/orders/", {"date_from": tomorrow}).content.decode()


def test_cancel_and_repeat_from_the_order_page(buyer, alpha, shop, filled_cart):
    order = _placed(filled_cart, alpha, shop)
    buyer.post(f"/cabinet/orders/{order.pk}/cancel/")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    buyer.post(f"/cabinet/orders/{order.pk}/repeat/")
    assert ordering.get_cart(alpha[1], alpha[0]).lines.count() == 3


def _placed(cart, alpha, shop):
    from b2b_cabinet import pricing

    options = ordering.checkout_options(cart, pricing.context_for_company(alpha[0]))
    return ordering.place_order(cart, checkout_request(alpha[0], shop, ship_date=options.dates[0]), actor=alpha[1])


def test_another_companys_order_is_not_found(client, pages, beta, alpha):
    order = f.order(alpha[0])
    client.force_login(beta[1])
    assert client.get(f"/cabinet/orders/{order.pk}/").status_code == 404
    assert client.post(f"/cabinet/orders/{order.pk}/cancel/").status_code == 404


def test_a_list_is_created_from_the_cart_and_put_back(buyer, alpha, shop):
    cart = ordering.get_cart(alpha[1], alpha[0])
    ordering.add_to_cart(cart, shop["products"]["IEK-1"], Decimal(2))
    buyer.post("/cabinet/lists/", {"name": "Еженедельный", "from_cart": "1"})
    saved = SavedList.objects.get(name="Еженедельный")
    ordering.clear_cart(cart)
    buyer.post(f"/cabinet/lists/{saved.pk}/to-cart/")
    assert cart.lines.get().quantity == 2


def test_favourites_are_toggled_from_a_product(buyer, alpha, shop):
    product = shop["products"]["IEK-1"]
    buyer.post("/cabinet/lists/favourite/", {"product": product.pk})
    assert ordering.favourites(alpha[1], alpha[0]).lines.filter(product=product).exists()
    assert buyer.post("/cabinet/lists/favourite/", {"product": "x"}).status_code == 404


def test_the_header_shows_the_unread_count_and_the_list_marks_them_read(buyer, alpha):
    Notification.objects.create(user=alpha[1], company=alpha[0], message="Заказ A-1 оформлен.")
    page = buyer.get("/cabinet/").content.decode()
    assert 'class="badge"' in page
    assert "A-1" in buyer.get("/cabinet/notifications/").content.decode()
    buyer.post("/cabinet/notifications/")
    assert 'class="badge"' not in buyer.get("/cabinet/").content.decode()


def test_a_viewer_sees_orders_but_no_cancel_or_repeat_buttons(client, pages, alpha):
    viewer = f.member(alpha[0], role="viewer")
    order = f.order(alpha[0])
    client.force_login(viewer)
    page = client.get(f"/cabinet/orders/{order.pk}/").content.decode()
    assert order.number in page and "/cancel/" not in page and "/repeat/" not in page


def test_the_cart_page_prices_the_whole_cart_in_one_engine_call(buyer, filled_cart, monkeypatch):
    from b2b_cabinet import pricing

    calls = []
    real = pricing.price_lines
    monkeypatch.setattr(pricing, "price_lines", lambda context, lines: calls.append(len(lines)) or real(context, lines))
    assert buyer.get("/cabinet/cart/").status_code == 200
    assert calls == [3]
