"""``record_shipment``: goods shipped to the buyer (реализация), usually reported by 1C.

Idempotent like payments: ``source``, 1C Ид (or number) and order part identify a shipment. Lines
are ``(product, quantity, unit_price)``; the amount defaults to their sum. When the contract bills
on shipment the ledger is debited, due ``payment_terms_days`` after the shipment date.
``shipment.created`` is written to the notification outbox in the same transaction.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from b2b_cabinet.exceptions import FinanceError
from b2b_cabinet.models import LedgerKind, OrderPart, Payment, Shipment, ShipmentLine

from . import ledger
from .notify import SHIPMENT_CREATED, publish_event
from .payments import dedup_key

CENT = Decimal("0.01")


def record_shipment(*, order_part: OrderPart, number: str, date: datetime.date, amount: Decimal | None = None,
                    lines=(), warehouse=None, source: str = "1c", external_id: str = "", node=None) -> Shipment:
    """Record a shipment of ``order_part``; see the module doc. Returns the existing record on a repeat."""
    if source not in Payment.Source.values:
        raise FinanceError(f"Unknown shipment source {source!r}.")
    key = dedup_key(source, external_id, number, order_part.pk)
    existing = Shipment.objects.filter(dedup_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _record(order_part, number, date, amount, list(lines), warehouse, source, external_id, node, key)
    except IntegrityError:
        existing = Shipment.objects.filter(dedup_key=key).first()
        if existing is None:
            raise
        return existing


def _record(part, number, date, amount, lines, warehouse, source, external_id, node, key) -> Shipment:
    part = OrderPart.objects.select_related("order__company", "order__contract", "warehouse").get(pk=part.pk)
    order, contract = part.order, part.order.contract
    rows = []
    for product, quantity, unit_price in lines:
        quantity, unit_price = Decimal(quantity), Decimal(unit_price or 0)
        total = (quantity * unit_price).quantize(CENT, ROUND_HALF_UP)
        rows.append(ShipmentLine(product=product, sku=getattr(product, "sku", "") or "",
                                 name=str(getattr(product, "name", product))[:500], quantity=quantity,
                                 unit_price=unit_price, line_total=total))
    if amount is None:
        amount = sum((r.line_total for r in rows), Decimal("0.00")) if rows else part.total
    amount = Decimal(amount)
    if amount < 0:
        raise FinanceError(_("A shipment cannot have a negative amount."))
    shipment = Shipment.objects.create(
        company=order.company, contract=contract, order=order, order_part=part, number=number[:60], date=date,
        warehouse=warehouse or part.warehouse, amount=amount, currency=order.currency, source=source,
        external_id=external_id or "", dedup_key=key, node=node,
    )
    for row in rows:
        row.shipment = shipment
    ShipmentLine.objects.bulk_create(rows)
    if ledger.debit_basis(contract) == "shipment":
        terms = contract.payment_terms_days if contract else 0
        ledger.post(company=order.company, contract=contract, date=date, kind=LedgerKind.SHIPMENT,
                    document=ledger.in_document_language(gettext_noop("Shipment %(number)s"), number=number),
                    debit=amount,
                    due_date=date + datetime.timedelta(days=terms), shipment=shipment)
    publish_event(SHIPMENT_CREATED, object_id=shipment.pk, number=shipment.number, amount=amount,
                  company_id=order.company_id, order=order)
    return shipment
