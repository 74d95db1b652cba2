"""Finance notifications: invoice issued, payment received, shipment created.

After the recording transaction commits, every callable in ``B2B_CABINET["FINANCE_CHANNELS"]`` gets
a :class:`FinanceEvent`. The default channel adds an in-cabinet ``Notification`` (the bell) for the
company's owners and accountants; a CRM webhook channel (the notifications issue) is one more
dotted path. A failing channel is logged and does not stop the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import CabinetPage, Membership, Notification

logger = logging.getLogger(__name__)
RECIPIENT_ROLES = (Membership.Role.OWNER, Membership.Role.ACCOUNTANT)
#: Event kinds, named like the CRM webhook events.
INVOICE_ISSUED, PAYMENT_RECEIVED, SHIPMENT_CREATED = "invoice.issued", "payment.received", "shipment.created"


@dataclass(frozen=True)
class FinanceEvent:
    """What finance channels receive: the kind, the company, the document and its figures."""

    kind: str
    company_id: int
    object_id: int
    number: str
    amount: str
    order_id: int | None = None
    invoice_id: int | None = None


def queue_event(event: FinanceEvent) -> None:
    """Call every finance channel with ``event`` once the current transaction commits."""

    def send():
        for path in b2b_settings.FINANCE_CHANNELS:
            try:
                import_string(path)(event)
            except Exception:  # one broken channel must not silence the others
                logger.exception("Finance channel %s failed for %s", path, event)

    transaction.on_commit(send)


def describe(event: FinanceEvent) -> str:
    """One sentence for the notification list, in the active language."""
    if event.kind == INVOICE_ISSUED:
        return _("Invoice %(number)s issued for %(amount)s.") % {"number": event.number, "amount": event.amount}
    if event.kind == PAYMENT_RECEIVED:
        return _("Payment %(number)s of %(amount)s received.") % {"number": event.number, "amount": event.amount}
    return _("Shipment %(number)s created.") % {"number": event.number}


def event_url(event: FinanceEvent) -> str:
    """Where the notification links to: the invoice, the payments or the shipments page."""
    page = CabinetPage.objects.live().first()
    if page is None:
        return ""
    if event.kind == INVOICE_ISSUED:
        return page.cabinet_url("finance_invoice_detail", pk=event.object_id)
    if event.kind == PAYMENT_RECEIVED:
        return page.cabinet_url("finance_payments")
    return page.cabinet_url("finance_shipments")


def cabinet_channel(event: FinanceEvent) -> None:
    """Add an unread notification for each active owner and accountant of the company."""
    members = Membership.objects.filter(company_id=event.company_id, is_active=True, user__is_active=True,
                                        role__in=RECIPIENT_ROLES)
    message, url = describe(event)[:500], event_url(event)
    Notification.objects.bulk_create([
        Notification(user_id=m.user_id, company_id=event.company_id, kind=event.kind, message=message, url=url,
                     order_id=event.order_id)
        for m in members
    ])
