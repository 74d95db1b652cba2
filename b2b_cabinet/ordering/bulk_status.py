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


def bulk_insert(model, rows: list[dict]) -> None:
    """Insert ``rows`` (field name → value, the same names in every row) with one ``executemany``.

    For append-only rows nobody needs back as instances (timeline events): no model instances are
    built, which is where ``bulk_create`` spends its time for tens of thousands of rows.
    """
    if not rows:
        return
    meta = model._meta
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in rows[0]]
    sql = (f"INSERT INTO {quote(meta.db_table)} (" + ", ".join(quote(c.column) for c in columns) + ") VALUES ("
           + ", ".join(["%s"] * len(columns)) + ")")
    values = [[c.get_db_prep_save(row[c.name], connection) for c in columns] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def bulk_set(objs: list, fields: list[str]) -> None:
    """Write ``fields`` of ``objs`` (all of one model) with one ``executemany`` UPDATE by primary key.

    Django's ``bulk_update`` builds a ``CASE WHEN pk=… THEN …`` per field and row; for 10,000 parts
    that expression building alone takes seconds. Values go through each field's
    ``get_db_prep_save``, so dates, decimals and booleans are converted exactly as ``save()`` would.
    """
    if not objs:
        return
    meta = objs[0]._meta
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    sql = (f"UPDATE {quote(meta.db_table)} SET " + ", ".join(f"{quote(c.column)} = %s" for c in columns)
           + f" WHERE {quote(meta.pk.column)} = %s")
    rows = [[c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns] + [obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


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
    events: list[dict] = []
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
            events.append(_event(part.order_id, part.pk, user, who, source, part.status, step, move.note, now))
            part.status = step
            if step in RELEASES_STOCK:
                _release(part)
        part.changed_at, part.changed_by_onec = now, source == EventSource.ONEC
        changed.append((part, first, part.status))
    if not changed:
        return refused
    bulk_set([c[0] for c in changed], ["status", "reserved", "changed_at", "changed_by_onec"])
    bulk_insert(OrderEvent, events)
    _follow_orders({c[0].order_id for c in changed}, user, who, source)
    publish_order_events([(part, old, new, source) for part, old, new in changed])
    return refused


def _event(order_id, part_id, user, who, source, old, new, note, when) -> dict:
    """One timeline row, as :func:`~b2b_cabinet.ordering.events.record_event` writes it."""
    return {"order": order_id, "part": part_id, "created_at": when, "actor": user.pk if user else None,
            "actor_repr": who, "source": str(source), "from_status": str(old or ""), "to_status": str(new),
            "note": note}


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
            events.append(_event(order.pk, None, user, who, source, order.status, new, "", timezone.now()))
            order.status, order.updated_at = OrderStatus(new), timezone.now()
            moved.append(order)
    if moved:
        bulk_set(moved, ["status", "updated_at"])
        bulk_insert(OrderEvent, events)
