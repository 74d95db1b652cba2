"""``set_part_statuses``: :func:`set_order_status` for many order parts at once (a 1C documents file).

The same rules, in set form: each part walks the shortest allowed path to its target
(``status_path``), every step is a timeline event with its source, reserved stock is released when
a part is cancelled or shipped, each order follows its least advanced live part, and each part's
change publishes one ``order.status_changed`` event in the same transaction. What differs is
only the I/O: rows are locked, read and written in batches (``bulk_update``/``bulk_create``)
rather than a dozen queries per part, which is what lets 10,000 status documents from 1C apply in
seconds. A part that cannot reach its target is reported, not raised, so one bad document does
not stop the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from b2b_cabinet.models import EventSource, Order, OrderEvent, OrderPart, OrderStatus

from .actors import as_actor
from .events import actor_repr
from .status import RELEASES_STOCK, _release, derived_status, status_path

CHUNK = 500


@dataclass(frozen=True)
class StatusMove:
    """Move part ``part_id`` to ``target``; ``note`` goes to the timeline."""

    part_id: int
    target: str
    note: str = ""


def set_part_statuses(moves: list[StatusMove], *, actor=None, source: str = EventSource.ONEC) -> dict[int, str]:
    """Apply ``moves``; returns ``{part_id: reason}`` for the parts that could not move.

    Call inside a transaction when the caller also writes other things that must stay consistent
    with the statuses; this function opens its own (savepoint) otherwise.
    """
    from b2b_cabinet.notifications.events import publish_order_events

    user = as_actor(actor).user
    who = actor_repr(user, source)
    refused: dict[int, str] = {}
    with transaction.atomic():
        for start in range(0, len(moves), CHUNK):
            refused.update(_apply_chunk(moves[start:start + CHUNK], user, who, source, publish_order_events))
    return refused


def _apply_chunk(moves, user, who, source, publish_order_events) -> dict[int, str]:
    now = timezone.now()
    refused: dict[int, str] = {}
    parts = {p.pk: p for p in OrderPart.objects.select_for_update(of=("self",)).select_related("order__company")
             .filter(pk__in=[m.part_id for m in moves]).order_by("pk")}
    events: list[OrderEvent] = []
    changed: list[tuple[OrderPart, str, str]] = []  # (part, from, to) for notifications
    for move in moves:
        part = parts.get(move.part_id)
        if part is None:
            refused[move.part_id] = "no such order part"
            continue
        path = status_path(part.status, move.target)
        if not path:
            if part.status != move.target:
                refused[part.pk] = f"{move.target} cannot follow {part.status}"
            continue
        first = part.status
        for step in path:
            events.append(OrderEvent(order_id=part.order_id, part=part, actor=user, actor_repr=who, source=source,
                                     from_status=part.status, to_status=step, note=move.note))
            part.status = step
            if step in RELEASES_STOCK:
                _release(part)
        part.changed_at, part.changed_by_onec = now, source == EventSource.ONEC
        changed.append((part, first, part.status))
    if not changed:
        return refused
    OrderPart.objects.bulk_update([c[0] for c in changed], ["status", "reserved", "changed_at", "changed_by_onec"])
    OrderEvent.objects.bulk_create(events)
    _follow_orders({c[0].order_id for c in changed}, user, who, source)
    publish_order_events([(part, old, new, source) for part, old, new in changed])
    return refused


def _follow_orders(order_ids: set[int], user, who: str, source: str) -> None:
    """Each order takes the least advanced status of its live parts (as ``set_order_status`` does)."""
    statuses: dict[int, list[str]] = {}
    for order_id, status in OrderPart.objects.filter(order_id__in=order_ids).values_list("order_id", "status"):
        statuses.setdefault(order_id, []).append(status)
    orders = list(Order.objects.select_for_update().filter(pk__in=order_ids).order_by("pk"))
    moved, events = [], []
    for order in orders:
        new = derived_status(statuses.get(order.pk, [])) if statuses.get(order.pk) else order.status
        if new != order.status:
            events.append(OrderEvent(order=order, actor=user, actor_repr=who, source=source,
                                     from_status=order.status, to_status=new))
            order.status, order.updated_at = OrderStatus(new), timezone.now()
            moved.append(order)
    if moved:
        Order.objects.bulk_update(moved, ["status", "updated_at"])
        OrderEvent.objects.bulk_create(events)
