"""``set_part_statuses``: :func:`set_order_status` for many order parts at once (a 1C documents file).

The same rules, in set form: each part walks the shortest allowed path to its target
(``status_path``), every step is a timeline event with its source, reserved stock is released when
a part is cancelled or shipped, each order follows its least advanced live part, and each part's
change publishes one ``order.status_changed`` event in the same transaction. What differs is
only the I/O: rows are locked, read and written in batches (:mod:`b2b_cabinet.bulk_sql`: ``COPY``
and ``UPDATE … FROM unnest(…)`` on PostgreSQL) rather than a dozen queries per part, which is what
lets 10,000 status documents from 1C apply in seconds. A part that cannot reach its target is
reported, not raised, so one bad document does not stop the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from b2b_cabinet.bulk_sql import bulk_insert, bulk_set, rows_per_batch, update_rows
from b2b_cabinet.models import EventSource, Order, OrderEvent, OrderPart

from .actors import as_actor
from .events import actor_repr
from .status import RELEASES_STOCK, _release, derived_status, status_path


@dataclass(frozen=True)
class StatusMove:
    """Move part ``part_id`` to ``target``; ``note`` goes to the timeline."""

    part_id: int
    target: str
    note: str = ""


def set_part_statuses(moves: list[StatusMove], *, actor=None, source: str = EventSource.ONEC,
                      parts: dict[int, OrderPart] | None = None, extra_fields: tuple[str, ...] = ()) -> dict[int, str]:
    """Apply ``moves``; returns ``{part_id: reason}`` for the parts that could not move.

    Call inside a transaction when the caller also writes other things that must stay consistent
    with the statuses; this function opens its own (savepoint) otherwise.

    ``parts`` are parts the caller has already read in this transaction with
    ``select_for_update(of=("self",)).select_related("order__company")``; they are used (and
    updated in place) instead of being read again. ``extra_fields`` are fields the caller changed
    on them, written with the status in the same statement (the 1C import's own fields).
    """
    from b2b_cabinet.notifications.events import publish_order_events

    user = as_actor(actor).user
    who = actor_repr(user, source)
    refused: dict[int, str] = {}
    size = rows_per_batch()
    with transaction.atomic():
        for start in range(0, len(moves), size):
            refused.update(_apply_chunk(moves[start:start + size], user, who, source, parts or {},
                                        tuple(extra_fields), publish_order_events))
    return refused


def _locked_parts(moves, given: dict[int, OrderPart]) -> dict[int, OrderPart]:
    found = {m.part_id: given[m.part_id] for m in moves if m.part_id in given}
    missing = {m.part_id for m in moves} - set(found)
    if missing:
        found.update((p.pk, p) for p in OrderPart.objects.select_for_update(of=("self",))
                     .select_related("order__company").filter(pk__in=missing).order_by("pk"))
    return found


def _apply_chunk(moves, user, who, source, given, extra_fields, publish_order_events) -> dict[int, str]:
    now = timezone.now()
    refused: dict[int, str] = {}
    parts = _locked_parts(moves, given)
    events: list[dict] = []
    changed: dict[int, tuple[OrderPart, str]] = {}  # part id → (part, status before) for notifications
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
        changed.setdefault(part.pk, (part, part.status))
        for step in path:
            events.append(_event(part.order_id, part.pk, user, who, source, part.status, step, move.note, now))
            part.status = step
            if step in RELEASES_STOCK:
                _release(part)
        part.changed_at, part.changed_by_onec = now, source == EventSource.ONEC
    if not changed:
        return refused
    fields = dict.fromkeys(["status", "reserved", "changed_at", "changed_by_onec", *extra_fields])
    bulk_set([part for part, _ in changed.values()], list(fields))
    bulk_insert(OrderEvent, events)
    _follow_orders({part.order_id for part, _ in changed.values()}, user, who, source, now)
    publish_order_events([(part, old, part.status, source) for part, old in changed.values()])
    return refused


def _event(order_id, part_id, user, who, source, old, new, note, when) -> dict:
    """One timeline row, as :func:`~b2b_cabinet.ordering.events.record_event` writes it."""
    return {"order": order_id, "part": part_id, "created_at": when, "actor": user.pk if user else None,
            "actor_repr": who, "source": str(source), "from_status": str(old or ""), "to_status": str(new),
            "note": note}


def _follow_orders(order_ids: set[int], user, who: str, source: str, now) -> None:
    """Each order takes the least advanced status of its live parts (as ``set_order_status`` does)."""
    # Orders locked before their parts' statuses are read, so a concurrent change of a sibling
    # part (which locks the order too) cannot slip between the read and the write.
    current = dict(Order.objects.select_for_update().filter(pk__in=order_ids).order_by("pk")
                   .values_list("pk", "status"))
    statuses: dict[int, list[str]] = {}
    for order_id, status in OrderPart.objects.filter(order_id__in=order_ids).values_list("order_id", "status"):
        statuses.setdefault(order_id, []).append(status)
    rows, events = [], []
    for pk, status in current.items():
        new = derived_status(statuses[pk]) if statuses.get(pk) else status
        if new != status:
            events.append(_event(pk, None, user, who, source, status, new, "", now))
            rows.append((pk, new, now))
    update_rows(Order, ["status", "updated_at"], rows)
    bulk_insert(OrderEvent, events)
