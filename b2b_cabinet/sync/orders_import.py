"""1C's order documents → order parts: statuses, 1C numbers, lines, payments and shipments.

Every status change goes through the ordering use-case — here its batch form
:func:`~b2b_cabinet.ordering.bulk_status.set_part_statuses` with source ``1c`` — so 1C meets the
same transition map, timeline, stock release and notifications as staff and partners. 1C reports
where a part *is*; the shortest allowed path there is walked
(:func:`~b2b_cabinet.ordering.status_path`). 1C status ids are translated by the node's status
table (:class:`~b2b_cabinet.models.StatusMapping`); a portal status code is accepted as is.

Idempotent: a document whose ``НомерВерсии`` equals the one stored is skipped, status moves to
the current status are no-ops, and payments and shipments are recorded through the finance
module's idempotent ``record_payment``/``record_shipment`` (which publish their own events).
A node only touches its own parts: a document naming another node's part is refused with a
warning, never applied. Each document is applied in its own transaction, so one bad document
does not hold back the others (each runs in a savepoint of the file's transaction).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from b2b_cabinet.bulk_sql import bulk_set, rows_per_batch
from b2b_cabinet.exceptions import B2BCabinetError
from b2b_cabinet.gc_pause import paused_gc
from b2b_cabinet.models import EventSource, ExchangeNode, OrderPart, OrderStatus
from b2b_cabinet.sync.orders_export import node_parts
from b2b_cabinet.sync.orders_lines import apply_lines
from b2b_cabinet.sync.orders_xml import LinkedDocument, OrderDocument, read_order_documents

logger = logging.getLogger(__name__)
ONEC_FIELDS = ("onec_number", "onec_date", "onec_status", "onec_version", "onec_posted")


@dataclass
class OrdersImportResult:
    """Counts and warnings of one documents file, for the exchange answer and the logs."""

    documents: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: int = 0
    payments: int = 0
    shipments: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"документов {self.documents}, изменено {self.changed}, без изменений {self.unchanged}, "
                f"отклонено {self.refused}, оплат {self.payments}, отгрузок {self.shipments}")


def _aware(value: datetime | None) -> datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


class DocumentApplier:
    """Applies the documents of one file for one node (status table loaded once)."""

    def __init__(self, node: ExchangeNode):
        self.node = node
        self.mapping = {m.onec_status: m.status for m in node.status_mappings.all()}
        self.scope = node_parts(node)
        self.result = OrdersImportResult()
        self.numbers: dict[int, str] = {}
        try:
            from b2b_cabinet import finance
        except ImportError:
            finance = None
        self.finance = finance

    def find(self, doc: OrderDocument) -> OrderPart | None:
        # One indexed lookup per key, most likely first (an OR would defeat the indexes).
        keys = [Q(number=k) for k in dict.fromkeys((doc.number, doc.external_id)) if k]
        if doc.onec_number:
            keys.append(Q(onec_number=doc.onec_number))
        part = None
        locked = self.scope.select_for_update(of=("self",)).select_related("order__company")
        for key in keys:
            part = locked.filter(key).first()
            if part is not None:
                break
        if part is None:
            self.result.refused += 1
            exists = any(OrderPart.objects.filter(key).exists() for key in keys)
            self.result.warnings.append(
                f"{doc.number or doc.external_id}: " + ("the order part belongs to another exchange node; refused"
                                                       if exists else "no such order part on the portal"))
        return part

    def target_status(self, doc: OrderDocument, part: OrderPart) -> str | None:
        if doc.deletion_mark or doc.cancelled:
            return OrderStatus.CANCELLED
        if not doc.status_id:
            return None
        status = self.mapping.get(doc.status_id) or (doc.status_id if doc.status_id in OrderStatus.values else None)
        if status is None:
            self.result.warnings.append(
                f"{part.number}: 1C status {doc.status_id!r} is not in the status table of node {self.node}; "
                "add it in the admin (1C exchange → Status mappings)")
        return status

    def apply_chunk(self, docs: list[OrderDocument]) -> None:
        """Apply one batch of documents: parts locked and read in one query, written in one batch."""
        from b2b_cabinet.ordering.bulk_status import StatusMove, set_part_statuses

        self.result.documents += len(docs)
        # Locked here (in pk order, as set_part_statuses would) and handed to it: read once, and the
        # 1C fields set below are written in the same UPDATE as the status.
        known = {p.number: p for p in self.scope.select_for_update(of=("self",)).select_related("order__company")
                 .filter(number__in={d.number for d in docs if d.number}).order_by("pk")}
        moves, touched = [], []
        for doc in docs:
            part = known.get(doc.number) or self.find(doc)
            if part is None:
                continue
            if doc.version and doc.version == part.onec_version:
                self.result.unchanged += 1
                continue
            try:
                # A savepoint only where something is written here (lines, payments, shipments); a
                # status-only document changes attributes in memory, written with the batch.
                if doc.lines or doc.linked:
                    # The savepoint undoes the rows; the part's attributes set in memory are undone
                    # here, or a later document of the same part in this batch would write them.
                    saved = {name: getattr(part, name) for name in (*ONEC_FIELDS, "reserved", "total")}
                    try:
                        with transaction.atomic():
                            changed = self.apply_details(part, doc)
                    except B2BCabinetError:
                        for name, value in saved.items():
                            setattr(part, name, value)
                        raise
                else:
                    changed = self.apply_details(part, doc)
            except B2BCabinetError as exc:
                self.result.refused += 1
                self.result.warnings.append(f"{part.number}: {exc}")
                continue
            target = self.target_status(doc, part)
            if target and target != part.status:
                note = f"1C: {doc.status_id or target}" + (f" ({doc.onec_number})" if doc.onec_number else "")
                moves.append(StatusMove(part.pk, target, note))
            touched.append((part, changed))
        for part, changed in touched:
            if changed:
                part.changed_by_onec = True  # a change 1C made is not sent back to it
        refused = set_part_statuses(moves, source=EventSource.ONEC, parts={p.pk: p for p, _ in touched},
                                    extra_fields=ONEC_FIELDS) if moves else {}
        moved = {m.part_id for m in moves} - set(refused)
        for part_id, reason in refused.items():
            self.result.warnings.append(f"{self.numbers.get(part_id, part_id)}: 1C status {reason}; ignored")
        rest = {}
        for part, changed in touched:
            if changed or part.pk in moved:
                self.result.changed += 1
            else:
                self.result.unchanged += 1
            if part.pk not in moved:
                rest[part.pk] = part
        bulk_set(list(rest.values()), [*ONEC_FIELDS, "changed_by_onec"])

    def apply_details(self, part: OrderPart, doc: OrderDocument) -> bool:
        """1C's own fields, lines, payments and shipments of one document (statuses come in the batch)."""
        self.numbers[part.pk] = part.number
        values = {"onec_number": doc.onec_number or part.onec_number,
                  "onec_date": _aware(doc.onec_date) or part.onec_date,
                  "onec_status": doc.status_id or part.onec_status,
                  "onec_posted": part.onec_posted if doc.posted is None else doc.posted}
        changed = any(getattr(part, k) != v for k, v in values.items())
        for key, value in {**values, "onec_version": doc.version}.items():
            setattr(part, key, value)
        if doc.lines and part.status not in (OrderStatus.CANCELLED, OrderStatus.COMPLETED):
            lines_changed, warnings = apply_lines(part, doc.lines)
            self.result.warnings += warnings
            changed |= lines_changed
        for linked in doc.linked:
            changed |= self.record(part, linked)
        return changed

    def record(self, part: OrderPart, doc: LinkedDocument) -> bool:
        """A payment or shipment through the finance module (idempotent); True when it is new.

        The finance module publishes ``payment.received``/``shipment.created`` itself.
        """
        if doc.deleted:
            return False
        if self.finance is None:
            self.result.warnings.append(f"{part.number}: {doc.kind} {doc.number} not recorded: "
                                        "the finance module is not installed")
            return False
        from b2b_cabinet.finance.payments import dedup_key
        from b2b_cabinet.models import Payment, Shipment

        when = (_aware(doc.date) or timezone.now()).date()
        external_id = doc.external_id or f"{doc.kind}:{doc.number}"
        model = Payment if doc.kind == "payment" else Shipment
        if model.objects.filter(dedup_key=dedup_key("1c", external_id, doc.number, part.pk)).exists():
            return False
        if doc.kind == "payment":
            amount = doc.amount if doc.amount is not None else part.total
            if amount <= 0:
                return False
            self.finance.record_payment(order_part=part, number=doc.number, date=when, amount=amount,
                                        source="1c", external_id=external_id, node=self.node)
            self.result.payments += 1
        else:
            self.finance.record_shipment(order_part=part, number=doc.number, date=when, amount=doc.amount,
                                         lines=_shipment_lines(doc), warehouse=part.warehouse, source="1c",
                                         external_id=external_id, node=self.node)
            self.result.shipments += 1
        return True


