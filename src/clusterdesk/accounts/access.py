"""View guards: anonymous users go to the login page, refused users get a 403 that says why.

The refusal comes from a domain function ``(user) -> str | None`` so that the rule and its Chinese
explanation live in one place, next to the queries that enforce the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from clusterdesk.accounts.models import User

View = Callable[..., HttpResponse]


def require(refusal: Callable[[User], str | None]) -> Callable[[View], View]:
    """Guard a view with ``refusal``: a non-empty answer is shown on the 403 page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            reason = refusal(request.user)
            if reason:
                raise PermissionDenied(reason)
            return view(request, *args, **kwargs)

        return guarded

    return decorator
