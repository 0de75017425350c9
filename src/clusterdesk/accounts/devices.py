"""Trusted devices: a browser where an account logged in successfully is remembered for it.

After a successful login the browser gets a signed cookie listing the (normalised) usernames that
logged in there, the latest first. An attempt at one of those usernames from that browser skips
the account lock and the address and global limits (``loginlimits``): an attacker who sets off a
lock, from anywhere, keeps out only browsers that never logged in as that user. The cookie is
signed with the secret key, so it cannot be forged, and is worth nothing without the password
(the model is OWASP's "device cookie"). It is HttpOnly and, like the session cookie, Secure when
the site runs on HTTPS; logging out keeps it, since it marks the device, not a session.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "clusterdesk_device"
SALT = "clusterdesk.accounts.device"
MAX_NAMES = 5  # a shared office computer: the last few officers who logged in there


def trusted_names(request: HttpRequest) -> list[str]:
    """Usernames this browser is trusted for; none if the cookie is missing, forged or old."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return []
    try:
        names = signing.loads(raw, salt=SALT, max_age=_lifetime())
    except signing.BadSignature:  # includes SignatureExpired
        return []
    if not isinstance(names, list):
        return []
    return [name for name in names[:MAX_NAMES] if isinstance(name, str)]


def remember(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """Trust this browser for ``username`` (normalised) from now on, for the configured days."""
    names = [username, *(name for name in trusted_names(request) if name != username)]
    response.set_cookie(
        COOKIE,
        signing.dumps(names[:MAX_NAMES], salt=SALT),
        max_age=int(_lifetime().total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _lifetime() -> timedelta:
    return timedelta(days=settings.CLUSTERDESK_LOGIN_DEVICE_DAYS)
