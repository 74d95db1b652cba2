"""place_order: validation, the split into parts by (warehouse, producer), numbers, reservation, audit."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings

from b2b_cabinet import ordering, pricing
from b2b_cabinet.audit import Actor
from b2b_cabinet.exceptions import CheckoutError, CreditLimitExceeded, OutOfStockError
from b2b_cabinet.models import (
    AuditAction,
    CabinetAuditEvent,
    DeliveryMethod,
    Notification,
    OrderEvent,
    StockLevel,
)
from tests import factories as f

from .conftest import MORNING, checkout_request

pytestmark = pytest.mark.django_db


def place(cart, shop, actor=None, **extra):
    return ordering.place_order(cart, checkout_request(cart.company, shop, **extra), actor=actor or cart.user,
                                now=MORNING)


def test_an_order_is_split_into_parts_by_warehouse_and_producer(filled_cart, shop):
    order = place(filled_cart, shop)
    parts = list(order.parts.order_by("index"))
    assert [(p.warehouse.name, p.producer.name) for p in parts] == [
        ("Екатеринбург", "EKF"), ("Екатеринбург", "IEK"), ("Москва", "EKF")]
    assert [p.number for p in parts] == [f"{order.number}/1", f"{order.number}/2", f"{order.number}/3"]
    assert order.number.startswith("A-") and len(order.number) == 8


def test_each_part_goes_to_its_producers_exchange_node(filled_cart, shop):
    order = place(filled_cart, shop)
    assert {p.producer.name: p.exchange_node for p in order.parts.all()} == {
        "IEK": shop["nodes"]["IEK"], "EKF": shop["nodes"]["EKF"]}


def test_totals_come_from_the_pricing_engine_per_part_and_order(filled_cart, shop):
    order = place(filled_cart, shop)
    assert order.total == Decimal("1200.00")  # 2×100 + 1×250 + 3×250
    assert sum(p.total for p in order.parts.all()) == order.total
    assert order.lines.count() == 3 and not filled_cart.lines.exists()


def test_placing_reserves_stock_in_each_warehouse(filled_cart, shop):
    place(filled_cart, shop)
    ekf = shop["products"]["EKF-1"]
    assert StockLevel.objects.get(product=ekf, warehouse=shop["msk"]).reserved == 3
    assert StockLevel.objects.get(product=ekf, warehouse=shop["ekb"]).reserved == 1


def test_not_enough_stock_refuses_the_whole_order_and_reserves_nothing(alpha, shop):
    company, owner = alpha
    cart = ordering.get_cart(owner, company)
    ordering.add_to_cart(cart, shop["products"]["IEK-1"], Decimal(5), warehouse=shop["msk"])
    ordering.add_to_cart(cart, shop["products"]["EKF-1"], Decimal(11), warehouse=shop["ekb"])
    with pytest.raises(OutOfStockError, match="10"):
        place(cart, shop)
    assert not StockLevel.objects.filter(reserved__gt=0).exists()
    assert not company.orders.exists() and cart.lines.count() == 2


@override_settings(B2B_CABINET={"RESERVE_STOCK": False})
def test_with_reservation_off_orders_beyond_stock_are_accepted(alpha, shop):
    company, owner = alpha
    cart = ordering.get_cart(owner, company)
    ordering.add_to_cart(cart, shop["products"]["EKF-1"], Decimal(50), warehouse=shop["ekb"])
    order = place(cart, shop)
    assert not order.parts.get().reserved and not StockLevel.objects.filter(reserved__gt=0).exists()


def test_a_line_without_warehouse_ships_from_the_first_one_with_enough_stock(alpha, shop):
    company, owner = alpha
    cart = ordering.get_cart(owner, company)
    ordering.add_to_cart(cart, shop["products"]["IEK-1"], Decimal(20))
    order = place(cart, shop)
    assert order.parts.get().warehouse == shop["msk"]  # Екатеринбург has only 10


def test_the_order_keeps_checkout_choices_and_its_first_event(filled_cart, shop):
    order = place(filled_cart, shop, comment=" позвонить ")
    assert order.po_number == "PO-7" and order.comment == "позвонить" and order.pickup_warehouse == shop["ekb"]
    assert order.parts.first().ship_date == datetime.date(2026, 12, 2)
    event = OrderEvent.objects.get(order=order)
    assert (event.from_status, event.to_status, event.source) == ("", "new", "partner")


def test_a_foreign_legal_entity_is_refused(filled_cart, shop, beta):
    other = f.legal_entity(beta[0])
    with pytest.raises(CheckoutError):
        place(filled_cart, shop, legal_entity=other)


def test_a_closed_ship_date_is_refused(filled_cart, shop):
    with pytest.raises(CheckoutError, match=r"06\.12\.2026"):
        place(filled_cart, shop, ship_date=datetime.date(2026, 12, 6))  # Sunday


def test_delivery_needs_an_address(filled_cart, shop):
    with pytest.raises(CheckoutError):
        place(filled_cart, shop, delivery_method=DeliveryMethod.DELIVERY, delivery_address=" ")
    order = place(filled_cart, shop, delivery_method=DeliveryMethod.DELIVERY, delivery_address="Екатеринбург, Ленина 1")
    assert order.pickup_warehouse is None and order.delivery_address


def test_an_unpriced_line_blocks_checkout_with_the_reason(alpha, shop):
    company, owner = alpha
    cart = ordering.get_cart(owner, company)
    ordering.add_to_cart(cart, f.product(sku="NOPRICE"), Decimal(1))
    with pytest.raises(CheckoutError, match="NOPRICE"):
        place(cart, shop)


def test_an_empty_cart_cannot_be_placed(alpha, shop):
    company, owner = alpha
    with pytest.raises(CheckoutError):
        place(ordering.get_cart(owner, company), shop)


def test_placing_on_behalf_is_audited_as_such(filled_cart, shop):
    manager = f.user(is_staff=True)
    order = place(filled_cart, shop, actor=Actor(user=manager, on_behalf=True))
    audit = CabinetAuditEvent.objects.get(action=AuditAction.ORDER_PLACED)
    assert audit.on_behalf and audit.object_repr == order.number and order.placed_on_behalf
    assert OrderEvent.objects.get(order=order).source == "staff"


def test_placing_notifies_owner_in_the_cabinet_and_by_email(filled_cart, shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(filled_cart, shop)
    assert Notification.objects.filter(user=filled_cart.user, order=order).count() == 1
    assert len(mail.outbox) == 1 and order.number in mail.outbox[0].subject


@override_settings(B2B_CABINET={"CREDIT_POLICY": "block"})
def test_the_block_credit_policy_refuses_orders_over_the_limit(filled_cart, shop):
    contract = filled_cart.company.default_contract
    contract.credit_limit = Decimal("1000.00")
    contract.save()
    with pytest.raises(CreditLimitExceeded):
        place(filled_cart, shop)


@override_settings(B2B_CABINET={"CREDIT_POLICY": "warn"})
def test_the_warn_credit_policy_places_the_order_with_a_warning(filled_cart, shop):
    contract = filled_cart.company.default_contract
    contract.credit_limit = Decimal("1000.00")
    contract.save()
    order = place(filled_cart, shop)
    assert order.pk and order.credit.warning


def test_credit_policy_off_ignores_the_limit(filled_cart, shop):
    contract = filled_cart.company.default_contract
    contract.credit_limit = Decimal("1.00")
    contract.save()
    assert not place(filled_cart, shop).credit.warning


def test_order_numbers_come_from_a_counter_and_increase(filled_cart, shop):
    first = ordering.next_order_number()
    second = ordering.next_order_number()
    assert int(second[2:]) == int(first[2:]) + 1


@override_settings(B2B_CABINET={"RESERVE_STOCK": False})
def test_a_line_waiting_for_goods_in_transit_ships_after_they_arrive(alpha, shop):
    company, owner = alpha
    product = shop["products"]["IEK-1"]
    StockLevel.objects.filter(product=product, warehouse=shop["ekb"]).update(
        in_transit=50, expected_at=datetime.date(2026, 12, 9))
    cart = ordering.get_cart(owner, company)
    line = ordering.add_to_cart(cart, product, Decimal(30), warehouse=shop["ekb"])
    options = ordering.checkout_options(cart, pricing.context_for_company(company), now=MORNING)
    assert options.line_dates[line.pk] == datetime.date(2026, 12, 9)
    assert options.dates[0] == datetime.date(2026, 12, 9)
    with pytest.raises(CheckoutError):
        place(cart, shop, ship_date=datetime.date(2026, 12, 3))
