"""Writing an order's timeline (``OrderEvent``): who moved what from which status to which, and when."""

from __future__ import annotations

from b2b_cabinet.models import OrderEvent


def actor_repr(user, source: str) -> str:
    """How the timeline names who did it: the person's name or email, else the source ("1C")."""
    if user is None:
        return str(source)
    return (user.get_full_name() or user.email or user.get_username())[:255]


def record_event(order, part, from_status: str, to_status: str, *, actor, source: str, note: str = "") -> OrderEvent:
    """Append one event to the order's timeline (for the whole order when ``part`` is None)."""
    return OrderEvent.objects.create(
        order=order, part=part, actor=actor, actor_repr=actor_repr(actor, source), source=source,
        from_status=str(from_status or ""), to_status=str(to_status), note=note,
    )