def _shipment_lines(doc: LinkedDocument) -> list[tuple]:
    """``(product, quantity, unit price)`` of the shipped lines whose products the catalogue knows."""
    from b2b_cabinet.models import Product, ProductVariant

    rows = []
    for line in doc.lines:
        if not line.quantity:
            continue
        variant = ProductVariant.objects.select_related("product").filter(external_id=line.product_id).first()
        product = variant.product if variant else Product.objects.filter(external_id=line.product_id).first()
        if product is not None:
            rows.append((product, line.quantity, line.price or 0))
    return rows


def import_order_documents(node: ExchangeNode, path) -> OrdersImportResult:
    """Apply every order document of the file at ``path`` for ``node``; returns counts and warnings.

    The file is applied in one transaction, each document in a savepoint of it: one commit (not
    10,000 fsyncs), notifications queued in a few batches after it, and a malformed file (which
    the reader only discovers where it breaks) changes nothing at all. The cyclic garbage
    collector is paused meanwhile (:mod:`b2b_cabinet.gc_pause`).
    """
    applier = DocumentApplier(node)
    with paused_gc(), transaction.atomic():
        size = rows_per_batch()
        chunk: list[OrderDocument] = []
        for doc in read_order_documents(path):
            chunk.append(doc)
            if len(chunk) >= size:
                applier.apply_chunk(chunk)
                chunk = []
        if chunk:
            applier.apply_chunk(chunk)
    for warning in applier.result.warnings[:50]:
        logger.warning("1C orders import, node %s: %s", node.pk, warning)
    return applier.result
