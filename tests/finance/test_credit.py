"""Checkout's credit policy reads the ledger: block, warn, off, per contract, and the overdue hold."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from b2b_cabinet import finance
from b2b_cabinet.exceptions import CreditLimitExceeded
from b2b_cabinet.ordering import check_credit

pytestmark = pytest.mark.django_db


@pytest.fixture
def indebted(alpha_order):
    """Альфа owes 350.00 on an invoice issued 30 days ago with 10 days' terms (20 days overdue); limit 500."""
    from django.utils import timezone

    order, part = alpha_order
    finance.issue_invoice(order, part, today=timezone.localdate() - datetime.timedelta(days=30))
    contract = order.contract
    contract.credit_limit = Decimal("500.00")
    contract.save()
    return contract


@override_settings(B2B_CABINET={"CREDIT_POLICY": "block"})
def test_block_refuses_an_order_that_takes_the_ledger_debt_over_the_limit(indebted):
    with pytest.raises(CreditLimitExceeded):
        check_credit(indebted, Decimal("200.00"))
    assert check_credit(indebted, Decimal("150.00")).allowed


def test_the_contracts_own_policy_overrides_the_setting(indebted):
    indebted.credit_policy = "warn"
    decision = check_credit(indebted, Decimal("200.00"))
    assert decision.allowed and decision.warning and decision.debt == Decimal("350.00")


@override_settings(B2B_CABINET={"CREDIT_POLICY": "off", "CREDIT_BLOCK_WHEN_OVERDUE": True})
def test_the_overdue_hold_refuses_any_order_while_debt_is_overdue(indebted):
    with pytest.raises(CreditLimitExceeded, match="overdue"):
        check_credit(indebted, Decimal("1.00"))
    indebted.block_when_overdue = False  # the contract opts out
    assert check_credit(indebted, Decimal("1.00")).allowed


@override_settings(B2B_CABINET={"CREDIT_POLICY": "warn", "CREDIT_BLOCK_WHEN_OVERDUE": True})
def test_under_warn_the_overdue_hold_only_warns(indebted):
    decision = check_credit(indebted, Decimal("1.00"))
    assert decision.allowed and "overdue" in decision.warning


@override_settings(B2B_CABINET={"CREDIT_POLICY": "block", "CREDIT_BLOCK_WHEN_OVERDUE": True})
def test_paying_the_overdue_invoice_lifts_the_hold(indebted, alpha_order):
    _order, part = alpha_order
    finance.record_payment(order_part=part, number="5", date=datetime.date(2026, 11, 20), amount=Decimal("350.00"),
                           source="1c")
    assert check_credit(indebted, Decimal("400.00")).allowed
