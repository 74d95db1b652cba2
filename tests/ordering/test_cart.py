"""The cart use-cases: persistent per user and company, merging lines, quantity rules, pricing."""

from decimal import Decimal

import pytest

from b2b_cabinet import ordering, pricing
from b2b_cabinet.exceptions import B2BCabinetError, OrderingError, QuantityError
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_cart_is_created_on_first_use_and_found_again(alpha):
    company, owner = alpha
    cart = ordering.get_cart(owner, company)
    assert ordering.get_cart(owner, company).pk == cart.pk


def test_the_same_user_has_a_separate_cart_for_each_company(alpha, beta):
    company, owner = alpha
    other = beta[0]
    f.Membership.objects.create(user=owner, company=other, role="buyer")
    assert ordering.get_cart(owner, company).pk != ordering.get_cart(owner, other).pk


def test_adding_the_same_product_and_warehouse_twice_merges_the_lines(alpha):
    company, owner = alpha
    product, warehouse = f.product(), f.warehouse()
    cart = ordering.get_cart(owner, company)
    ordering.add_to_cart(cart, product, Decimal(2), warehouse=warehouse)
    line = ordering.add_to_cart(cart, product, Decimal(3), warehouse=warehouse)
    assert cart.lines.count() == 1 and line.quantity == 5


def test_another_warehouse_gets_its_own_line(alpha):
    company, owner = alpha
    product = f.product()
    cart = ordering.get_cart(owner, company)
    ordering.add_to_cart(cart, product, Decimal(1), warehouse=f.warehouse())
    ordering.add_to_cart(cart, product, Decimal(1), warehouse=f.warehouse())
    assert cart.lines.count() == 2


def test_a_pack_product_accepts_only_whole_packs_and_says_the_nearest(alpha):
    company, owner = alpha
    product = f.product(unit_ratio=Decimal(10))
    cart = ordering.get_cart(owner, company)
    with pytest.raises(QuantityError, match="20"):
        ordering.add_to_cart(cart, product, Decimal(15))
    assert ordering.add_to_cart(cart, product, Decimal(20)).quantity == 20


def test_the_minimum_from_1c_is_enforced_and_rounded_up_to_packs(alpha):
    company, owner = alpha
    product = f.product(unit_ratio=Decimal(4), requisites={"Минимальная партия": "10"})
    rule = ordering.quantity_rule(product)
    assert rule.minimum == 12 and rule.step == 4
    with pytest.raises(QuantityError):
        ordering.add_to_cart(ordering.get_cart(owner, company), product, Decimal(8))


def test_zero_or_negative_quantities_are_refused_with_a_domain_error(alpha):
    company, owner = alpha
    cart = ordering.get_cart(owner, company)
    for bad in (Decimal(0), Decimal(-1)):
        with pytest.raises(B2BCabinetError):
            ordering.add_to_cart(cart, f.product(), bad)


def test_inactive_products_cannot_be_added(alpha):
    company, owner = alpha
    with pytest.raises(OrderingError):
        ordering.add_to_cart(ordering.get_cart(owner, company), f.product(is_active=False), Decimal(1))


def test_updating_a_line_to_another_warehouse_merges_with_its_twin(alpha):
    company, owner = alpha
    product, a, b = f.product(), f.warehouse(), f.warehouse()
    cart = ordering.get_cart(owner, company)
    ordering.add_to_cart(cart, product, Decimal(1), warehouse=a)
    line = ordering.add_to_cart(cart, product, Decimal(2), warehouse=b)
    merged = ordering.update_line(line, Decimal(2), warehouse=a)
    assert cart.lines.count() == 1 and merged.quantity == 3


def test_removing_a_line_empties_the_cart(alpha):
    company, owner = alpha
    cart = ordering.get_cart(owner, company)
    line = ordering.add_to_cart(cart, f.product(), Decimal(1))
    ordering.remove_line(line)
    assert not cart.lines.exists()


def test_the_cart_is_priced_in_one_engine_call_with_totals(alpha):
    company, owner = alpha
    price_type = f.price_type(is_default=True)
    cart = ordering.get_cart(owner, company)
    for value in ("100.00", "250.50"):
        product = f.product()
        f.price(product, price_type, value)
        ordering.add_to_cart(cart, product, Decimal(2))
    context = pricing.context_for_company(company)
    summary = ordering.price_cart(cart, context)
    assert summary.total == Decimal("701.00") and summary.count == 2 and not summary.unavailable
