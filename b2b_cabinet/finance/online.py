"""Online payment of invoices through django-payments.

``start_online_payment`` creates an ``OnlinePayment`` for what the invoice still owes, in the variant
named by ``ONLINE_PAYMENT_VARIANT`` (a key of django-payments' ``PAYMENT_VARIANTS``). The provider's
own flow then runs (its form or redirect, its callback at ``payments.urls``). When django-payments
reports the payment confirmed, :func:`on_status_changed` — connected to its ``status_changed``
signal, the one way the library reports — records a ``Payment`` through
:func:`~b2b_cabinet.finance.record_payment`, idempotent by the transaction token, so a provider that
reports twice still pays once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from payments import PaymentStatus

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import FinanceError
from b2b_cabinet.models import Invoice, InvoiceStatus, OnlinePayment, PaymentSource

from .payments import record_payment


def online_payments_enabled() -> bool:
    """Whether invoices can be paid online (a variant is configured)."""
    return bool(b2b_settings.ONLINE_PAYMENT_VARIANT)


def start_online_payment(invoice: Invoice, *, success_url: str = "", failure_url: str = "",
                         ip_address: str | None = None, email: str = "") -> OnlinePayment:
    """A new online payment of what ``invoice`` still owes; raises :class:`FinanceError` when nothing is due."""
    if not online_payments_enabled():
        raise FinanceError(_("Online payment is not available."))
    if invoice.status in (InvoiceStatus.PAID, InvoiceStatus.CANCELLED) or invoice.outstanding <= 0:
        raise FinanceError(_("This invoice has nothing left to pay."))
    return OnlinePayment.objects.create(
        variant=b2b_settings.ONLINE_PAYMENT_VARIANT, invoice=invoice, total=invoice.outstanding,
        currency=invoice.currency, description=invoice.purpose, success_url=success_url, failure_url=failure_url,
        customer_ip_address=ip_address, billing_email=email,
    )


def confirm(online: OnlinePayment):
    """Record the confirmed ``online`` payment against its invoice (once, whatever the provider repeats)."""
    invoice = online.invoice
    amount = online.captured_amount if online.captured_amount and online.captured_amount > 0 else online.total
    with transaction.atomic():
        return record_payment(order_part=invoice.part, invoice=invoice, number=f"WEB-{online.pk}",
                              date=timezone.localdate(), amount=amount, source=PaymentSource.ONLINE,
                              external_id=online.token or str(online.pk))


def on_status_changed(sender, instance, **kwargs) -> None:
    """django-payments' ``status_changed`` receiver: confirmed online payments become ``Payment`` rows."""
    if isinstance(instance, OnlinePayment) and instance.status == PaymentStatus.CONFIRMED:
        confirm(instance)
