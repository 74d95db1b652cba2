"""The API the 1C exchange records documents through: invoices, payments, shipments; idempotency."""

import datetime
from decimal import Decimal

import pytest

from b2b_cabinet import finance
from b2b_cabinet.exceptions import FinanceError
from b2b_cabinet.models import InvoiceStatus, LedgerEntry, Payment, Shipment
from tests.finance.conftest import DAY

pytestmark = pytest.mark.django_db


def test_issuing_an_invoice_copies_lines_numbers_it_per_seller_and_debits_the_ledger(alpha_order):
    order, part = alpha_order
    invoice = finance.issue_invoice(order, part, today=DAY)
    assert invoice.number == "СЧ-2026-000001"
    assert invoice.total == Decimal("350.00")
    assert invoice.vat_amount == Decimal("63.12")  # per line, as 1C rounds: 36.07 + 27.05
    assert invoice.due_date == DAY + datetime.timedelta(days=10)
    assert invoice.lines.count() == 2
    assert invoice.seller["inn"] == "7701234567" and invoice.buyer["inn"] == "6671234560"
    assert finance.balance(order.company) == Decimal("350.00")
    assert list(finance.invoices_for_part(part)) == [invoice]


def test_issuing_twice_returns_the_same_invoice_and_the_next_one_takes_the_next_number(alpha_order, alpha):
    order, part = alpha_order
    first = finance.issue_invoice(order, part, today=DAY)
    assert finance.issue_invoice(order, part, today=DAY) == first
    from tests import factories as f

    other, other_part = f.order_with_part(alpha[0])
    assert finance.issue_invoice(other, other_part, today=DAY).number == "СЧ-2026-000002"


def test_a_part_invoice_refuses_when_the_whole_order_is_invoiced(alpha_order):
    order, part = alpha_order
    finance.issue_invoice(order, today=DAY)
    with pytest.raises(FinanceError):
        finance.issue_invoice(order, part, today=DAY)


def test_a_1c_payment_marks_the_invoice_partly_paid_then_paid_and_credits_the_ledger(alpha_order):
    order, part = alpha_order
    invoice = finance.issue_invoice(order, part, today=DAY)
    finance.record_payment(order_part=part, number="101", date=DAY, amount=Decimal("100.00"), source="1c",
                           external_id="pay-1")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PARTLY_PAID and invoice.paid_amount == Decimal("100.00")
    finance.record_payment(order_part=part, number="102", date=DAY, amount=Decimal("250.00"), source="1c")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert finance.balance(order.company) == Decimal("0.00")


def test_recording_the_same_1c_payment_twice_records_it_once(alpha_order):
    order, part = alpha_order
    finance.issue_invoice(order, part, today=DAY)
    for _ in range(2):
        finance.record_payment(order_part=part, number="101", date=DAY, amount=Decimal("100.00"), source="1c",
                               external_id="pay-1")
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


def test_a_shipment_is_recorded_once_and_debits_only_when_the_contract_bills_on_shipment(alpha_order, alpha):
    order, part = alpha_order
    contract = order.contract
    contract.debit_on = "shipment"
    contract.save()
    product = order.lines.first().product
    for _ in range(2):
        shipment = finance.record_shipment(order_part=part, number="РН-1", date=DAY, lines=[(product, 2, "100.00")],
                                           external_id="sh-1")
    assert Shipment.objects.count() == 1
    assert shipment.amount == Decimal("200.00") and shipment.lines.count() == 1
    entry = LedgerEntry.objects.get(kind="shipment")
    assert entry.debit == Decimal("200.00") and entry.due_date == DAY + datetime.timedelta(days=10)


def test_a_shipment_does_not_debit_when_the_contract_bills_on_invoices(alpha_order):
    _order, part = alpha_order
    finance.record_shipment(order_part=part, number="РН-1", date=DAY)
    assert not LedgerEntry.objects.filter(kind="shipment").exists()
