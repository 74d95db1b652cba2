"""Order parts → the ``sale/query`` answer of one exchange node.

Which parts a node gets: those routed to it at checkout (``OrderPart.exchange_node``), plus parts
without a node whose producer or warehouse the node owns. Of those, the ones the portal changed
at or after the node's confirmed watermark, except parts whose last change came from 1C itself
(sending 1C its own change back invites ping-pong, PROTOCOL §5 pitfall 22).

The watermark of an answer is the time taken *before* reading the parts: a part changed while
the answer is being built has a later ``changed_at`` and is sent again next time, never lost.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from b2b_cabinet.models import (
    DeliveryMethod,
    ExchangeNode,
    OrderLine,
    OrderPart,
    OrderStatus,
    Producer,
    Product,
    ProductVariant,
    Warehouse,
)
from b2b_cabinet.sync.orders_xml import ContractorOut, OrderLineOut, OrderOut, write_orders, write_reference
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


LINE_FIELDS = ("part_id", "product_id", "variant_id", "name", "sku", "quantity", "unit_price", "line_total",
               "vat_rate")


class Goods:
    """The 1C Ид and unit of every product and variant the answer's lines name, read once.

    Lines repeat the same few thousand products; joining product and unit onto every line (or
    building a model instance per line) cost more than writing the XML.
    """

    def __init__(self, product_ids: set[int], variant_ids: set[int]):
        self.products: dict[int, tuple] = {}
        for product in Product.objects.filter(pk__in=product_ids).select_related("unit"):
            unit = product.unit
            self.products[product.pk] = (
                product.external_id or f"b2b-{product.pk}", (unit.code if unit else "") or "796",
                (unit.name if unit else "") or "шт", (unit.full_name if unit else "") or "Штука",
                (unit.intl_abbr if unit else "") or ("PCE" if not unit or unit.code == "796" else ""),
            )
        self.variants = dict(ProductVariant.objects.filter(pk__in=variant_ids).exclude(external_id=None)
                             .exclude(external_id="").values_list("pk", "external_id"))

    def line(self, line, position: int) -> OrderLineOut:
        """One goods line (``line`` is a row of ``LINE_FIELDS``)."""
        product_id, unit_code, unit_name, unit_full, unit_intl = self.products[line.product_id]
        return OrderLineOut(
            product_id=self.variants.get(line.variant_id) or product_id, name=line.name, quantity=line.quantity,
            price=line.unit_price, total=line.line_total, sku=line.sku, vat_rate=line.vat_rate, position=position,
            unit_code=unit_code, unit_name=unit_name, unit_full_name=unit_full, unit_intl=unit_intl,
        )


def lines_of(part_ids: list[int]) -> dict[int, list]:
    """The parts' lines as light rows, grouped by part, in their order."""
    grouped: dict[int, list] = {}
    for start in range(0, len(part_ids), 900):
        rows = (OrderLine.objects.filter(part_id__in=part_ids[start:start + 900]).order_by("pk")
                .values_list(*LINE_FIELDS, named=True))
        for row in rows:
            grouped.setdefault(row.part_id, []).append(row)
    return grouped


def linked_documents(parts: list[OrderPart], node: ExchangeNode | None = None) -> dict[int, tuple[LinkedOut, ...]]:
    """Each part's invoices, payments and shipments (2.10 ``ПодчиненныеДокументы``), in a few queries.

    Invoices are the part's own or its whole order's (not cancelled); payments and shipments are
    those recorded for the part (shipments not cancelled). A document that came from 1C carries
    1C's Ид, so 1C recognises its own payment or shipment. A whole-order invoice bills every part's
    goods, so it goes only where the whole order does: to ``node`` when all the order's parts are
    the node's (without a node, when the order has one part); another base must not receive it.
    """
    from b2b_cabinet.models import Invoice, InvoiceStatus, Payment, Shipment, ShipmentStatus

    found: dict[int, list[LinkedOut]] = {part.pk: [] for part in parts}
    by_order: dict[int, list[int]] = {}
    for part in parts:
        by_order.setdefault(part.order_id, []).append(part.pk)
    invoices = []
    for ids in _chunks(list(found)):
        invoices += Invoice.objects.exclude(status=InvoiceStatus.CANCELLED).filter(part_id__in=ids)
    whole = []
    for ids in _chunks(list(by_order)):
        all_parts = Counter(OrderPart.objects.filter(order_id__in=ids).values_list("order_id", flat=True))
        mine = (Counter(node_parts(node).filter(order_id__in=ids).values_list("order_id", flat=True))
                if node is not None else Counter({order_id: 1 for order_id in ids}))
        whole += [order_id for order_id in ids if all_parts[order_id] == mine[order_id]]
    for ids in _chunks(whole):
        invoices += Invoice.objects.exclude(status=InvoiceStatus.CANCELLED).filter(order_id__in=ids, part__isnull=True)
    for invoice in sorted(invoices, key=lambda i: (i.issued_on, i.pk)):
        doc = LinkedOut(kind="invoice", external_id=invoice.external_id or invoice.number, number=invoice.number,
                        date=invoice.issued_on, amount=invoice.total, currency=invoice.currency,
                        due_date=invoice.due_date)
        for pk in [invoice.part_id] if invoice.part_id else by_order[invoice.order_id]:
            found[pk].append(doc)
    for ids in _chunks(list(found)):
        for payment in Payment.objects.filter(order_part_id__in=ids).order_by("date", "pk"):
            found[payment.order_part_id].append(LinkedOut(
                kind="payment", external_id=payment.external_id or f"b2b-payment-{payment.pk}", number=payment.number,
                date=payment.date, amount=payment.amount, currency=payment.currency,
                requisites=(*_onec_number(payment), ("Оплачено", "true"))))
        shipments = (Shipment.objects.filter(order_part_id__in=ids).exclude(status=ShipmentStatus.CANCELLED)
                     .order_by("date", "pk"))
        for shipment in shipments:
            found[shipment.order_part_id].append(LinkedOut(
                kind="shipment", external_id=shipment.external_id or f"b2b-shipment-{shipment.pk}",
                number=shipment.number, date=shipment.date, amount=shipment.amount, currency=shipment.currency,
                requisites=(*_onec_number(shipment), ("Отгружено", "true"))))
    order = {"invoice": 0, "payment": 1, "shipment": 2}
    return {pk: tuple(sorted(docs, key=lambda d: order[d.kind])) for pk, docs in found.items() if docs}


