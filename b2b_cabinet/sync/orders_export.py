"""Order parts → the ``sale/query`` answer of one exchange node.

Which parts a node gets: those routed to it at checkout (``OrderPart.exchange_node``), plus parts
without a node whose producer or warehouse the node owns. Of those, the ones the portal changed
at or after the node's confirmed watermark, except parts whose last change came from 1C itself
(sending 1C its own change back invites ping-pong, PROTOCOL §5 pitfall 22).

The watermark of an answer is the time taken *before* reading the parts: a part changed while
the answer is being built has a later ``changed_at`` and is sent again next time, never lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from b2b_cabinet.models import ExchangeNode, OrderLine, OrderPart, OrderStatus, Producer, Warehouse
from b2b_cabinet.sync.orders_xml import ContractorOut, OrderLineOut, OrderOut, write_orders
from b2b_cabinet.sync.orders_xml.records import LinkedOut
from b2b_cabinet.sync.orders_xml.versions import subordinate_documents

FINAL = {OrderStatus.COMPLETED, OrderStatus.CANCELLED}


@dataclass(frozen=True)
class QueryAnswer:
    """What ``query`` sends and what ``success`` will commit."""

    body: bytes
    watermark: datetime
    part_ids: list[int]


def node_parts(node: ExchangeNode) -> QuerySet[OrderPart]:
    """Every order part that belongs to ``node`` (routed to it, or its producer's or warehouse's).

    A node that owns no producer and no warehouse is the catch-all of a single-base set-up (as in
    ``ordering.split``): it also gets unrouted parts whose producer and warehouse no node owns.
    """
    if node.producers.exists() or node.warehouses.exists():
        unrouted = Q(producer__in=node.producers.all()) | Q(warehouse__in=node.warehouses.all())
    else:
        others = ExchangeNode.objects.exclude(pk=node.pk)
        unrouted = ~Q(producer__in=Producer.objects.filter(nodes__in=others)) & \
            ~Q(warehouse__in=Warehouse.objects.filter(nodes__in=others))
    return OrderPart.objects.filter(Q(exchange_node=node) | (Q(exchange_node__isnull=True) & unrouted))


def parts_to_export(node: ExchangeNode) -> QuerySet[OrderPart]:
    """The node's parts changed on the portal since its last confirmed export."""
    parts = node_parts(node).filter(changed_by_onec=False)
    if node.sale_watermark is not None:
        parts = parts.filter(changed_at__gte=node.sale_watermark)
    return parts.order_by("changed_at", "pk")


def _status_ids(node: ExchangeNode) -> dict[str, tuple[str, str]]:
    ids: dict[str, tuple[str, str]] = {}
    for mapping in node.status_mappings.filter(use_for_export=True).order_by("pk"):
        ids.setdefault(mapping.status, (mapping.onec_status, mapping.onec_name))
    return ids


def _contractor(order) -> ContractorOut:
    company, entity = order.company, order.legal_entity
    if entity is not None:
        return ContractorOut(
            external_id=entity.external_id or company.external_id or f"b2b-{company.pk}-{entity.inn}",
            name=entity.name, full_name=entity.name, inn=entity.inn, kpp=entity.kpp,
            address=entity.address,
        )
    return ContractorOut(external_id=company.external_id or f"b2b-{company.pk}", name=company.name)


def _line(line: OrderLine, position: int) -> OrderLineOut:
    product, variant = line.product, line.variant
    product_id = (variant.external_id if variant is not None and variant.external_id else "") \
        or product.external_id or f"b2b-{product.pk}"
    unit = product.unit
    return OrderLineOut(
        product_id=product_id, name=line.name, quantity=line.quantity, price=line.unit_price,
        total=line.line_total, sku=line.sku, vat_rate=line.vat_rate, position=position,
        unit_code=(unit.code if unit else "") or "796", unit_name=(unit.name if unit else "") or "шт",
        unit_full_name=(unit.full_name if unit else "") or "Штука",
        unit_intl=(unit.intl_abbr if unit else "") or ("PCE" if not unit or unit.code == "796" else ""),
    )


