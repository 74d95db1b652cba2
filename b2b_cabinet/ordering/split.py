"""Splitting an order's lines into parts by (warehouse, producer), each with its producer's 1C node.

A part ships from one warehouse and belongs to one producer, so each producer's 1C base receives
only its own parts (see ``docs/cabinet.md``). The part's exchange node is the active node that
lists the part's producer (``ExchangeNode.producers``); failing that, one that lists its warehouse
(``ExchangeNode.warehouses``); failing that, none (the single-base set-up: the one node takes all).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from b2b_cabinet.models import ExchangeNode, Producer, Warehouse


@dataclass
class PartPlan:
    """The lines (any objects with ``product`` and ``warehouse``) of one future order part."""

    warehouse: Warehouse | None
    producer: Producer | None
    lines: list = field(default_factory=list)
    node: ExchangeNode | None = None


def producer_of(line) -> Producer | None:
    """A line's producer: the product's, else its warehouse's (warehouses may stand for one producer)."""
    product = line.product
    if product.producer_id:
        return product.producer
    return line.warehouse.producer if line.warehouse is not None and line.warehouse.producer_id else None


def node_map() -> tuple[dict[int, ExchangeNode], dict[int, ExchangeNode]]:
    """``({producer_id: node}, {warehouse_id: node})`` for active nodes, in two queries."""
    by_producer, by_warehouse = {}, {}
    nodes = ExchangeNode.objects.filter(is_active=True).prefetch_related("producers", "warehouses").order_by("pk")
    for node in nodes:
        for producer in node.producers.all():
            by_producer.setdefault(producer.pk, node)
        for warehouse in node.warehouses.all():
            by_warehouse.setdefault(warehouse.pk, node)
    return by_producer, by_warehouse


def split_lines(lines) -> list[PartPlan]:
    """Group lines by (warehouse, producer), in a stable order (warehouse position, producer name)."""
    groups: dict[tuple, PartPlan] = {}
    for line in lines:
        producer = producer_of(line)
        key = (line.warehouse.pk if line.warehouse else None, producer.pk if producer else None)
        if key not in groups:
            groups[key] = PartPlan(line.warehouse, producer)
        groups[key].lines.append(line)
    by_producer, by_warehouse = node_map()
    plans = list(groups.values())
    for plan in plans:
        node = by_producer.get(plan.producer.pk) if plan.producer else None
        if node is None and plan.warehouse is not None:
            node = by_warehouse.get(plan.warehouse.pk)
        plan.node = node
    plans.sort(key=lambda p: (
        (p.warehouse.position, p.warehouse.name, p.warehouse.pk) if p.warehouse else (1 << 30, "", 0),
        (p.producer.name, p.producer.pk) if p.producer else ("\uffff", 0),
    ))
    return plans


def group_counts(plans: list[PartPlan]) -> dict[int | None, int]:
    """How many parts go to each exchange node id (None for "no node"), for messages and tests."""
    counts: dict[int | None, int] = defaultdict(int)
    for plan in plans:
        counts[plan.node.pk if plan.node else None] += 1
    return dict(counts)
