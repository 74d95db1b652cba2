"""Writing the cabinet audit log (``CabinetAuditEvent``).

Use-cases receive an :class:`Actor` (who, from which address, on behalf of which company) so they
stay independent of HTTP; views build it with :meth:`Actor.from_request`, or simply call
:func:`record_audit` with the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from b2b_cabinet.models import AuditAction, CabinetAuditEvent, Company


@dataclass(frozen=True)
class Actor:
    """Who performs a use-case: the user, their IP address, and whether they act on behalf of a company."""

    user: Any
    ip_address: str | None = None
    on_behalf: bool = False

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        """The request's user and peer address (X-Forwarded-For is not trusted: anyone can send it)."""
        return cls(
            user=request.user if request.user.is_authenticated else None,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            on_behalf=bool(getattr(request, "on_behalf", False)),
        )


def write_audit(
    actor: Actor,
    action: AuditAction | str,
    *,
    company: Company | None,
    obj: models.Model | None = None,
    on_behalf: bool | None = None,
    **data: Any,
) -> CabinetAuditEvent:
    """Append one audit event. ``data`` must be JSON-serialisable (ids and short strings, not objects)."""
    user = actor.user
    return CabinetAuditEvent.objects.create(
        user=user,
        user_repr=(user.get_username() if user else "")[:255],
        company=company,
        company_repr=str(company or "")[:255],
        on_behalf=actor.on_behalf if on_behalf is None else on_behalf,
        action=AuditAction(action),
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        ip_address=actor.ip_address,
        data=data,
    )


def record_audit(request: HttpRequest, action: AuditAction | str, obj: models.Model | None = None,
                 **data: Any) -> CabinetAuditEvent:
    """Append an audit event for the request's user and acting company (``request.company``).

    The hook for later cabinet use-cases, e.g. ``record_audit(request, AuditAction.ORDER_PLACED, order)``.
    """
    return write_audit(Actor.from_request(request), action, company=getattr(request, "company", None), obj=obj,
                       **data)