def _invoices(part: OrderPart) -> tuple[LinkedOut, ...]:
    """Invoices of the part from the finance module, when it is installed (sent in 2.10)."""
    try:
        from b2b_cabinet.finance import invoices_for_part
    except ImportError:
        return ()
    return tuple(
        LinkedOut(kind="invoice", external_id=str(getattr(inv, "external_id", "") or inv.number),
                  number=inv.number, date=getattr(inv, "date", None) or getattr(inv, "issued_at", None),
                  amount=getattr(inv, "amount", None) or getattr(inv, "total", None))
        for inv in invoices_for_part(part)
    )


def order_out(part: OrderPart, status_ids: dict[str, tuple[str, str]], *, with_linked: bool = False) -> OrderOut:
    """One part as the record the writer turns into a ``Документ``."""
    order = part.order
    status = OrderStatus(part.status)
    onec_id, onec_name = status_ids.get(status, (str(status), ""))
    changed = timezone.localtime(part.changed_at)
    requisites = [
        ("Номер заказа на сайте", order.number),
        ("Статус заказа", f"[{onec_id}] {onec_name or status.label}"),
        ("Статуса заказа ИД", onec_id),
        ("Дата изменения статуса", changed.strftime("%d.%m.%Y %H:%M:%S")),
        ("Отменен", "true" if status == OrderStatus.CANCELLED else "false"),
        ("Финальный статус", "true" if status in FINAL else "false"),
        ("Способ доставки", order.get_delivery_method_display()),
    ]
    if order.delivery_address:
        requisites.append(("Адрес доставки", order.delivery_address))
    if part.ship_date:
        requisites.append(("Дата отгрузки", part.ship_date.strftime("%Y-%m-%d")))
    if order.po_number:
        requisites.append(("Номер заказа покупателя", order.po_number))
    if order.comment:
        requisites.append(("Комментарии покупателя", order.comment))
    warehouse = part.warehouse
    return OrderOut(
        external_id=part.number, number=part.number, created_at=timezone.localtime(order.created_at),
        currency=order.currency, total=part.total, contractor=_contractor(order),
        lines=tuple(_line(line, i) for i, line in enumerate(part.lines.all(), start=1)),
        comment=order.comment, requisites=tuple(requisites),
        warehouse=(warehouse.external_id or f"b2b-{warehouse.pk}", warehouse.name) if warehouse else None,
        linked=_invoices(part) if with_linked else (),
    )


def build_answer(node: ExchangeNode, *, version: str, encoding: str | None = None,
                 now: datetime | None = None) -> QueryAnswer:
    """The query answer for ``node`` in ``version`` and the watermark ``success`` will commit."""
    watermark = now or timezone.now()
    lines = OrderLine.objects.select_related("product__unit", "variant").order_by("pk")
    parts = list(
        parts_to_export(node).filter(changed_at__lte=watermark)
        .select_related("order__company", "order__legal_entity", "warehouse")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )
    status_ids = _status_ids(node)
    linked = subordinate_documents(version)
    body = write_orders(
        (order_out(part, status_ids, with_linked=linked) for part in parts),
        version=version, generated_at=timezone.localtime(watermark).replace(tzinfo=None),
        encoding=encoding or node.query_encoding or "windows-1251",
    )
    return QueryAnswer(body=body, watermark=watermark, part_ids=[p.pk for p in parts])


def commit_export(node: ExchangeNode, watermark: datetime, part_ids: list[int]) -> int:
    """``success``: move the node's watermark forward (never back) and stamp the parts sent."""
    now = timezone.now()
    ExchangeNode.objects.filter(pk=node.pk).filter(
        Q(sale_watermark__isnull=True) | Q(sale_watermark__lt=watermark)
    ).update(sale_watermark=watermark)
    ExchangeNode.objects.filter(pk=node.pk).update(sale_confirmed_at=now)
    stamped = 0
    for start in range(0, len(part_ids), 500):
        stamped += OrderPart.objects.filter(pk__in=part_ids[start:start + 500]).update(exported_at=now)
    return stamped


