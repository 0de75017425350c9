"""What the review's views share: turning a refusal into a message on the page it came from."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from clusterdesk.errors import DomainError


def refusal_text(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "；".join("；".join(m) for m in exc.message_dict.values())
        return "；".join(exc.messages)
    raise exc


def say_refused(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, refusal_text(exc))


def form_errors(form) -> str:
    """A bound form's errors as one Chinese line naming each field."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = "；".join(errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)