def _chunks(ids: list[int], size: int = 900):
    return (ids[start:start + size] for start in range(0, len(ids), size))


def _onec_number(record) -> tuple[tuple[str, str], ...]:
    # 1C-Bitrix's requisite for the number a document has in 1C (only known for 1C's own documents).
    return (("Номер1С", record.number),) if record.source == "1c" else ()


@lru_cache(maxsize=256)
def _cached_label(choice, language: str | None) -> str:
    return str(choice.label)


def _label(choice) -> str:
    """A choice's label in the active language, translated once per answer rather than per part."""
    return _cached_label(choice, get_language())


def order_out(part: OrderPart, status_ids: dict[str, tuple[str, str]], *, lines: list | None = None,
              goods: Goods | None = None, with_linked: bool = False,
              linked: tuple[LinkedOut, ...] | None = None) -> OrderOut:
    """One part as the record the writer turns into a ``Документ``.

    ``lines``, ``goods`` and ``linked`` come from :func:`lines_of`, :class:`Goods` and
    :func:`linked_documents` when many parts are written at once; for a single part they are read
    here (``linked`` only ``with_linked``, for 2.10).
    """
    if linked is None:
        linked = linked_documents([part]).get(part.pk, ()) if with_linked else ()
    order = part.order
    status = OrderStatus(part.status)
    onec_id, onec_name = status_ids.get(status, (str(status), ""))
    if lines is None:
        lines = lines_of([part.pk]).get(part.pk, [])
    if goods is None:
        goods = Goods({row.product_id for row in lines}, {row.variant_id for row in lines if row.variant_id})
    changed = timezone.localtime(part.changed_at)
    requisites = [
        ("Номер заказа на сайте", order.number),
        ("Статус заказа", f"[{onec_id}] {onec_name or _label(status)}"),
        ("Статуса заказа ИД", onec_id),
        ("Дата изменения статуса", changed.strftime("%d.%m.%Y %H:%M:%S")),
        ("Отменен", "true" if status == OrderStatus.CANCELLED else "false"),
        ("Финальный статус", "true" if status in FINAL else "false"),
        ("Способ доставки", _label(DeliveryMethod(order.delivery_method))),
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
        lines=tuple(goods.line(line, i) for i, line in enumerate(lines, start=1)),
        comment=order.comment, requisites=tuple(requisites),
        warehouse=(warehouse.external_id or f"b2b-{warehouse.pk}", warehouse.name) if warehouse else None,
        linked=linked,
    )


def build_answer(node: ExchangeNode, *, version: str, encoding: str | None = None,
                 now: datetime | None = None) -> QueryAnswer:
    """The query answer for ``node`` in ``version`` and the watermark ``success`` will commit."""
    watermark = now or timezone.now()
    parts = list(
        parts_to_export(node).filter(changed_at__lte=watermark)
        .select_related("order__company", "order__legal_entity", "warehouse")
    )
    lines = lines_of([part.pk for part in parts])
    rows = [row for part_rows in lines.values() for row in part_rows]
    goods = Goods({row.product_id for row in rows}, {row.variant_id for row in rows if row.variant_id})
    status_ids = _status_ids(node)
    linked = linked_documents(parts, node) if subordinate_documents(version) else {}
    body = write_orders(
        (order_out(part, status_ids, lines=lines.get(part.pk, []), goods=goods, linked=linked.get(part.pk, ()))
         for part in parts),
        version=version, generated_at=timezone.localtime(watermark).replace(tzinfo=None),
        encoding=encoding or node.query_encoding or "windows-1251",
    )
    return QueryAnswer(body=body, watermark=watermark, part_ids=[p.pk for p in parts])


def reference_answer(node: ExchangeNode, *, encoding: str | None = None) -> bytes:
    """The ``sale/info`` answer: each portal status under the id and name ``query`` sends for it.

    The delivery services are the portal's delivery methods; there are no payment systems to list
    (orders carry no payment method: invoices are paid by bank transfer or online, both recorded
    as payments).
    """
    status_ids = _status_ids(node)
    statuses, seen = [], set()
    for status in OrderStatus:
        onec_id, onec_name = status_ids.get(status, (str(status), ""))
        if onec_id not in seen:
            seen.add(onec_id)
            statuses.append((onec_id, onec_name or _label(status)))
    return write_reference(statuses=statuses, delivery_services=[(str(m), _label(m)) for m in DeliveryMethod],
                           encoding=encoding or node.query_encoding or "windows-1251")


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


