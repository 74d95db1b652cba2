"""``set_order_status``: the one use-case for every status change, by partners, staff or 1C.

An order's parts move on their own (1C confirms, assembles and ships each part); the order's
status follows them: it is the least advanced status among its live parts (cancelled parts don't
count; an order all of whose parts are cancelled is cancelled). Moving a whole order moves every
live part, and is refused unless each of them may make the move. Every change is validated
against the transition map (``TRANSITIONS`` plus ``B2B_CABINET["ORDER_TRANSITIONS"]``),
written to the timeline (``OrderEvent``), releases reserved stock when
a part is cancelled or shipped, and publishes a notification event in the same transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from b2b_cabinet import stock
from b2b_cabinet.exceptions import InvalidStatusTransition
from b2b_cabinet.models import EventSource, Order, OrderPart, OrderStatus, transition_map

from .actors import as_actor, default_source
from .events import record_event

S = OrderStatus
#: How far along each status is, for deriving the order's status from its parts.
PROGRESS = [S.NEW, S.CONFIRMED, S.IN_PROGRESS, S.READY, S.SHIPPED, S.COMPLETED]
RELEASES_STOCK = {S.CANCELLED, S.SHIPPED, S.COMPLETED}


def derived_status(statuses: list[str]) -> str:
    """The order's status from its parts' statuses."""
    live = [s for s in statuses if s != S.CANCELLED]
    if not live:
        return S.CANCELLED
    return min(live, key=PROGRESS.index)


def queue_notifications(order, part, from_status: str, to_status: str, source: str, *,
                        event_id: int | None = None) -> None:
    """Publish ``order.created``/``order.status_changed`` in the current transaction.

    The event row commits with the change (see :mod:`b2b_cabinet.notifications`); channels run in
    a django-q2 task after the commit, so a failing channel never undoes or blocks a status change.
    """
    from b2b_cabinet.notifications import publish_order_event

    publish_order_event(order, part, str(from_status or ""), str(to_status), str(source), event_id=event_id)


def _release(part: OrderPart) -> None:
    if not part.reserved:
        return
    stock.release([
        stock.StockItem(line.product_id, line.variant_id, line.warehouse_id, line.quantity)
        for line in part.lines.all() if line.warehouse_id
    ])
    part.reserved = False


def _move_part(part: OrderPart, new_status: str, actor, source: str, note: str, notify: bool = True) -> None:
    old = part.status
    part.check_transition(new_status)
    part.status = new_status
    if new_status in RELEASES_STOCK:
        _release(part)
    # The export watermark compares against changed_at; a change 1C made itself is not sent back.
    part.changed_at = timezone.now()
    part.changed_by_onec = source == EventSource.ONEC
    part.save(update_fields=["status", "reserved", "changed_at", "changed_by_onec"])
    event = record_event(part.order, part, old, new_status, actor=actor, source=source, note=note)
    if notify:
        queue_notifications(part.order, part, old, new_status, source, event_id=event.pk)


def _follow_parts(order: Order, actor, source: str, note: str):
    statuses = list(order.parts.values_list("status", flat=True))
    if not statuses:
        return None
    new = derived_status(statuses)
    if new != order.status:
        old = order.status
        order.status = new
        order.save(update_fields=["status", "updated_at"])
        return record_event(order, None, old, new, actor=actor, source=source, note=note)
    return None


def set_order_status(order_or_part: Order | OrderPart, new_status: str, *, actor=None, source: str | None = None,
                     note: str = "") -> Order | OrderPart:
    """Move an order or one of its parts to ``new_status``; raises :class:`InvalidStatusTransition`.

    ``actor`` is a user (or an Actor, or None for 1C), ``source`` one of ``EventSource``
    (partner, staff, 1c, system; guessed from the actor when omitted). Returns the updated object.
    """
    actor_obj = as_actor(actor)
    source = source or default_source(actor_obj)
    user = actor_obj.user
    new_status = S(new_status)
    with transaction.atomic():
        if isinstance(order_or_part, OrderPart):
            part = OrderPart.objects.select_for_update().select_related("order").get(pk=order_or_part.pk)
            order = Order.objects.select_for_update().get(pk=part.order_id)
            part.order = order
            _move_part(part, new_status, user, source, note)
            _follow_parts(order, user, source, note)
            order_or_part.status, order_or_part.reserved = part.status, part.reserved
            return part
        order = Order.objects.select_for_update().get(pk=order_or_part.pk)
        parts = list(order.parts.select_for_update().order_by("pk").exclude(status=S.CANCELLED))
        if not parts:
            old = order.status
            order.check_transition(new_status)
            order.status = new_status
            order.save(update_fields=["status", "updated_at"])
            event = record_event(order, None, old, new_status, actor=user, source=source, note=note)
            queue_notifications(order, None, old, new_status, source, event_id=event.pk)
        else:
            blocked = [p for p in parts if p.status != new_status and not p.can_change_status(new_status)]
            if blocked:
                raise InvalidStatusTransition(blocked[0].status, new_status)
            old = order.status
            for part in parts:
                if part.status != new_status:
                    part.order = order
                    # One notification for the whole order rather than one per part.
                    _move_part(part, new_status, user, source, note, notify=False)
            event = _follow_parts(order, user, source, note)
            if order.status != old:
                queue_notifications(order, None, old, order.status, source, event_id=event.pk if event else None)
        order_or_part.status = order.status
        return order


def status_path(current: str, target: str) -> list[str]:
    """The shortest chain of allowed moves from ``current`` to ``target`` (empty if none).

    1C reports where a part *is* now, not each step: a part 1C ships straight from ``new`` moves
    ``new → confirmed → shipped``, each step a timeline event, so the machine is never bypassed.
    """
    if current == target:
        return []
    graph = transition_map()
    paths = {current: []}
    queue = [current]
    while queue:
        state = queue.pop(0)
        for nxt in sorted(graph.get(state, ()), key=lambda s: PROGRESS.index(s) if s in PROGRESS else 99):
            if nxt not in paths:
                paths[nxt] = [*paths[state], nxt]
                if nxt == target:
                    return paths[nxt]
                queue.append(nxt)
    return []


def can_cancel(order: Order) -> bool:
    """Whether the buyer may still cancel: the order and every live part allow cancelling."""
    if not order.can_change_status(S.CANCELLED):
        return False
    return all(p.can_change_status(S.CANCELLED) for p in order.parts.all() if p.status != S.CANCELLED)


def cancel_order(order: Order, *, actor=None, source: str | None = None, note: str = "") -> Order:
    """Cancel the whole order (every live part), releasing its reserved stock."""
    return set_order_status(order, S.CANCELLED, actor=actor, source=source, note=note)
