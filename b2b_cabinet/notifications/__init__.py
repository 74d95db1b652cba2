"""Notifications: events from ordering, finance and 1C, delivered through pluggable channels.

A use-case calls :func:`publish` *inside* its transaction; that writes an
:class:`~b2b_cabinet.models.OutboxEvent` row, so an event exists exactly when the change it reports
was committed. After the commit a django-q2 task dispatches it: every channel named in
``B2B_CABINET["NOTIFICATION_CHANNELS"]`` (a :class:`Channel` subclass) says who should get it, a
:class:`~b2b_cabinet.models.Delivery` row is written per recipient, and each delivery is attempted.
A failing SMTP server or CRM leaves the delivery ``failed`` with its error and a next attempt
time; the every-minute sweep (:func:`delivery.sweep`) retries it with exponential backoff and
re-dispatches events whose task was lost with a worker. Nothing is deleted, so the admin shows
every delivery and can resend it.

Shipped channels: :class:`~.channels.CabinetChannel` (the bell in the cabinet),
:class:`~.channels.EmailChannel` (HTML + text, templates editable as Wagtail snippets, Russian and
English) and :class:`~.webhooks.WebhookChannel` (signed JSON POST to CRM endpoints). Users switch
cabinet and email notifications per event type (:mod:`.preferences`).

Modules: ``events`` (publish, payloads), ``channels``, ``emails``, ``webhooks``, ``delivery``
(dispatch, attempts, retries, resend), ``preferences``, ``inbox`` (unread count, mark read).
"""

from .channels import Channel, recipients
from .events import describe, order_url, publish, publish_order_event
from .inbox import mark_all_read, mark_read, unread_count

__all__ = [
    "Channel",
    "describe",
    "mark_all_read",
    "mark_read",
    "order_url",
    "publish",
    "publish_order_event",
    "recipients",
    "unread_count",
]
