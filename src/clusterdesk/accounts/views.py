"""Login, logout, password change and the login lockout page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from clusterdesk.accounts.navigation import landing_path


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"

    def get_default_redirect_url(self) -> str:
        # A safe ?next= still wins (LoginView checks it first); otherwise the role's own page.
        return landing_path(self.request.user.role)


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET), so that a link or an image cannot sign anyone out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


def lockout(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes calls this (AXES_LOCKOUT_CALLABLE) when a username+IP pair is locked."""
    context = {"cooloff_minutes": settings.LOGIN_COOLOFF_MINUTES}
    return render(request, "registration/lockout.html", context, status=429)
