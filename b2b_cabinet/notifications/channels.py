"""Channels: who should hear about an event, and how one delivery is made.

A channel is a :class:`Channel` subclass named by dotted path in
``B2B_CABINET["NOTIFICATION_CHANNELS"]``. ``recipients(event)`` returns stable recipient keys
(a user id, an endpoint id); ``send(event, recipient)`` makes one attempt and raises on failure
(the delivery machinery records the error and retries). ``send`` must be idempotent enough to
survive a retry after a partial failure: a notification row is keyed by the delivery, an email
may at worst arrive twice, a webhook carries its idempotency key.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.utils import translation

from b2b_cabinet.models import ChannelName, Membership, Notification, Order, OutboxEvent

from .emails import render_email
from .events import describe, order_url
from .preferences import is_enabled

RECIPIENT_ROLES = (Membership.Role.OWNER, Membership.Role.BUYER)
#: Finance events go to those who pay, too.
FINANCE_ROLES = (*RECIPIENT_ROLES, Membership.Role.ACCOUNTANT)


class Channel(ABC):
    """One way of telling someone; subclass and name it in ``NOTIFICATION_CHANNELS``."""

    #: Stored on each delivery; also the preference key for per-user channels.
    name: str = ""

    @abstractmethod
    def recipients(self, event: OutboxEvent) -> list[str]:
        """Recipient keys for ``event`` (empty: this channel ignores it)."""

    @abstractmethod
    def send(self, event: OutboxEvent, recipient: str) -> int | None:
        """Deliver once; raise on failure. May return a response code to show in the log."""


def recipients(order: Order, *, finance: bool = False) -> list:
    """Users to tell about ``order``: its author (if an active member) and the owners and buyers."""
    roles = FINANCE_ROLES if finance else RECIPIENT_ROLES
    members = Membership.objects.filter(company_id=order.company_id, is_active=True, user__is_active=True)
    users = {m.user_id: m.user for m in members.select_related("user")
             if m.role in roles or m.user_id == order.created_by_id}
    return list(users.values())


def company_recipients(company_id: int, roles) -> list:
    """Active users of the company in ``roles`` (finance events without an order)."""
    members = Membership.objects.filter(company_id=company_id, is_active=True, user__is_active=True, role__in=roles)
    return [m.user for m in members.select_related("user")]


class UserChannel(Channel):
    """A channel whose recipients are the company's users, each with an on/off preference."""

    def recipients(self, event: OutboxEvent) -> list[str]:
        finance = not event.event_type.startswith("order.")
        if event.order_id is not None:
            users = recipients(event.order, finance=finance)
        elif event.company_id is not None and finance:
            users = company_recipients(event.company_id, FINANCE_ROLES)
        else:
            return []
        return [str(u.pk) for u in users if is_enabled(u, event.event_type, self.name) and self.reachable(u)]

    def reachable(self, user) -> bool:
        return True

    @staticmethod
    def user(recipient: str):
        return get_user_model().objects.get(pk=int(recipient))


class CabinetChannel(UserChannel):
    """An unread notification in the cabinet (the bell and the list)."""

    name = ChannelName.CABINET

    def send(self, event: OutboxEvent, recipient: str) -> None:
        user = self.user(recipient)
        with translation.override(language_of(user)):
            message = describe(event)
        Notification.objects.get_or_create(
            user=user, company_id=event.company_id, order_id=event.order_id, kind=event.event_type,
            message=message[:500],
            defaults={"url": event.payload.get("url") or (order_url(event.order) if event.order_id else "")},
        )


class EmailChannel(UserChannel):
    """An email with a text and an HTML part, in the recipient's language."""

    name = ChannelName.EMAIL

    def reachable(self, user) -> bool:
        return bool(user.email)

    def send(self, event: OutboxEvent, recipient: str) -> None:
        user = self.user(recipient)
        subject, text, html = render_email(event, language_of(user))
        message = EmailMultiAlternatives(subject, text, None, [user.email],
                                         headers={"X-B2B-Event": event.key[:200]})
        if html:
            message.attach_alternative(html, "text/html")
        message.send()


def language_of(user) -> str:
    """The language to write to ``user`` in: their profile's, else the site's default."""
    from django.conf import settings

    language = getattr(user, "language", "") or getattr(getattr(user, "b2b_profile", None), "language", "")
    return language or settings.LANGUAGE_CODE
