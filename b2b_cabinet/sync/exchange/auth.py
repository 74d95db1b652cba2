"""Who is calling the exchange: HTTP Basic for ``checkauth``, then the session cookie or ``sessid``.

Credentials belong to an :class:`~b2b_cabinet.models.ExchangeNode`, never to a Django user, so an
exchange password opens nothing else. After ``checkauth`` the caller is identified by a server-side
token (cookie ``b2b_exchange``) or the ``sessid`` newer 1C modules append; re-sent Basic
credentials are accepted too. Whatever the caller presents must agree: a cookie of one node with
the login or ``sessid`` of another is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from b2b_cabinet.models import ExchangeNode, ExchangeSession

from .responses import failure

#: Name of the cookie returned by ``checkauth``; deliberately not Django's session cookie, so the
#: exchange never touches (or rotates) a user session.
COOKIE_NAME = "b2b_exchange"
REALM = 'Basic realm="1C exchange"'
#: Failed logins allowed per IP and login within THROTTLE_WINDOW seconds.
THROTTLE_LIMIT = 10
THROTTLE_WINDOW = 5 * 60
#: A session idle longer than this is treated as closed (a real exchange polls every few seconds).
SESSION_IDLE = timedelta(hours=24)


class AuthFailure(Exception):
    """Authentication failed; ``response`` is the protocol answer to send."""

    def __init__(self, response: HttpResponse):
        super().__init__(response.content.decode("utf-8", "replace"))
        self.response = response


def unauthorized(reason: str) -> AuthFailure:
    """A 401 ``failure`` that asks for Basic credentials."""
    return AuthFailure(failure(reason, status=401, headers={"WWW-Authenticate": REALM}))


def basic_credentials(request: HttpRequest) -> tuple[str, str] | None:
    """``(login, password)`` from the Authorization header, or None when absent or malformed."""
    # Behind Apache/CGI the header arrives renamed (PROTOCOL §5 pitfall 17).
    header = request.META.get("HTTP_AUTHORIZATION") or request.META.get("REDIRECT_HTTP_AUTHORIZATION") or ""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # 1C on Windows may encode a Cyrillic login in the ANSI code page.
        text = raw.decode("cp1251", "replace")
    login, sep, password = text.partition(":")
    return (login, password) if sep else None


def client_ip(request: HttpRequest) -> str:
    """The peer address. X-Forwarded-For is not trusted here: anyone can send it to dodge the throttle."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _throttle_key(ip: str, login: str) -> str:
    digest = hashlib.sha256(f"{ip}\0{login}".encode()).hexdigest()[:32]
    return f"b2b_cabinet:exchange-login-failures:{digest}"


def _note_failure(key: str) -> None:
    # add() then incr() is atomic on Redis and Memcached; LocMemCache is per process, which is why
    # production settings should point CACHES at a shared cache.
    cache.add(key, 0, THROTTLE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, THROTTLE_WINDOW)


def check_basic(request: HttpRequest) -> ExchangeNode:
    """The active node whose login and password the request carries; raises :class:`AuthFailure`."""
    credentials = basic_credentials(request)
    if credentials is None:
        raise unauthorized(
            "No HTTP Basic credentials. Enter the exchange login and password in the 1C exchange node; "
            "if they are set, the web server strips the Authorization header (mod_wsgi: WSGIPassAuthorization On)."
        )
    login, password = credentials
    key = _throttle_key(client_ip(request), login)
    if (cache.get(key) or 0) >= THROTTLE_LIMIT:
        raise AuthFailure(
            failure(
                f"Too many attempts: more than {THROTTLE_LIMIT} failed logins. Try again in "
                f"{THROTTLE_WINDOW // 60} minutes.",
                status=429,
                headers={"Retry-After": str(THROTTLE_WINDOW)},
            )
        )
    node = ExchangeNode.objects.filter(login=login, is_active=True).first()
    if node is None:
        # Hash anyway so that response time does not tell which logins exist.
        ExchangeNode().set_password(password)
    if node is None or not node.check_password(password):
        _note_failure(key)
        raise unauthorized("Wrong exchange login or password, or the exchange node is switched off.")
    cache.delete(key)
    return node


def session_for_request(request: HttpRequest, kind: str) -> ExchangeSession:
    """The open exchange session of ``kind`` the request belongs to; raises :class:`AuthFailure`.

    Identified by the cookie, else by ``sessid``, else by re-sent Basic credentials (the node's
    newest open session). When several are present they must all point at the same session.
    """
    token = request.COOKIES.get(COOKIE_NAME)
    sessid = request.GET.get("sessid") or ""
    credentials = basic_credentials(request)
    open_sessions = ExchangeSession.objects.select_related("node").filter(
        is_closed=False, node__is_active=True, kind=kind, last_seen_at__gte=timezone.now() - SESSION_IDLE
    )
    session = None
    if token:
        session = open_sessions.filter(token=token).first()
        if session is None:
            raise unauthorized("Unknown or closed exchange session (cookie). Start again with mode=checkauth.")
    if sessid:
        if session is None:
            session = open_sessions.filter(sessid=sessid).first()
            if session is None:
                raise unauthorized("Unknown or closed exchange session (sessid). Start again with mode=checkauth.")
        elif not constant_time_compare(session.sessid, sessid):
            raise unauthorized("The sessid does not match the session cookie. Start again with mode=checkauth.")
    if credentials is not None:
        if session is not None:
            # The token already proves who calls; re-hashing the password on every poll would only add
            # latency. But the login must be the session's: a cookie is not transferable between nodes.
            if credentials[0] != session.node.login:
                raise unauthorized("The exchange session belongs to another exchange node. Start with mode=checkauth.")
        else:
            node = check_basic(request)
            session = open_sessions.filter(node=node).order_by("-created_at").first()
            if session is None:
                raise unauthorized("No open exchange session for this login. Start with mode=checkauth.")
    if session is None:
        raise unauthorized("Not authenticated. Start with mode=checkauth and send the returned cookie.")
    return session
