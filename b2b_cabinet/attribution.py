"""Where a visitor came from: UTM parameters and the external referrer, kept until they submit a lead form.

Visitors land on any page (``/?utm_source=yandex…``) and reach a form a few clicks later, so the
``before_serve_page`` hook stores the latest campaign touch in the session and the form reads it
on submission. The session is written only when a request carries something new, so ordinary
visitors get no session row.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest

SESSION_KEY = "b2b_attribution"
UTM_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
MAX_VALUE = 200
MAX_URL = 1000


def _external_referrer(request: HttpRequest) -> str:
    """The Referer header if it is an http(s) URL of another site, else ''."""
    referrer = request.META.get("HTTP_REFERER", "")[:MAX_URL]
    try:
        parts = urlsplit(referrer)
        own_host = request.get_host()
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.netloc == own_host:
        return ""
    return referrer


def _from_request(request: HttpRequest) -> dict[str, str]:
    """What this very request says about its origin (empty when it says nothing)."""
    touch = {name: request.GET.get(name, "").strip()[:MAX_VALUE] for name in UTM_PARAMETERS}
    touch = {name: value for name, value in touch.items() if value}
    referrer = _external_referrer(request)
    if referrer:
        touch["referrer"] = referrer
    if touch:
        touch["landing_url"] = request.get_full_path()[:MAX_URL]
    return touch


def capture(request: HttpRequest) -> None:
    """Remember the request's campaign touch, replacing an older one (last touch wins)."""
    touch = _from_request(request)
    if touch and hasattr(request, "session") and request.session.get(SESSION_KEY) != touch:
        request.session[SESSION_KEY] = touch


def for_request(request: HttpRequest) -> dict[str, str]:
    """Attribution for a submission: this request's own touch, else the one remembered in the session."""
    touch = _from_request(request)
    if not touch and hasattr(request, "session"):
        touch = dict(request.session.get(SESSION_KEY) or {})
    allowed = (*UTM_PARAMETERS, "referrer", "landing_url")
    return {name: str(touch.get(name, "")) for name in allowed}


def before_serve_page(page, request, serve_args, serve_kwargs):
    """Wagtail hook: capture attribution on every page view; never changes the response."""
    if request.method == "GET":
        capture(request)
