"""Finance notifications: ``invoice.issued``, ``payment.received``, ``shipment.created``.

A finance use-case calls :func:`publish_event` *inside* the transaction that records the invoice,
payment or shipment. The event is an :class:`~b2b_cabinet.models.OutboxEvent` row (a transactional
outbox): it commits together with the record, or not at all when the record rolls back, so a
process dying right after the commit loses nothing. Delivery stays asynchronous: a django-q2 task
queued after the commit dispatches it to ``NOTIFICATION_CHANNELS`` (cabinet, email, CRM
webhooks), and the every-minute sweep dispatches events whose task was never queued (broker down)
or died with a worker.
"""

from __future__ import annotations

from b2b_cabinet.models import CabinetPage, EventType, Order, OutboxEvent

#: Event kinds, named like the CRM webhook events.
INVOICE_ISSUED, PAYMENT_RECEIVED, SHIPMENT_CREATED = "invoice.issued", "payment.received", "shipment.created"
#: The payload key each kind carries its document under.
DOCUMENT_KEYS = {INVOICE_ISSUED: "invoice", PAYMENT_RECEIVED: "payment", SHIPMENT_CREATED: "shipment"}


def event_url(kind: str, object_id: int) -> str:
    """Where the notification links to: the invoice, the payments or the shipments page."""
    page = CabinetPage.objects.live().first()
    if page is None:
        return ""
    if kind == INVOICE_ISSUED:
        return page.cabinet_url("finance_invoice_detail", pk=object_id)
    if kind == PAYMENT_RECEIVED:
        return page.cabinet_url("finance_payments")
    return page.cabinet_url("finance_shipments")


def publish_event(kind: str, *, object_id: int, number: str, amount, company_id: int, order: Order | None = None,
                  invoice_id: int | None = None) -> OutboxEvent:
    """Write the finance event to the outbox in the caller's transaction; returns it.

    The key is the kind and the record's id, so publishing the same record again is one event.
    """
    from b2b_cabinet.notifications import publish

    document = {"id": object_id, "number": number, "amount": str(amount)}
    if invoice_id and kind != INVOICE_ISSUED:
        document["invoice_id"] = invoice_id
    return publish(EventType(kind), key=f"{kind}:{object_id}", order=order, company_id=company_id,
                   data={DOCUMENT_KEYS[kind]: document, "url": event_url(kind, object_id)})
