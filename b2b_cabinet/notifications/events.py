"""Publishing events: one :class:`OutboxEvent` row in the caller's transaction, dispatched after commit."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from b2b_cabinet.bulk_sql import bulk_insert
from b2b_cabinet.models import CabinetPage, EventType, Order, OrderPart, OrderStatus, OutboxEvent

logger = logging.getLogger(__name__)
DISPATCH_TASK = "b2b_cabinet.notifications.delivery.dispatch_events"


def order_url(order: Order) -> str:
    """The order's page in the first live cabinet page (empty when the site has none)."""
    page = CabinetPage.objects.live().first()
    return page.cabinet_url("order_detail", pk=order.pk) if page else ""


def _order_data(order: Order | None, part: OrderPart | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if order is not None:
        data["order"] = {
            "id": order.pk, "number": order.number, "status": str(order.status), "total": str(order.total),
            "currency": order.currency, "company": {"id": order.company_id, "name": order.company.name,
                                                    "external_id": order.company.external_id or ""},
        }
    if part is not None:
        data["part"] = {"id": part.pk, "number": part.number, "status": str(part.status), "total": str(part.total),
                        "ship_date": part.ship_date.isoformat() if part.ship_date else None,
                        "onec_number": part.onec_number}
    return data


def publish(event_type: str, *, key: str, order: Order | None = None, part: OrderPart | None = None,
            company=None, company_id: int | None = None, data: dict[str, Any] | None = None) -> OutboxEvent:
    """Record an event for delivery; call it inside the transaction of the change it reports.

    ``key`` is the idempotency key: a second publish with the same key returns the first event
    and delivers nothing again (a 1C document imported twice must not email twice).
    """
    event_type = EventType(event_type)
    payload = {"event": str(event_type), "id": key, "occurred_at": timezone.now().isoformat(),
               **_order_data(order, part), **(data or {})}
    company_id = company.pk if company is not None else (company_id or (order.company_id if order else None))
    try:
        with transaction.atomic():
            event = OutboxEvent.objects.create(key=key, event_type=event_type, company_id=company_id, order=order,
                                               part=part, payload=payload)
    except IntegrityError:
        return OutboxEvent.objects.get(key=key)
    transaction.on_commit(partial(_queue, [event.pk]))
    return event


#: Events per dispatch task. The bulk publisher queues one task per batch, so a 1C import that
#: publishes 10,000 events queues 20 tasks, not 10,000 (each enqueue is a broker round trip).
BATCH = 500


def _queue(ids: list[int]) -> None:
    """After commit: hand the events to django-q2 (if the broker is down, the sweep does it later)."""
    from django_q.tasks import async_task

    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        try:
            async_task(DISPATCH_TASK, batch, task_name=f"notify {batch[0]}…{batch[-1]}"[:100],
                       group="b2b_notifications")
        except Exception:  # the broker is down: the sweep dispatches these events later
            logger.exception("Could not queue notification events %s…; the sweep will pick them up", batch[0])


def publish_order_event(order: Order, part: OrderPart | None, from_status: str, to_status: str,
                        source: str, *, event_id: int | None = None) -> OutboxEvent:
    """``order.created`` (no previous status) or ``order.status_changed`` for an order or one part."""
    created = not from_status
    event_type = EventType.ORDER_CREATED if created else EventType.ORDER_STATUS_CHANGED
    subject = f"part:{part.pk}" if part is not None else f"order:{order.pk}"
    # The timeline event id makes the key unique per change; placing an order has one key.
    key = f"{event_type}:{order.pk}" if created else f"{event_type}:{subject}:{event_id or timezone.now().timestamp()}"
    return publish(event_type, key=key, order=order, part=part,
                   data={"from_status": str(from_status or ""), "to_status": str(to_status), "source": str(source)})


def publish_order_events(changes: list[tuple[OrderPart, str, str, str]]) -> list[int]:
    """``order.status_changed`` for many parts at once: ``(part, from, to, source)`` each; returns the ids.

    The bulk twin of :func:`publish_order_event` (same payload), written with :func:`bulk_insert`.
    Keys carry the change time, so a later change of the same part is a new event.
    """
    now = timezone.now()
    stamp, occurred = now.timestamp(), now.isoformat()
    event_type = str(EventType.ORDER_STATUS_CHANGED)
    rows = []
    for part, old, new, source in changes:
        key = f"{event_type}:part:{part.pk}:{stamp}"
        rows.append({
            "key": key, "event_type": event_type, "company": part.order.company_id, "order": part.order_id,
            "part": part.pk, "created_at": now, "dispatched_at": None,
            "payload": {"event": event_type, "id": key, "occurred_at": occurred, **_order_data(part.order, part),
                        "from_status": str(old), "to_status": str(new), "source": str(source)},
        })
    bulk_insert(OutboxEvent, rows)
    keys = [row["key"] for row in rows]
    ids = [pk for start in range(0, len(keys), BATCH)
           for pk in OutboxEvent.objects.filter(key__in=keys[start:start + BATCH]).values_list("pk", flat=True)]
    transaction.on_commit(partial(_queue, ids))
    return ids


def describe(event: OutboxEvent) -> str:
    """One sentence for the notification list and the email subject, in the active language."""
    from django.utils.translation import gettext as _

    payload = event.payload
    order_no = (payload.get("order") or {}).get("number", "")
    part_no = (payload.get("part") or {}).get("number", "")
    if event.event_type == EventType.ORDER_CREATED:
        return _("Order %(number)s placed.") % {"number": order_no}
    if event.event_type == EventType.ORDER_STATUS_CHANGED:
        status = OrderStatus(payload["to_status"]).label
        if part_no:
            return _("Order part %(number)s: %(status)s.") % {"number": part_no, "status": status}
        return _("Order %(number)s: %(status)s.") % {"number": order_no, "status": status}
    # The finance module's wording, so its notifications read the same whichever path they took.
    document = payload.get("payment") or payload.get("shipment") or payload.get("invoice") or {}
    values = {"number": document.get("number", ""), "amount": document.get("amount") or ""}
    if event.event_type == EventType.PAYMENT_RECEIVED:
        return _("Payment %(number)s of %(amount)s received.") % values
    if event.event_type == EventType.SHIPMENT_CREATED:
        return _("Shipment %(number)s created.") % values
    return _("Invoice %(number)s issued for %(amount)s.") % values
