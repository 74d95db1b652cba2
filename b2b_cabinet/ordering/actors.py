"""Who performs an ordering use-case, whatever the caller passes: a user, an ``Actor``, or nobody (1C)."""

from __future__ import annotations

from b2b_cabinet.audit import Actor
from b2b_cabinet.models import EventSource


def as_actor(actor) -> Actor:
    """An :class:`~b2b_cabinet.audit.Actor` from an Actor, a user or None."""
    if isinstance(actor, Actor):
        return actor
    return Actor(user=actor if actor is not None and getattr(actor, "is_authenticated", False) else None)


def default_source(actor: Actor) -> str:
    """The event source for a change made by ``actor`` when the caller names none."""
    if actor.user is None:
        return EventSource.SYSTEM
    if actor.on_behalf or (actor.user.is_staff and not actor.user.b2b_memberships.filter(is_active=True).exists()):
        return EventSource.STAFF
    return EventSource.PARTNER
