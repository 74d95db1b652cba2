"""The bridge from the finance module's events into the outbox, so they reach every channel.

``B2B_CABINET["FINANCE_CHANNELS"]`` defaults to :func:`finance_channel`: invoices issued,
payments received and shipments created become ``invoice.issued``, ``payment.received`` and
``shipment.created`` events with the cabinet, email and CRM webhook channels and their retries.
The key is the finance record's kind and id, so a repeat is one event.

Finance queues its events after commit (``transaction.on_commit``), unlike order events, which
are written in the same transaction; a process dying in between loses the notification, not the
payment. Moving finance onto :func:`~b2b_cabinet.notifications.publish` inside its transaction
closes that gap.
"""

from __future__ import annotations

from b2b_cabinet.models import EventType, Order


def finance_channel(event) -> None:
    """Publish a :class:`~b2b_cabinet.finance.notify.FinanceEvent` as an outbox event."""
    from b2b_cabinet.finance.notify import event_url

    from .events import publish

    order = Order.objects.select_related("company").filter(pk=event.order_id).first() if event.order_id else None
    document = {"id": event.object_id, "number": event.number, "amount": event.amount}
    name = {EventType.INVOICE_ISSUED: "invoice", EventType.PAYMENT_RECEIVED: "payment",
            EventType.SHIPMENT_CREATED: "shipment"}[EventType(event.kind)]
    if event.invoice_id and name != "invoice":
        document["invoice_id"] = event.invoice_id
    publish(event.kind, key=f"{event.kind}:{event.object_id}", order=order, company_id=event.company_id,
            data={name: document, "url": event_url(event)})
