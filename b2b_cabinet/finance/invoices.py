"""``issue_invoice``: the buyer makes out a счёт на оплату for an order or one order part.

The invoice copies the order's lines, the seller's requisites (site settings) and the buyer's legal
entity, takes a number from the seller's counter, sets the due date from the contract's payment
terms, debits the ledger when the contract bills on invoices, and writes ``invoice.issued`` to the
notification outbox in the same transaction.
Issuing again for the same order or part returns the invoice already issued.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override
from wagtail.models import Site

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import FinanceError
from b2b_cabinet.models import (
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LedgerKind,
    Order,
    OrderPart,
    OrderStatus,
    SellerRequisites,
)
from b2b_cabinet.ordering.actors import as_actor

from . import ledger
from .notify import INVOICE_ISSUED, publish_event
from .numbers import next_document_number

CENT = Decimal("0.01")
SELLER_FIELDS = ("name", "inn", "kpp", "ogrn", "address", "phone", "email", "bank_name", "bic",
                 "correspondent_account", "settlement_account", "director", "chief_accountant")


def seller_requisites(site: Site | None = None) -> dict[str, str]:
    """The seller's requisites from the site settings (the default site's when ``site`` is None)."""
    site = site or Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return dict.fromkeys(SELLER_FIELDS, "")
    settings = SellerRequisites.for_site(site)
    return {name: getattr(settings, name) or "" for name in SELLER_FIELDS}


def buyer_requisites(order: Order) -> dict[str, str]:
    """The buyer's legal entity as printed on the invoice."""
    entity = order.legal_entity or order.company.legal_entities.order_by("-is_default", "pk").first()
    if entity is None:
        return {"name": order.company.name, "inn": "", "kpp": "", "address": ""}
    return {"name": entity.name, "inn": entity.inn, "kpp": entity.kpp, "address": entity.address}


def vat_of(amount: Decimal, rate: Decimal | None, included: bool) -> Decimal:
    """VAT in ``amount`` at ``rate`` %: extracted when prices include it, added on top otherwise."""
    if not rate:
        return Decimal("0.00")
    share = amount * rate / (100 + rate) if included else amount * rate / 100
    return share.quantize(CENT, ROUND_HALF_UP)


def invoices_for_part(part: OrderPart):
    """Live invoices covering ``part``: its own, or one for the whole order (for the 1C sale exchange)."""
    return (Invoice.objects.filter(Q(part=part) | Q(order_id=part.order_id, part__isnull=True))
            .exclude(status=InvoiceStatus.CANCELLED).order_by("issued_on", "pk"))


def _existing(order: Order, part: OrderPart | None) -> Invoice | None:
    live = Invoice.objects.filter(order=order).exclude(status=InvoiceStatus.CANCELLED)
    same = live.filter(part=part).first()
    if same is not None:
        return same
    if part is None and live.exists():
        raise FinanceError(_("Parts of this order are invoiced separately; issue invoices per part."))
    if part is not None and live.filter(part__isnull=True).exists():
        raise FinanceError(_("The whole order is already invoiced."))
    return None


def _default_rate() -> Decimal | None:
    return Decimal(b2b_settings.DEFAULT_VAT_RATE) if b2b_settings.DEFAULT_VAT_RATE else None


