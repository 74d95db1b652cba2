"""Cabinet sign-in throttling: failed attempts per IP address and email, counted in the cache.

After ``LOGIN_FAILURE_LIMIT`` failures within ``LOGIN_FAILURE_WINDOW`` seconds the login form
refuses further attempts for that address and email (HTTP 429) until the window passes. Keying
on both means one attacker cannot lock a partner out from everywhere, and one office behind a
NAT does not lock out all its colleagues. The cache must be shared by every web worker (Redis in
production; see ``docs/configuration.md``).

The same counters, under the scope ``"reset"``, cap password-reset emails per address and email
so the form cannot be used to flood someone's inbox.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

from b2b_cabinet.conf import b2b_settings


def _key(request: HttpRequest, email: str, scope: str) -> str:
    # X-Forwarded-For is not trusted: anyone can send it to dodge the throttle.
    ip = request.META.get("REMOTE_ADDR") or "unknown"
    digest = hashlib.sha256(f"{ip}\0{email.strip().lower()}".encode()).hexdigest()[:32]
    return f"b2b_cabinet:{scope}-failures:{digest}"


def is_blocked(request: HttpRequest, email: str, scope: str = "login") -> bool:
    """Whether this address has used up its attempts for this email."""
    return (cache.get(_key(request, email, scope)) or 0) >= b2b_settings.LOGIN_FAILURE_LIMIT


def note_failure(request: HttpRequest, email: str, scope: str = "login") -> None:
    """Count one attempt; the window starts at the first one."""
    key, window = _key(request, email, scope), b2b_settings.LOGIN_FAILURE_WINDOW
    # add() then incr() is atomic on Redis and Memcached.
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)


def reset(request: HttpRequest, email: str, scope: str = "login") -> None:
    """Forget the failures after a successful sign-in."""
    cache.delete(_key(request, email, scope))
