"""Finance events use the transactional outbox: they commit with the document, and a dead broker loses none."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from b2b_cabinet import finance
from b2b_cabinet.models import Delivery, Invoice, Notification, OutboxEvent, Payment, Shipment
from b2b_cabinet.notifications import delivery
from tests import factories as f
from tests.finance.conftest import DAY

pytestmark = pytest.mark.django_db


def _invoice(order, part):
    return finance.issue_invoice(order, today=DAY)


def _payment(order, part):
    return finance.record_payment(order_part=part, number="ПП-7", date=DAY, amount=Decimal("120.00"), source="1c",
                                  external_id="pay-7")


def _shipment(order, part):
    return finance.record_shipment(order_part=part, number="РН-5", date=DAY, external_id="ship-5")


CASES = [("invoice.issued", _invoice, "invoice"), ("payment.received", _payment, "payment"),
         ("shipment.created", _shipment, "shipment")]


@pytest.mark.parametrize(("kind", "record", "name"), CASES)
def test_the_event_is_written_in_the_transaction_of_the_document(alpha_order, kind, record, name):
    order, part = alpha_order
    document = record(order, part)  # a TestCase never runs commit callbacks: only in-transaction writes count
    event = OutboxEvent.objects.get(event_type=kind)
    assert event.key == f"{kind}:{document.pk}" and event.dispatched_at is None
    assert event.company_id == order.company_id and event.order_id == order.pk
    assert event.payload[name]["id"] == document.pk and event.payload[name]["number"] == document.number
    assert event.payload["order"]["number"] == order.number


@pytest.mark.parametrize(("kind", "record", "name"), CASES)
def test_a_rolled_back_document_leaves_no_event(alpha_order, kind, record, name):
    order, part = alpha_order
    with pytest.raises(RuntimeError), transaction.atomic():
        record(order, part)
        raise RuntimeError("the caller fails after the finance use-case")
    assert not OutboxEvent.objects.exists()
    assert not (Invoice.objects.exists() or Payment.objects.exists() or Shipment.objects.exists())


def test_a_payment_recorded_while_the_broker_is_down_is_delivered_by_the_sweep(
        alpha_order, monkeypatch, django_capture_on_commit_callbacks):
    order, part = alpha_order
    accountant = f.member(order.company, role="accountant", email="accountant@example.com")

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("django_q.tasks.async_task", broker_down)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        payment = _payment(order, part)
    event = OutboxEvent.objects.get(event_type="payment.received")
    assert event.dispatched_at is None and not Delivery.objects.exists() and mail.outbox == []

    monkeypatch.undo()
    OutboxEvent.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert delivery.sweep()["dispatched"] == 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert set(Delivery.objects.filter(event=event).values_list("status", flat=True)) == {"sent"}
    assert Notification.objects.filter(user=accountant, kind="payment.received").exists()
    assert any(payment.number in message.subject and "accountant@example.com" in message.to
               for message in mail.outbox)


def test_a_repeated_1c_payment_is_one_event(alpha_order):
    order, part = alpha_order
    first, again = _payment(order, part), _payment(order, part)
    assert first.pk == again.pk and OutboxEvent.objects.filter(event_type="payment.received").count() == 1
