"""On PostgreSQL, parallel checkouts never oversell the last units, never deadlock, never share a number."""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from b2b_cabinet import ordering, pricing
from b2b_cabinet.exceptions import OutOfStockError
from b2b_cabinet.models import DeliveryMethod, Order, StockLevel
from tests import factories as f

from .test_accounts_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and real concurrency)")


def buyers_with_carts(count, lines):
    """``count`` buyers of one company, each with the same ``lines`` [(product, warehouse, qty)] in the cart."""
    company = f.company("Альфа")
    entity = f.legal_entity(company)
    f.contract(company)
    carts = []
    for _ in range(count):
        cart = ordering.get_cart(f.member(company, role="buyer"), company)
        for product, warehouse, quantity in lines:
            ordering.add_to_cart(cart, product, Decimal(quantity), warehouse=warehouse)
        carts.append(cart)
    options = ordering.checkout_options(carts[0], pricing.context_for_company(company))
    request = ordering.CheckoutRequest(legal_entity=entity, ship_date=options.dates[0],
                                       delivery_method=DeliveryMethod.DELIVERY, delivery_address="Ленина, 1")
    return carts, request


def priced_product(price_type):
    product = f.product()
    f.price(product, price_type, "10.00")
    return product


def test_parallel_checkouts_on_the_last_units_never_oversell():
    price_type = f.price_type(is_default=True)
    warehouse = f.warehouse()
    product = priced_product(price_type)
    f.stock(product, warehouse, on_hand=5)
    carts, request = buyers_with_carts(6, [(product, warehouse, 2)])
    results = run_together(*(lambda c=cart: ordering.place_order(c, request, actor=c.user) for cart in carts))
    placed = [r for r in results if isinstance(r, Order)]
    assert len(placed) == 2, results
    assert all(isinstance(r, (Order, OutOfStockError)) for r in results), results
    level = StockLevel.objects.get(product=product, warehouse=warehouse)
    assert level.reserved == 4 and level.reserved <= level.on_hand


def test_checkouts_locking_the_same_rows_in_opposite_cart_order_do_not_deadlock():
    price_type = f.price_type(is_default=True)
    warehouse = f.warehouse()
    a, b = priced_product(price_type), priced_product(price_type)
    for product in (a, b):
        f.stock(product, warehouse, on_hand=100)
    carts_ab, request = buyers_with_carts(3, [(a, warehouse, 1), (b, warehouse, 1)])
    carts_ba, _ = buyers_with_carts(3, [(b, warehouse, 1), (a, warehouse, 1)])
    results = run_together(*(lambda c=cart: ordering.place_order(c, request if c in carts_ab else
                                                                 _same_request(c, request), actor=c.user)
                             for cart in carts_ab + carts_ba))
    assert all(isinstance(r, Order) for r in results), results
    assert set(StockLevel.objects.values_list("reserved", flat=True)) == {Decimal(6)}


def _same_request(cart, request):
    entity = cart.company.legal_entities.first()
    return ordering.CheckoutRequest(legal_entity=entity, ship_date=request.ship_date,
                                    delivery_method=request.delivery_method, delivery_address="Ленина, 1")


def test_order_numbers_are_unique_under_concurrency():
    def take():
        with transaction.atomic():
            return ordering.next_order_number()

    ordering.next_order_number()  # the counter row exists; the race is on the increment
    numbers = run_together(*(take for _ in range(8)))
    assert all(isinstance(n, str) for n in numbers), numbers
    assert len(set(numbers)) == 8


def test_the_first_orders_racing_to_create_the_counter_still_get_distinct_numbers():
    def take():
        with transaction.atomic():
            return ordering.next_order_number(prefix="Z-")

    numbers = run_together(*(take for _ in range(6)))
    assert all(isinstance(n, str) for n in numbers), numbers
    assert len(set(numbers)) == 6
