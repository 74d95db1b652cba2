"""``record_payment``: money received from the buyer, from 1C, online or entered by staff.

Idempotent: a payment is identified by ``source``, its 1C Ид (or its number when 1C sends none) and
the order part; recording it again returns the first record unchanged. The money is applied to the
part's open invoices, oldest first (or to ``invoice`` first when given, as online payments do),
marking them paid or partly paid; anything left over stays on the ledger as a prepayment. The
ledger gets a credit entry and ``payment.received`` is written to the notification outbox in the
same transaction (delivered after commit).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from b2b_cabinet.exceptions import FinanceError
from b2b_cabinet.models import Invoice, InvoiceStatus, LedgerKind, OrderPart, Payment, PaymentAllocation

from . import ledger
from .invoices import invoices_for_part
from .notify import PAYMENT_RECEIVED, publish_event


def dedup_key(source: str, external_id: str, number: str, part_id: int | None) -> str:
    """The identity of a 1C document across repeated imports."""
    return f"{source}:{external_id or number}:{part_id or ''}"[:300]


def settle(invoice: Invoice, amount: Decimal) -> Decimal:
    """Apply up to ``amount`` to ``invoice`` (locked by the caller); returns how much was applied."""
    applied = min(amount, invoice.outstanding)
    if applied <= 0:
        return Decimal("0.00")
    invoice.paid_amount += applied
    invoice.status = InvoiceStatus.PAID if invoice.paid_amount >= invoice.total else InvoiceStatus.PARTLY_PAID
    invoice.save(update_fields=["paid_amount", "status", "updated_at"])
    return applied


def record_payment(*, order_part: OrderPart | None, number: str, date: datetime.date, amount: Decimal, source: str,
                   external_id: str = "", node=None, invoice: Invoice | None = None, company=None,
                   contract=None) -> Payment:
    """Record a payment for ``order_part`` (or for ``invoice``/``company`` when no part); see the module doc."""
    amount = Decimal(amount)
    if amount <= 0:
        raise FinanceError(_("A payment must be a positive amount."))
    if source not in Payment.Source.values:
        raise FinanceError(f"Unknown payment source {source!r}.")
    if order_part is None and invoice is None and company is None:
        raise FinanceError("record_payment needs an order part, an invoice or a company.")
    key = dedup_key(source, external_id, number, order_part.pk if order_part else None)
    existing = Payment.objects.filter(dedup_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _record(order_part, number, date, amount, source, external_id, node, invoice, company,
                           contract, key)
    except IntegrityError:  # the same document recorded concurrently: the other one won
        existing = Payment.objects.filter(dedup_key=key).first()
        if existing is None:
            raise
        return existing


def _record(part, number, date, amount, source, external_id, node, invoice, company, contract, key) -> Payment:
    if part is not None:
        part = OrderPart.objects.select_related("order__company", "order__contract").get(pk=part.pk)
        company, contract = part.order.company, contract or part.order.contract
    elif invoice is not None:
        company, contract = invoice.company, contract or invoice.contract
    payment = Payment.objects.create(
        company=company, contract=contract, order_part=part, invoice=invoice, number=number[:60], date=date,
        amount=amount, currency=(invoice.currency if invoice else "RUB"), source=source,
        external_id=external_id or "", dedup_key=key, node=node,
    )
    targets = []
    if invoice is not None:
        targets.append(invoice.pk)
    if part is not None:
        targets += [pk for pk in invoices_for_part(part).values_list("pk", flat=True) if pk not in targets]
    left = amount
    locked = {i.pk: i for i in Invoice.objects.select_for_update().filter(pk__in=targets).order_by("pk")}
    for pk in targets:
        applied = settle(locked[pk], left)
        if applied:
            PaymentAllocation.objects.create(payment=payment, invoice=locked[pk], amount=applied)
            left -= applied
            payment.invoice = payment.invoice or locked[pk]
    if payment.invoice_id:
        payment.save(update_fields=["invoice"])
    ledger.post(company=company, contract=contract, date=date, kind=LedgerKind.PAYMENT,
                document=ledger.in_document_language(gettext_noop("Payment %(number)s"), number=number),
                credit=amount, payment=payment)
    order = part.order if part is not None else (invoice.order if invoice is not None and invoice.order_id else None)
    publish_event(PAYMENT_RECEIVED, object_id=payment.pk, number=payment.number, amount=amount, company_id=company.pk,
                  order=order, invoice_id=payment.invoice_id)
    return payment
