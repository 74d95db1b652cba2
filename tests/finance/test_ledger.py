"""Ledger arithmetic: balance, FIFO ageing, 1C settlements as the source of truth; property tests."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2b_cabinet import finance
from b2b_cabinet.finance.ledger import age, bucket_of
from b2b_cabinet.models import LedgerEntry
from tests.finance.conftest import DAY

TODAY = datetime.date(2026, 12, 31)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)
debits = st.lists(st.tuples(st.dates(datetime.date(2025, 1, 1), datetime.date(2027, 6, 30)), amounts,
                            st.text(max_size=3)), max_size=30)


@given(debits, st.decimals(min_value=Decimal(0), max_value=Decimal("5000000"), places=2))
@settings(max_examples=200, deadline=None)
def test_ageing_splits_exactly_the_unpaid_debt_between_not_due_and_the_age_buckets(entries, credits):
    result = age(entries, credits, TODAY)
    owed = sum((a for _d, a, _n in entries), Decimal(0))
    assert result.total == max(owed - credits, 0)
    assert all(b >= 0 for b in result.buckets) and result.not_due >= 0


@given(debits, st.decimals(min_value=Decimal(0), max_value=Decimal("5000000"), places=2),
       st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=2))
@settings(max_examples=200, deadline=None)
def test_paying_more_never_increases_any_overdue_bucket(entries, credits, extra):
    before, after = age(entries, credits, TODAY), age(entries, credits + extra, TODAY)
    assert after.overdue <= before.overdue and after.total <= before.total


@pytest.mark.parametrize(("days", "bucket"), [(1, 0), (30, 0), (31, 1), (60, 1), (61, 2), (90, 2), (91, 3),
                                              (400, 3)])
def test_overdue_days_fall_into_the_0_30_31_60_61_90_and_90_plus_buckets(days, bucket):
    assert bucket_of(days) == bucket


def test_payments_go_to_the_oldest_debt_first():
    entries = [(datetime.date(2026, 9, 1), Decimal(100), "old"), (datetime.date(2026, 12, 20), Decimal(100), "new")]
    result = age(entries, Decimal(100), TODAY)
    assert result.buckets == [Decimal(100), 0, 0, 0] and result.overdue == Decimal(100)


@pytest.mark.django_db
@given(st.lists(st.tuples(st.booleans(), amounts), min_size=1, max_size=12))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_balance_is_debits_minus_credits_whatever_the_mix(alpha_company_contract, moves):
    company, contract = alpha_company_contract
    LedgerEntry.objects.filter(company=company)._raw_delete(LedgerEntry.objects.db)
    for is_debit, amount in moves:
        LedgerEntry.objects.create(company=company, contract=contract, date=DAY, kind="adjustment", document="x",
                                   debit=amount if is_debit else 0, credit=0 if is_debit else amount)
    expected = sum((a if d else -a for d, a in moves), Decimal(0))
    assert finance.balance(company, contract) == expected
    assert finance.outstanding_debt(contract) == max(expected, 0)


@pytest.fixture
def alpha_company_contract(alpha):
    return alpha[0], alpha[0].default_contract


@pytest.mark.django_db
def test_a_1c_settlement_figure_replaces_the_portals_balance_up_to_its_date(alpha_order):
    order, part = alpha_order
    finance.issue_invoice(order, part, today=DAY)  # 350 debit
    finance.record_settlement(company=order.company, contract=order.contract, as_of=DAY, balance=Decimal("1000.00"))
    assert finance.balance(order.company, order.contract) == Decimal("1000.00")
    finance.record_payment(order_part=part, number="1", date=DAY + datetime.timedelta(days=1), amount=Decimal(300),
                           source="1c")
    assert finance.balance(order.company, order.contract) == Decimal("700.00")
    # 1C re-sends a corrected figure for the same day: it replaces the first.
    finance.record_settlement(company=order.company, contract=order.contract, as_of=DAY, balance=Decimal("500.00"))
    assert finance.balance(order.company, order.contract) == Decimal("200.00")


@pytest.mark.django_db
def test_ledger_entries_are_append_only(alpha_order):
    order, part = alpha_order
    finance.issue_invoice(order, part, today=DAY)
    entry = LedgerEntry.objects.get()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()


@pytest.mark.django_db
def test_cancelling_an_unpaid_invoice_reverses_its_debit(alpha_order):
    order, part = alpha_order
    invoice = finance.issue_invoice(order, part, today=DAY)
    finance.cancel_invoice(invoice)
    assert finance.balance(order.company) == 0
    assert finance.issue_invoice(order, part, today=DAY).number == "СЧ-2026-000002"
