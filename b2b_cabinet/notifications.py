"""Notification channels for order events, and the in-cabinet notification list.

A channel is any callable ``(event)`` named by dotted path in ``B2B_CABINET["NOTIFICATION_CHANNELS"]``;
``set_order_status`` and ``place_order`` call every channel after their transaction commits with a
:class:`~b2b_cabinet.ordering.status.StatusEvent`. Two ship with the package:

- :func:`cabinet_channel` adds a ``Notification`` for each recipient (the bell in the cabinet header);
- :func:`email_channel` sends each recipient an email (templates ``b2b_cabinet/emails/order_status*.txt``,
  translated: Russian and English).

Recipients are the person who placed the order (if still a member) and the company's active owners
and buyers. A failing channel is logged and does not stop the others.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from b2b_cabinet.models import CabinetPage, Membership, Notification, Order, OrderPart, OrderStatus

logger = logging.getLogger(__name__)
RECIPIENT_ROLES = (Membership.Role.OWNER, Membership.Role.BUYER)


def recipients(order: Order) -> list:
    """Users to notify about ``order``: its author (if an active member) and the owners and buyers."""
    members = Membership.objects.filter(company_id=order.company_id, is_active=True, user__is_active=True)
    users = {m.user_id: m.user for m in members.select_related("user")
             if m.role in RECIPIENT_ROLES or m.user_id == order.created_by_id}
    return list(users.values())


def order_url(order: Order) -> str:
    """The order's page in the first live cabinet page (empty when the site has none)."""
    page = CabinetPage.objects.live().first()
    return page.cabinet_url("order_detail", pk=order.pk) if page else ""


def _load(event) -> tuple[Order, OrderPart | None]:
    order = Order.objects.select_related("company").get(pk=event.order_id)
    part = OrderPart.objects.filter(pk=event.part_id).first() if event.part_id else None
    return order, part


def describe(event, order: Order, part: OrderPart | None) -> str:
    """One sentence for the notification list and the email subject, in the active language."""
    from django.utils.translation import gettext as _

    status = OrderStatus(event.to_status).label
    if not event.from_status:
        return _("Order %(number)s placed.") % {"number": order.number}
    if part is not None:
        return _("Order part %(number)s: %(status)s.") % {"number": part.number, "status": status}
    return _("Order %(number)s: %(status)s.") % {"number": order.number, "status": status}


def cabinet_channel(event) -> None:
    """Add an unread notification for each recipient."""
    order, part = _load(event)
    message, url = describe(event, order, part), order_url(order)
    Notification.objects.bulk_create([
        Notification(user=user, company=order.company, kind="order.status", message=message[:500], url=url,
                     order=order)
        for user in recipients(order)
    ])


def email_channel(event) -> None:
    """Email each recipient with an address."""
    order, part = _load(event)
    context = {"order": order, "part": part, "message": describe(event, order, part), "event": event,
               "url": order_url(order), "status": OrderStatus(event.to_status).label}
    subject = " ".join(render_to_string("b2b_cabinet/emails/order_status_subject.txt", context).split())
    body = render_to_string("b2b_cabinet/emails/order_status.txt", context)
    emails = [u.email for u in recipients(order) if u.email]
    if emails:
        send_mail(subject, body, None, emails)


def unread_count(user, company) -> int:
    """How many notifications ``user`` has not read in ``company`` (the number on the bell)."""
    if company is None or not user.is_authenticated:
        return 0
    return Notification.objects.for_company(company).filter(user=user).unread().count()


def mark_all_read(user, company) -> int:
    """Mark every notification of ``user`` in ``company`` read; returns how many were unread."""
    return Notification.objects.for_company(company).filter(user=user).unread().update(read_at=timezone.now())
