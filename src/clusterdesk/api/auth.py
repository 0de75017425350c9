"""``Authorization: Bearer <token>``: who is asking, and whether they have asked too often.

The user of a live token becomes ``request.user`` for the request, so every endpoint scopes its
answer through the same queries and rules as the web pages do for a logged-in user.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from clusterdesk.accounts import loginlimits
from clusterdesk.accounts.models import User
from clusterdesk.api import tokens

WINDOW = 60  # seconds; CLUSTERDESK_API_RATE_LIMIT counts a token's requests in one such window


class Throttled(Exception):
    """Too many requests with one token; ``retry_after`` seconds until the window ends."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = tokens.authenticate(token)  # TokenRefused: 401 with the reason
        # Counted per token in the login policy's fixed windows (same cache, same clock).
        end = loginlimits.count_request(
            "api", str(found.pk), settings.CLUSTERDESK_API_RATE_LIMIT, WINDOW
        )
        if end is not None:
            raise Throttled(max(1, math.ceil(end - loginlimits.now())))
        request.user = found.user
        return found.user


token_auth = TokenAuth()
