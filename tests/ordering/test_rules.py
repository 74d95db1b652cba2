"""Small rules: parsing quantities, the credit policy, releasing stock."""

from decimal import Decimal

import pytest
from django.test import override_settings

from b2b_cabinet import ordering, stock
from b2b_cabinet.exceptions import ConfigurationError, CreditLimitExceeded, QuantityError
from b2b_cabinet.models import StockLevel
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "value"), [("12", 12), ("2,5", Decimal("2.5")), ("1 000", 1000)])
def test_quantities_are_read_the_way_people_type_them(typed, value):
    assert ordering.parse_quantity(typed) == value


@pytest.mark.parametrize("typed", ["", "abc", "NaN", "inf"])
def test_nonsense_quantities_are_a_quantity_error(typed):
    with pytest.raises(QuantityError):
        ordering.quantity_rule(f.product()).check(ordering.parse_quantity(typed))


def test_round_up_gives_the_nearest_allowed_quantity():
    rule = ordering.QuantityRule(minimum=Decimal(12), step=Decimal(4))
    assert rule.round_up(Decimal(1)) == 12 and rule.round_up(Decimal(13)) == 16 and rule.round_up(16) == 16


def test_the_credit_policy_counts_the_debt_function(alpha, settings):
    contract = alpha[0].default_contract
    contract.credit_limit = Decimal(100)
    with override_settings(B2B_CABINET={"CREDIT_POLICY": "block",
                                        "OUTSTANDING_DEBT_FUNCTION": "tests.ordering.test_rules.debt_of_90"}):
        assert ordering.check_credit(contract, Decimal(10)).allowed
        with pytest.raises(CreditLimitExceeded):
            ordering.check_credit(contract, Decimal(11))


def debt_of_90(contract):
    return Decimal(90)


def test_a_zero_credit_limit_means_no_limit(alpha):
    contract = alpha[0].default_contract
    assert ordering.check_credit(contract, Decimal(10**9), policy="block").allowed


def test_an_unknown_credit_policy_is_a_configuration_error(alpha):
    with pytest.raises(ConfigurationError):
        ordering.check_credit(alpha[0].default_contract, Decimal(1), policy="maybe")


def test_release_never_takes_reserved_below_zero():
    product, warehouse = f.product(), f.warehouse()
    f.stock(product, warehouse, on_hand=5, reserved=1)
    stock.release([stock.StockItem(product.pk, None, warehouse.pk, Decimal(3))])
    assert StockLevel.objects.get().reserved == 0
