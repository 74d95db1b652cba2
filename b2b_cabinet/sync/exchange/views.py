"""The single HTTP endpoint of the 1C exchange, dispatching on ``type`` and ``mode``.

Served at ``/1c/exchange/`` and at the 1C-Bitrix path ``/bitrix/admin/1c_exchange.php`` (1C's
"exchange with site" accepts any URL, but many 1C administrators type the Bitrix one). CSRF checks
do not apply: 1C is not a browser and authenticates with Basic credentials and a server-side token.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from b2b_cabinet.models import ExchangeNode, ExchangeSession

from . import catalog, sale
from .auth import AuthFailure, session_for_request
from .files import ExchangeError
from .responses import failure

logger = logging.getLogger(__name__)

#: type → {mode → handler}. ``checkauth`` takes only the request; the others also get the session.
HANDLERS = {
    "catalog": {"checkauth": catalog.checkauth, **catalog.HANDLERS},
    "sale": {"checkauth": sale.checkauth, **sale.HANDLERS},
}
TOUCH_EVERY = timedelta(minutes=1)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _param(request: HttpRequest, name: str) -> str:
    """A GET parameter, else a POST field (some 1C modules POST ``mode``).

    The POST body is only parsed when the query string lacks the parameter and the body is a
    form: for ``mode=file`` the body is the raw file, which must stay unread for streaming.
    """
    value = request.GET.get(name)
    if value is None and request.method == "POST" and request.content_type in _FORM_TYPES:
        value = request.POST.get(name)
    return (value or "").strip().lower()


def _touch(session: ExchangeSession) -> None:
    """Record activity at most once a minute.

    1C polls ``import`` in a tight loop; writing on every poll would contend with the import for
    SQLite's single write lock. update() rather than save(): the task may change ``state`` meanwhile.
    """
    now = timezone.now()
    if now - session.last_seen_at < TOUCH_EVERY:
        return
    ExchangeSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    ExchangeNode.objects.filter(pk=session.node_id).update(last_exchange_at=now)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def exchange_view(request: HttpRequest) -> HttpResponse:
    """Answer one request of 1C's "exchange with site" protocol (CommerceML over HTTP)."""
    exchange_type = _param(request, "type")
    mode = _param(request, "mode")
    modes = HANDLERS.get(exchange_type)
    if modes is None:
        return failure(f"Unknown type {exchange_type!r}. Supported: {', '.join(HANDLERS)}.")
    handler = modes.get(mode)
    if handler is None:
        return failure(f"Unknown mode {mode!r} for type={exchange_type}. Supported: {', '.join(modes)}.")
    try:
        if mode == "checkauth":
            return handler(request)
        session = session_for_request(request, exchange_type)
        _touch(session)
        logger.debug("1C exchange session %s: %s %s", session.pk, mode, request.GET.get("filename", ""))
        return handler(request, session)
    except AuthFailure as exc:
        return exc.response
    except ExchangeError as exc:
        logger.warning("1C exchange %s/%s refused: %s", exchange_type, mode, exc)
        return failure(str(exc))