@transaction.atomic
def issue_invoice(order: Order, part: OrderPart | None = None, *, actor=None, site: Site | None = None,
                  today: datetime.date | None = None) -> Invoice:
    """Issue (or return the already issued) invoice for ``order`` or its ``part``; raises :class:`FinanceError`."""
    order = Order.objects.select_for_update(of=("self",)).select_related("company", "contract__price_type",
                                                             "legal_entity").get(pk=order.pk)
    if part is not None and part.order_id != order.pk:
        raise FinanceError(_("This part belongs to another order."))
    if (part or order).status == OrderStatus.CANCELLED:
        raise FinanceError(_("A cancelled order cannot be invoiced."))
    existing = _existing(order, part)
    if existing is not None:
        return existing
    lines = list(order.lines.filter(part=part) if part is not None else order.lines.all())
    if not lines:
        raise FinanceError(_("There is nothing to invoice."))
    contract = order.contract
    included = contract.price_type.vat_included if contract and contract.price_type else True
    seller = seller_requisites(site)
    today = today or timezone.localdate()
    invoice = Invoice(company=order.company, contract=contract, legal_entity=order.legal_entity, order=order,
                      part=part, seller_inn=seller["inn"], seller=seller, buyer=buyer_requisites(order),
                      issued_on=today, due_date=today + datetime.timedelta(days=contract.payment_terms_days
                                                                           if contract else 0),
                      currency=order.currency, vat_included=included, total=0, created_by=as_actor(actor).user)
    rows, vat, amount = [], Decimal("0.00"), Decimal("0.00")
    for position, line in enumerate(lines, start=1):
        rate = line.vat_rate if line.vat_rate is not None else _default_rate()
        line_vat = vat_of(line.line_total, rate, included)
        vat += line_vat
        amount += line.line_total
        rows.append(InvoiceLine(position=position, sku=line.sku, name=line.name, quantity=line.quantity,
                                unit_price=line.unit_price, vat_rate=rate, vat_amount=line_vat,
                                line_total=line.line_total))
    invoice.vat_amount = vat
    invoice.total = amount if included else amount + vat
    invoice.number = next_document_number(seller["inn"], today.year)
    invoice.purpose = payment_purpose(invoice)
    invoice.save()
    for row in rows:
        row.invoice = invoice
    InvoiceLine.objects.bulk_create(rows)
    if ledger.debit_basis(contract) == "invoice":
        ledger.post(company=order.company, contract=contract, date=today, kind=LedgerKind.INVOICE,
                    document=_document_name(invoice), debit=invoice.total, due_date=invoice.due_date,
                    invoice=invoice)
    publish_event(INVOICE_ISSUED, object_id=invoice.pk, number=invoice.number, amount=invoice.total,
                  company_id=order.company_id, order=order, invoice_id=invoice.pk)
    return invoice


def _document_name(invoice: Invoice) -> str:
    return ledger.in_document_language(gettext_noop("Invoice %(number)s of %(date)s"), number=invoice.number,
                                       date=f"{invoice.issued_on:%d.%m.%Y}")


def payment_purpose(invoice: Invoice) -> str:
    """The bank payment purpose (назначение платежа), in Russian as banks expect, ≤ 210 characters."""
    with override(b2b_settings.DOCUMENT_LANGUAGE or None):
        text = _("Payment for invoice No. %(number)s of %(date)s") % {
            "number": invoice.number, "date": formats.date_format(invoice.issued_on, "d.m.Y")}
        if invoice.vat_amount:
            text += ", " + _("incl. VAT %(vat)s") % {"vat": f"{invoice.vat_amount:.2f}"}
        else:
            text += ", " + _("VAT not charged")
    return text[:210]


@transaction.atomic
def cancel_invoice(invoice: Invoice) -> Invoice:
    """Cancel an unpaid invoice; its ledger debit is reversed by a credit entry."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.paid_amount:
        raise FinanceError(_("A paid invoice cannot be cancelled."))
    if invoice.status == InvoiceStatus.CANCELLED:
        return invoice
    invoice.status = InvoiceStatus.CANCELLED
    invoice.save(update_fields=["status", "updated_at"])
    posted = ledger.entries(invoice.company).filter(kind=LedgerKind.INVOICE, invoice=invoice).first()
    if posted is not None:
        ledger.post(company=invoice.company, contract=invoice.contract, date=timezone.localdate(),
                    kind=LedgerKind.REVERSAL, document=posted.document, credit=posted.debit, invoice=invoice)
    return invoice
