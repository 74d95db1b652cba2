"""On PostgreSQL, parallel invoices never share a number and parallel imports of one 1C payment record it once."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from b2b_cabinet import finance
from b2b_cabinet.models import Invoice, LedgerEntry, Payment
from tests import factories as f

from .test_accounts_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
DAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and real concurrency)")


def test_parallel_invoices_take_distinct_consecutive_numbers():
    company = f.company("Альфа")
    f.legal_entity(company)
    f.contract(company)
    orders = [f.order_with_part(company) for _ in range(6)]
    results = run_together(*(lambda o=o, p=p: finance.issue_invoice(o, p, today=DAY) for o, p in orders))
    assert all(isinstance(r, Invoice) for r in results), results
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"СЧ-2026-{i:06d}" for i in range(1, 7)]


def test_the_same_1c_payment_imported_in_parallel_is_recorded_once():
    company = f.company("Альфа")
    f.legal_entity(company)
    f.contract(company)
    order, part = f.order_with_part(company)
    finance.issue_invoice(order, part, today=DAY)
    results = run_together(*(lambda: finance.record_payment(order_part=part, number="9", date=DAY,
                                                            amount=Decimal("50.00"), source="1c",
                                                            external_id="same") for _ in range(4)))
    assert all(isinstance(r, Payment) for r in results), results
    assert Payment.objects.count() == 1 and LedgerEntry.objects.filter(kind="payment").count() == 1
    assert Invoice.objects.get().paid_amount == Decimal("50.00")
