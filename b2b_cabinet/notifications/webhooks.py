"""CRM webhooks: each event as a signed JSON POST to every subscribed endpoint.

Headers: ``X-B2B-Event`` (event type), ``Idempotency-Key`` (the event key: a receiver that saw
it already must ignore the repeat), ``X-B2B-Timestamp`` (unix seconds) and ``X-B2B-Signature:
sha256=<hex>``, the HMAC-SHA256 of ``"<timestamp>.<body>"`` with the endpoint's secret. Signing
the timestamp lets a receiver refuse replays older than a few minutes. Any answer other than 2xx,
or no answer, is a failure that is retried with backoff.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.core.serializers.json import DjangoJSONEncoder

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import OutboxEvent, WebhookEndpoint

from .channels import Channel

SIGNATURE_HEADER = "X-B2B-Signature"
TIMESTAMP_HEADER = "X-B2B-Timestamp"


class WebhookError(Exception):
    """The endpoint did not accept the event; carries the HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, max_age: int = 300) -> bool:
    """What a receiver does: check the signature in constant time and the timestamp's age."""
    try:
        fresh = abs(time.time() - int(timestamp)) <= max_age
    except ValueError:
        return False
    return fresh and hmac.compare_digest(sign(secret, timestamp, body), signature)


def body_of(event: OutboxEvent) -> bytes:
    """The JSON body: the event's payload, keys sorted so a resend is byte-identical."""
    return json.dumps(event.payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True).encode()


def post(endpoint: WebhookEndpoint, event: OutboxEvent) -> int:
    """POST ``event`` to ``endpoint`` once; return the status or raise :class:`WebhookError`."""
    body = body_of(event)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(endpoint.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "wagtail-b2b-cabinet webhooks",
        "X-B2B-Event": event.event_type,
        "Idempotency-Key": event.key,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body),
    })
    try:
        with urllib.request.urlopen(request, timeout=b2b_settings.WEBHOOK_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"HTTP {exc.code} from {endpoint.url}", exc.code) from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise WebhookError(f"{endpoint.url} unreachable: {exc}") from None
    if not 200 <= status < 300:
        raise WebhookError(f"HTTP {status} from {endpoint.url}", status)
    return status


class WebhookChannel(Channel):
    """Every active endpoint subscribed to the event type is a recipient."""

    name = "webhook"

    def recipients(self, event: OutboxEvent) -> list[str]:
        return [str(e.pk) for e in WebhookEndpoint.objects.filter(is_active=True) if e.wants(event.event_type)]

    def send(self, event: OutboxEvent, recipient: str) -> int:
        endpoint = WebhookEndpoint.objects.get(pk=int(recipient))
        return post(endpoint, event)
