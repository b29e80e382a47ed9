"""Browser security: the session cookie, CSRF protection of every form, the client's address.

CSRF: double-submit token. Every page response carries a random ``danso_csrf`` cookie (SameSite=Strict); every
form repeats it in a hidden ``csrf_token`` field (htmx requests in the ``X-CSRF-Token`` header), and every
unsafe request to a page route is refused unless the two match. A cross-site page can neither read the cookie
nor make the browser send it.
"""
from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response

from danso.services.accounts import SESSION_LIFETIME

SESSION_COOKIE = "danso_session"
CSRF_COOKIE = "danso_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfFailed(Exception):
    """The form's token does not match the cookie (an expired page, or a forged request)."""


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def client_ip(request: Request) -> str:
    """The caller's address (uvicorn resolves X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else ""


def csrf_token(request: Request) -> str:
    """The token of this browser (from its cookie), or a new one that the response will set."""
    token = getattr(request.state, "csrf_token", None) or request.cookies.get(CSRF_COOKIE)
    if not token or len(token) < 32:
        token = secrets.token_urlsafe(32)
    request.state.csrf_token = token
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    token = getattr(request.state, "csrf_token", None)
    if token and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=is_https(request),
                            path="/")


async def verify_csrf(request: Request) -> None:
    """Dependency of every page router: unsafe requests must carry the browser's CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(CSRF_FIELD, "")
        sent = value if isinstance(value, str) else ""
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise CsrfFailed()


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()), httponly=True,
                        samesite="lax", secure=is_https(request), path="/")


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=is_https(request), path="/")


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
