"""Альфа with seller requisites filled in, a contract with 10 days' terms and an order of one part."""

import datetime

import pytest

from tests import factories as f

DAY = datetime.date(2026, 11, 2)


@pytest.fixture
def seller(db):
    return f.seller()


@pytest.fixture
def alpha_order(alpha, seller):
    """Альфа's order of 2 × 100.00 + 3 × 50.00 = 350.00 in one part, under a contract with 10 days' terms."""
    company, _owner = alpha
    contract = company.default_contract
    contract.payment_terms_days = 10
    contract.save()
    order, part = f.order_with_part(company, lines=(("100.00", "2"), ("50.00", "3")), number="A-000101")
    return order, part
