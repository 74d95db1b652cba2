"""Dispatching events to deliveries, attempting them, retrying with backoff, resending.

Every function here is a django-q2 task entry point or called by one, and each is idempotent:
``dispatch_event`` creates deliveries with get-or-create on (event, channel, recipient), and
``deliver`` claims a delivery with a conditional UPDATE, so two workers (or a task that outlived
its timeout and runs twice) never send the same delivery at once, and a sent one never again.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import cache

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import Delivery, OutboxEvent

logger = logging.getLogger(__name__)
DELIVER_TASK = "b2b_cabinet.notifications.delivery.deliver"
S = Delivery.Status
#: A delivery claimed longer ago than this is considered abandoned by a dead worker.
CLAIM_TIMEOUT = timedelta(minutes=10)


@cache
def _channel(path: str):
    return import_string(path)()


def channels() -> dict:
    """Configured channels by name."""
    found = {}
    for path in b2b_settings.NOTIFICATION_CHANNELS:
        channel = _channel(path)
        found[channel.name] = channel
    return found


def dispatch_event(event_id: int) -> list[int]:
    """Create the event's deliveries (once) and attempt the pending ones; returns delivery ids."""
    event = OutboxEvent.objects.select_related("order__company").filter(pk=event_id).first()
    if event is None:
        return []
    for name, channel in channels().items():
        try:
            keys = channel.recipients(event)
        except Exception:
            logger.exception("Channel %s could not list recipients of %s", name, event.key)
            continue
        for key in keys:
            Delivery.objects.get_or_create(event=event, channel=name, recipient=str(key)[:255])
    OutboxEvent.objects.filter(pk=event.pk, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    ids = list(event.deliveries.filter(status=S.PENDING).values_list("pk", flat=True))
    for pk in ids:
        deliver(pk)
    return ids


def dispatch_events(event_ids: list[int]) -> int:
    """The task queued after a commit: dispatch each event (ids of rolled-back events are skipped)."""
    for pk in event_ids:
        try:
            dispatch_event(pk)
        except Exception:  # one broken event must not hold back the others; the sweep retries it
            logger.exception("Dispatching notification event %s failed", pk)
    return len(event_ids)


def backoff(attempts: int) -> timedelta:
    """Delay before attempt ``attempts + 1``: base × 2^(attempts-1), capped at a day."""
    return timedelta(seconds=min(b2b_settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 86400))


def _claim(pk: int) -> bool:
    """Take the delivery for one attempt unless it is sent, dead or being attempted right now."""
    now = timezone.now()
    return bool(
        Delivery.objects.filter(pk=pk, status__in=[S.PENDING, S.FAILED])
        .exclude(next_attempt_at__gt=now)
        .update(next_attempt_at=now + CLAIM_TIMEOUT)
    )


def deliver(delivery_id: int, *, force: bool = False) -> str:
    """One attempt at one delivery; records the outcome and when to try again. Returns the status."""
    if not force and not _claim(delivery_id):
        return Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first() or ""
    delivery = Delivery.objects.select_related("event__order__company").get(pk=delivery_id)
    channel = channels().get(delivery.channel)
    if channel is None:
        Delivery.objects.filter(pk=delivery.pk).update(status=S.SKIPPED, last_error="channel not configured")
        return S.SKIPPED
    attempts = delivery.attempts + 1
    try:
        with transaction.atomic():
            code = channel.send(delivery.event, delivery.recipient)
    except Exception as exc:
        dead = attempts >= b2b_settings.NOTIFICATION_MAX_ATTEMPTS
        status = S.DEAD if dead else S.FAILED
        logger.warning("Delivery %s (%s) failed, attempt %d: %s", delivery.pk, delivery.channel, attempts, exc)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status, attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:2000],
            response_code=getattr(exc, "status", None),
            next_attempt_at=None if dead else timezone.now() + backoff(attempts),
        )
        return status
    Delivery.objects.filter(pk=delivery.pk).update(
        status=S.SENT, attempts=attempts, sent_at=timezone.now(), next_attempt_at=None, last_error="",
        response_code=code if isinstance(code, int) else None,
    )
    return S.SENT


def resend(delivery: Delivery) -> str:
    """Staff's "resend": attempt again now, whatever the status (a webhook carries its idempotency key)."""
    Delivery.objects.filter(pk=delivery.pk).update(status=S.PENDING, next_attempt_at=None)
    return deliver(delivery.pk, force=True)


def sweep(limit: int = 500) -> dict[str, int]:
    """The every-minute schedule: dispatch lost events, retry due deliveries. Returns counts."""
    from django_q.tasks import async_task

    now = timezone.now()
    stale = now - timedelta(minutes=1)
    lost = list(OutboxEvent.objects.filter(dispatched_at__isnull=True, created_at__lt=stale)
                .values_list("pk", flat=True)[:limit])
    for pk in lost:
        dispatch_event(pk)
    due = list(Delivery.objects.filter(status__in=[S.PENDING, S.FAILED])
               .exclude(next_attempt_at__gt=now).values_list("pk", flat=True)[:limit])
    for pk in due:
        async_task(DELIVER_TASK, pk, task_name=f"deliver {pk}", group="b2b_notifications")
    return {"dispatched": len(lost), "retried": len(due)}
