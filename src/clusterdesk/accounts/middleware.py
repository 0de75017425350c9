"""Applies the login policy (``loginlimits``) to every login form: the site's and the admin's.

It runs in ``process_view``, after the URL is resolved and before the view, so a refused attempt
costs a few cache operations and never reaches the password hasher. The outcome of an admitted
attempt comes back through Django's ``user_login_failed`` / ``user_logged_in`` signals (connected
in ``apps.py``), which carry the request; a successful login then marks the browser as a trusted
device for that account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse

from clusterdesk.accounts import devices, loginlimits
from clusterdesk.accounts.client import address_bucket, client_ip
from clusterdesk.accounts.views import refused

# URL names of the views that check a password typed into a login form.
LOGIN_VIEWS = frozenset({"login", "admin:login"})


class LoginThrottleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        attempt = getattr(request, "login_attempt", None)
        if attempt is not None and attempt.succeeded:
            devices.remember(request, response, attempt.username)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name not in LOGIN_VIEWS:
            return None
        address = client_ip(request)
        username = request.POST.get(get_user_model().USERNAME_FIELD, "")
        decision = loginlimits.admit(
            username, address, address_bucket(address), devices.trusted_names(request)
        )
        if isinstance(decision, loginlimits.Refusal):
            return refused(request, decision)
        request.login_attempt = decision
        return None


def on_login_failed(sender: Any, credentials: Any, request: HttpRequest | None = None, **_: Any):
    attempt = getattr(request, "login_attempt", None)
    if attempt is not None:
        loginlimits.failed(attempt)


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    attempt = getattr(request, "login_attempt", None)
    if attempt is not None:
        # The account that logged in, whatever spelling was typed.
        attempt.username = loginlimits.normalise(user.get_username())
        loginlimits.succeeded(attempt)
