"""The in-cabinet list: unread count for the bell, mark one or all read."""

from __future__ import annotations

from django.utils import timezone

from b2b_cabinet.models import Notification


def unread_count(user, company) -> int:
    """How many notifications ``user`` has not read in ``company`` (the number on the bell)."""
    if company is None or not user.is_authenticated:
        return 0
    return Notification.objects.for_company(company).filter(user=user).unread().count()


def mark_all_read(user, company) -> int:
    """Mark every notification of ``user`` in ``company`` read; returns how many were unread."""
    return Notification.objects.for_company(company).filter(user=user).unread().update(read_at=timezone.now())


def mark_read(user, company, pk: int) -> bool:
    """Mark one of the user's notifications read; False when it is not theirs (or already read)."""
    return bool(
        Notification.objects.for_company(company).filter(user=user, pk=pk).unread().update(read_at=timezone.now())
    )
