"""Saved lists, favourites, and repeating an order."""

from decimal import Decimal

import pytest

from b2b_cabinet import ordering
from b2b_cabinet.exceptions import OrderingError
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_cart_saved_as_a_list_comes_back_into_an_empty_cart(alpha):
    company, owner = alpha
    cart = ordering.get_cart(owner, company)
    product = f.product()
    ordering.add_to_cart(cart, product, Decimal(4), warehouse=f.warehouse())
    saved = ordering.save_cart_as_list(cart, "Ежемесячный", owner)
    ordering.clear_cart(cart)
    result = ordering.list_to_cart(saved, cart)
    assert len(result.added) == 1 and cart.lines.get().quantity == 4 and not result.skipped


def test_a_list_needs_a_name(alpha):
    with pytest.raises(OrderingError):
        ordering.create_list(alpha[0], alpha[1], "  ")


def test_favourites_toggle_on_and_off(alpha):
    company, owner = alpha
    product = f.product()
    assert ordering.toggle_favourite(owner, company, product) is True
    assert ordering.favourites(owner, company).lines.filter(product=product).exists()
    assert ordering.toggle_favourite(owner, company, product) is False


def test_repeating_an_order_adds_its_lines_and_reports_withdrawn_products(alpha):
    company, owner = alpha
    old = f.order(company)
    kept, withdrawn = f.product(), f.product(is_active=False, sku="GONE-1")
    f.order_line(old, kept, quantity="3")
    f.order_line(old, withdrawn, quantity="1")
    cart = ordering.get_cart(owner, company)
    result = ordering.reorder(old, cart)
    assert cart.lines.get().product == kept
    assert [label for label, _reason in result.skipped] == ["GONE-1"]


def test_repeating_rounds_quantities_up_to_a_new_pack_size_with_a_note(alpha):
    company, owner = alpha
    old = f.order(company)
    product = f.product(unit_ratio=Decimal(5))
    f.order_line(old, product, quantity="3")
    cart = ordering.get_cart(owner, company)
    result = ordering.reorder(old, cart)
    assert cart.lines.get().quantity == 5 and result.adjusted


def test_another_companys_order_cannot_be_repeated(alpha, beta):
    cart = ordering.get_cart(alpha[1], alpha[0])
    with pytest.raises(OrderingError):
        ordering.reorder(f.order(beta[0]), cart)
