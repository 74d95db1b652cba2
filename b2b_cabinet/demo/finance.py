"""Demo finance for Альфа: three invoiced orders (one paid, one partly paid, one overdue), payments, a
shipment with its УПД, and an accountant login — so every finance page has something true to show.

Documents are made through the real use-cases (``issue_invoice``, ``record_payment``,
``record_shipment``), dated back from today so that the overdue one stays overdue whenever the demo
is built. Safe to run twice: it does nothing once Альфа has invoices.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from b2b_cabinet import finance
from b2b_cabinet.models import Company, Invoice, Membership, Order, OrderLine, OrderPart, Price, ShipmentDocument
from b2b_cabinet.ordering.numbers import next_order_number, part_number

from .site import DemoLogin, _user

#: (days ago issued, quantities of the first products, how much of the invoice is paid)
PLAN = ((75, (4, 2), Decimal("0")), (40, (10, 5, 3), Decimal("1")), (12, (6, 6), Decimal("0.4")))


def _order(company: Company, contract, products, quantities, day: datetime.date) -> tuple[Order, OrderPart]:
    order = Order.objects.create(number=next_order_number(), company=company, contract=contract,
                                 legal_entity=company.legal_entities.first(), currency="RUB", status="confirmed",
                                 ship_date=day)
    part = OrderPart.objects.create(order=order, index=1, number=part_number(order.number, 1), status="confirmed",
                                    ship_date=day)
    total = Decimal("0.00")
    for (product, price), quantity in zip(products, quantities, strict=False):
        line_total = (price * quantity).quantize(Decimal("0.01"), ROUND_HALF_UP)
        OrderLine.objects.create(order=order, part=part, product=product, sku=product.sku, name=product.name,
                                 quantity=quantity, unit_price=price, vat_rate=product.vat_rate,
                                 line_total=line_total)
        total += line_total
    Order.objects.filter(pk=order.pk).update(total=total, created_at=timezone.now() - (timezone.localdate() - day))
    OrderPart.objects.filter(pk=part.pk).update(total=total)
    return order, part


def ensure_finance() -> list[DemoLogin]:
    """Invoices, payments and a shipment for Альфа; an accountant login. Returns the new logins."""
    company = Company.objects.filter(name="Альфа").first()
    if company is None:
        return []
    accountant = _user("alpha-accountant@example.com", first_name="Галина")
    Membership.objects.get_or_create(user=accountant, company=company,
                                     defaults={"role": Membership.Role.ACCOUNTANT})
    logins = [DemoLogin("alpha-accountant@example.com", "Альфа, accountant")]
    if Invoice.objects.for_company(company).exists():
        return logins
    contract = company.default_contract
    prices = (Price.objects.filter(price_type=contract.price_type, variant__isnull=True)
              .select_related("product").order_by("product__sku")[:3])
    products = [(p.product, p.value.quantize(Decimal("0.01"))) for p in prices]
    if not products:
        return logins
    today = timezone.localdate()
    for number, (days_ago, quantities, paid_share) in enumerate(PLAN, start=1):
        day = today - datetime.timedelta(days=days_ago)
        order, part = _order(company, contract, products, [Decimal(q) for q in quantities], day)
        invoice = finance.issue_invoice(order, part, today=day)
        if paid_share:
            amount = (invoice.total * paid_share).quantize(Decimal("0.01"))
            finance.record_payment(order_part=part, number=f"ПП-{1000 + number}", date=day + datetime.timedelta(
                days=5), amount=amount, source="1c", external_id=f"demo-payment-{number}")
        if paid_share == 1:
            shipment = finance.record_shipment(
                order_part=part, number=f"РН-{2000 + number}", date=day + datetime.timedelta(days=6),
                lines=[(line.product, line.quantity, line.unit_price) for line in part.lines.all()],
                external_id=f"demo-shipment-{number}")
            ShipmentDocument(shipment=shipment, kind=ShipmentDocument.Kind.UPD,
                             title=f"УПД № {shipment.number}").file.save(
                f"upd-{shipment.number}.pdf", ContentFile(_upd_pdf(shipment)), save=True)
    return logins


def _upd_pdf(shipment) -> bytes:
    """A one-page stand-in for the УПД 1C would attach."""
    from b2b_cabinet.finance.pdf import html_to_pdf

    rows = "".join(f"<tr><td>{line.name}</td><td>{line.quantity.normalize()}</td><td>{line.line_total}</td></tr>"
                   for line in shipment.lines.all())
    return html_to_pdf(
        f"<html><body style='font-family: DejaVu Sans; font-size: 9pt'><h1>УПД № {shipment.number} "
        f"от {shipment.date:%d.%m.%Y}</h1><p>Демонстрационный документ.</p><table>{rows}</table></body></html>")
