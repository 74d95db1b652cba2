"""Model constraints and small model behaviours."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from b2b_cabinet.exceptions import InvalidStatusTransition
from b2b_cabinet.models import Company, LegalEntity, Membership, Order, OrderStatus, Price, StockLevel
from tests import factories as f

pytestmark = pytest.mark.django_db


def integrity_error(fn):
    """Run ``fn`` in a savepoint and report whether the database refused it."""
    try:
        with transaction.atomic():
            fn()
    except IntegrityError:
        return True
    return False


def test_two_products_cannot_share_a_1c_id():
    f.product(external_id="guid-1")
    assert integrity_error(lambda: f.product(external_id="guid-1"))


def test_products_without_a_1c_id_may_coexist():
    f.product(external_id=None)
    f.product(external_id=None)


def test_stock_is_unique_per_product_and_warehouse_without_variant():
    product, warehouse = f.product(), f.warehouse()
    f.stock(product, warehouse)
    assert integrity_error(lambda: f.stock(product, warehouse))


def test_stock_of_two_variants_of_one_product_may_share_a_warehouse():
    product, warehouse = f.product(), f.warehouse()
    first = product.variants.create(name="38", external_id=f"{product.external_id}#a")
    second = product.variants.create(name="39", external_id=f"{product.external_id}#b")
    StockLevel.objects.create(product=product, variant=first, warehouse=warehouse, on_hand=1)
    StockLevel.objects.create(product=product, variant=second, warehouse=warehouse, on_hand=1)
    assert not integrity_error(lambda: StockLevel.objects.create(product=product, warehouse=warehouse))
    assert integrity_error(
        lambda: StockLevel.objects.create(product=product, variant=first, warehouse=warehouse)
    )


def test_reserved_stock_cannot_go_negative():
    product, warehouse = f.product(), f.warehouse()
    assert integrity_error(lambda: f.stock(product, warehouse, reserved=-1))


def test_available_stock_is_on_hand_minus_reserved_and_never_negative():
    level = StockLevel(on_hand=Decimal(5), reserved=Decimal(7))
    assert level.available == 0
    assert StockLevel(on_hand=Decimal(5), reserved=Decimal(2)).available == 3


def test_a_price_cannot_be_negative():
    assert integrity_error(lambda: f.price(f.product(), f.price_type(), value="-1"))


def test_a_product_has_one_price_per_price_type():
    product, price_type = f.product(), f.price_type()
    f.price(product, price_type)
    assert integrity_error(lambda: f.price(product, price_type, value="2"))
    assert Price.objects.count() == 1


def test_a_user_belongs_to_a_company_once():
    company = f.company()
    user = f.member(company)
    assert integrity_error(lambda: Membership.objects.create(user=user, company=company))


def test_inn_of_wrong_length_is_refused_by_the_database():
    company = f.company()
    assert integrity_error(lambda: LegalEntity.objects.create(company=company, name="X", inn="123"))


def test_inn_validator_explains_the_format():
    entity = LegalEntity(company=f.company(), name="X", inn="12345", kpp="1")
    with pytest.raises(ValidationError) as exc:
        entity.full_clean()
    assert "inn" in exc.value.message_dict and "kpp" in exc.value.message_dict


def test_contract_credit_limit_cannot_be_negative():
    company = f.company()
    assert integrity_error(lambda: f.contract(company, credit_limit=Decimal("-1")))


def test_contract_fixed_rate_must_be_positive_when_set():
    company = f.company()
    assert integrity_error(lambda: f.contract(company, fixed_rate=Decimal("0")))
    assert not integrity_error(lambda: f.contract(company, fixed_rate=Decimal("92.5")))


def test_order_numbers_are_unique():
    company = f.company()
    f.order(company, number="A-000001")
    assert integrity_error(lambda: f.order(company, number="A-000001"))


def test_order_line_quantity_must_be_positive():
    order = f.order(f.company())
    assert integrity_error(lambda: f.order_line(order, f.product(), quantity="0"))


def test_order_status_machine_allows_only_mapped_transitions():
    order = Order(status=OrderStatus.NEW)
    assert order.can_change_status(OrderStatus.CONFIRMED)
    assert not order.can_change_status(OrderStatus.COMPLETED)
    with pytest.raises(InvalidStatusTransition) as exc:
        order.check_transition(OrderStatus.COMPLETED)
    assert "new" in str(exc.value) and "completed" in str(exc.value)


def test_cancelled_and_completed_orders_are_final():
    for status in (OrderStatus.CANCELLED, OrderStatus.COMPLETED):
        assert not any(Order(status=status).can_change_status(target) for target in OrderStatus.values)


def test_category_path_covers_descendants_and_follows_a_move():
    root = f.category("Root")
    child = f.category("Child", parent=root)
    grandchild = f.category("Grandchild", parent=child)
    other = f.category("Other")
    assert set(root.get_descendants()) == {root, child, grandchild}
    assert grandchild.get_ancestors() == [root, child]

    child.parent = other
    child.save()

    grandchild.refresh_from_db()
    assert grandchild.path == f"/{other.pk}/{child.pk}/{grandchild.pk}/"
    assert set(other.get_descendants(include_self=False)) == {child, grandchild}


def test_company_for_user_lists_only_active_memberships_of_active_companies():
    active, inactive_company = f.company(), f.company(is_active=False)
    user = f.member(active)
    Membership.objects.create(user=user, company=inactive_company)
    revoked = f.company()
    Membership.objects.create(user=user, company=revoked, is_active=False)
    assert list(Company.objects.for_user(user)) == [active]


def test_default_contract_prefers_the_flagged_one():
    company = f.company()
    f.contract(company, number="B", is_default=False)
    flagged = f.contract(company, number="A", is_default=True)
    assert company.default_contract == flagged


def test_warehouse_is_closed_on_its_weekdays_and_dates():
    warehouse = f.warehouse(closed_weekdays=[6])
    warehouse.closed_days.create(date=datetime.date(2026, 12, 31))
    assert not warehouse.is_shipping_day(datetime.date(2026, 11, 29))  # a Sunday
    assert not warehouse.is_shipping_day(datetime.date(2026, 12, 31))
    assert warehouse.is_shipping_day(datetime.date(2026, 12, 30))
