"""Email subject, text and HTML for an event: a staff-edited snippet if there is one, else the packaged templates.

Snippets (:class:`~b2b_cabinet.models.EmailTemplate`) are per event type and language; the packaged
templates ``b2b_cabinet/emails/<event>{_subject.txt,.txt,.html}`` are translated with gettext, so
they serve every language. Both get the same context.
"""

from __future__ import annotations

from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from b2b_cabinet.models import EmailTemplate, OrderPart, OrderStatus, OutboxEvent

from .events import describe, order_url


def email_context(event: OutboxEvent) -> dict:
    """What every email template may use."""
    payload = event.payload
    part = OrderPart.objects.filter(pk=event.part_id).first() if event.part_id else None
    status = payload.get("to_status")
    return {
        "event": event, "event_type": event.event_type, "data": payload, "order": event.order, "part": part,
        "message": describe(event), "url": order_url(event.order) if event.order_id else "",
        "status": OrderStatus(status).label if status in OrderStatus.values else "",
        "payment": payload.get("payment"), "shipment": payload.get("shipment"), "invoice": payload.get("invoice"),
    }


def _name(event_type: str) -> str:
    return event_type.replace(".", "_")


def render_email(event: OutboxEvent, language: str) -> tuple[str, str, str]:
    """``(subject, text, html)`` of ``event`` in ``language`` (html may be empty)."""
    with translation.override(language):
        context = email_context(event)
        snippet = EmailTemplate.objects.filter(event_type=event.event_type, language=language[:2]).first()
        if snippet is not None:
            ctx = Context(context, autoescape=False)
            subject = Template(snippet.subject).render(ctx)
            text = Template(snippet.text_body).render(ctx)
            html = Template(snippet.html_body).render(Context(context)) if snippet.html_body else ""
        else:
            base = f"b2b_cabinet/emails/{_name(event.event_type)}"
            subject = render_to_string([f"{base}_subject.txt", "b2b_cabinet/emails/event_subject.txt"], context)
            text = render_to_string([f"{base}.txt", "b2b_cabinet/emails/event.txt"], context)
            html = render_to_string([f"{base}.html", "b2b_cabinet/emails/event.html"], context)
    return " ".join(subject.split()), text, html
