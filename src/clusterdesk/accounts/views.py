"""Login, logout, password change and the page of a refused login attempt."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from clusterdesk.accounts.loginlimits import Refusal
from clusterdesk.accounts.navigation import landing_path

# Set at login, removed at logout: a browser that still has it but no longer a session was
# signed out for being idle (SESSION_COOKIE_AGE), and the login page says so. It holds no secret.
SIGNED_IN_COOKIE = "clusterdesk_signed_in"
SIGNED_IN_DAYS = 30


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"

    def get_default_redirect_url(self) -> str:
        # A safe ?next= still wins (LoginView checks it first); otherwise the role's own page.
        return landing_path(self.request.user.role)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = self.request
        context["expired"] = (
            not request.user.is_authenticated and request.COOKIES.get(SIGNED_IN_COOKIE) == "1"
        )
        context["idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        response.set_cookie(
            SIGNED_IN_COOKIE,
            "1",
            max_age=SIGNED_IN_DAYS * 24 * 3600,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET), so that a link or an image cannot sign anyone out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


def refused(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """429 for a login attempt the policy refused before checking the password: why, and when to
    try again, as a wait and a Beijing time; the Retry-After header says the same in seconds."""
    until = timezone.localtime(datetime.fromtimestamp(refusal.until, tz=UTC))
    context = {
        "reason": refusal.reason,
        "wait": wait_text(refusal.retry_after),
        "until": until.strftime("%H:%M"),
        "cooloff_minutes": settings.CLUSTERDESK_LOGIN_COOLOFF_MINUTES,
    }
    response = render(request, "registration/lockout.html", context, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    # Not one "Too Many Requests" line per refused attempt from django.request: under attack
    # that would be thousands a minute. loginlimits logs each lock and limit once instead.
    response._has_been_logged = True
    return response


def wait_text(seconds: int) -> str:
    """“45秒” or, from a minute on, whole minutes rounded up: “15分钟”."""
    if seconds < 60:
        return f"{seconds}秒"
    return f"{math.ceil(seconds / 60)}分钟"
