"""1C's order documents → order parts: statuses, 1C numbers, lines, payments and shipments.

Every status change goes through :func:`~b2b_cabinet.ordering.set_order_status` with source
``1c``, so 1C meets the same transition map, timeline and notifications as staff and partners.
1C reports where a part *is*; the shortest allowed path there is walked
(:func:`~b2b_cabinet.ordering.status_path`). 1C status ids are translated by the node's status
table (:class:`~b2b_cabinet.models.StatusMapping`); a portal status code is accepted as is.

Idempotent: a document whose ``НомерВерсии`` equals the one stored is skipped, status moves to
the current status are no-ops, and payments and shipments are recorded through the finance
module's idempotent ``record_payment``/``record_shipment`` (which publish their own events).
A node only touches its own parts: a document naming another node's part is refused with a
warning, never applied. Each document is applied in its own transaction, so one bad document
does not hold back the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from b2b_cabinet.exceptions import B2BCabinetError
from b2b_cabinet.models import EventSource, ExchangeNode, OrderPart, OrderStatus
from b2b_cabinet.sync.orders_export import node_parts
from b2b_cabinet.sync.orders_lines import apply_lines
from b2b_cabinet.sync.orders_xml import LinkedDocument, OrderDocument, read_order_documents

logger = logging.getLogger(__name__)


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
        try:
            from b2b_cabinet import finance
        except ImportError:
            finance = None
        self.finance = finance

    def find(self, doc: OrderDocument) -> OrderPart | None:
        keys = Q(number=doc.number) if doc.number else Q(pk__in=[])
        if doc.external_id:
            keys |= Q(number=doc.external_id)
        if doc.onec_number:
            keys |= Q(onec_number=doc.onec_number)
        part = self.scope.filter(keys).select_related("order").first()
        if part is None:
            self.result.refused += 1
            exists = OrderPart.objects.filter(keys).exists()
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

    def move(self, part: OrderPart, target: str, doc: OrderDocument) -> bool:
        from b2b_cabinet.ordering import set_order_status, status_path

        path = status_path(part.status, target)
        if part.status != target and not path:
            self.result.warnings.append(f"{part.number}: 1C status {target} cannot follow {part.status}; ignored")
            return False
        note = f"1C: {doc.status_id or target}" + (f" ({doc.onec_number})" if doc.onec_number else "")
        for step in path:
            set_order_status(part, step, actor=None, source=EventSource.ONEC, note=note)
        return bool(path)

    def apply(self, doc: OrderDocument) -> None:
        self.result.documents += 1
        part = self.find(doc)
        if part is None:
            return
        if doc.version and doc.version == part.onec_version:
            self.result.unchanged += 1
            return
        try:
            with transaction.atomic():
                changed = self._apply(part, doc)
        except B2BCabinetError as exc:
            self.result.refused += 1
            self.result.warnings.append(f"{part.number}: {exc}")
            return
        if changed:
            self.result.changed += 1
        else:
            self.result.unchanged += 1

    def _apply(self, part: OrderPart, doc: OrderDocument) -> bool:
        part = OrderPart.objects.select_for_update().select_related("order").get(pk=part.pk)
        fields = {"onec_number": doc.onec_number or part.onec_number, "onec_date": _aware(doc.onec_date) or
                  part.onec_date, "onec_status": doc.status_id or part.onec_status, "onec_version": doc.version,
                  "onec_posted": part.onec_posted if doc.posted is None else doc.posted}
        changed = any(getattr(part, k) != v for k, v in fields.items() if k != "onec_version")
        if doc.lines is not None and doc.lines and part.status not in (OrderStatus.CANCELLED, OrderStatus.COMPLETED):
            lines_changed, warnings = apply_lines(part, doc.lines)
            self.result.warnings += warnings
            changed |= lines_changed
        target = self.target_status(doc, part)
        if target and target != part.status:
            changed |= self.move(part, target, doc)
        for linked in doc.linked:
            changed |= self.record(part, linked)
        # A change 1C made is not sent back to it (but a later portal change will be).
        OrderPart.objects.filter(pk=part.pk).update(**fields, **({"changed_by_onec": True} if changed else {}))
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
    """Apply every order document of the file at ``path`` for ``node``; returns counts and warnings."""
    applier = DocumentApplier(node)
    for doc in read_order_documents(path):
        applier.apply(doc)
    for warning in applier.result.warnings[:50]:
        logger.warning("1C orders import, node %s: %s", node.pk, warning)
    return applier.result
