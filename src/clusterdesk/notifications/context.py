"""Template context processor: the header's count of unread notifications."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from clusterdesk.notifications.domain import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """A callable, not a number: the count is asked only by pages that show the header, and
    once however often the template reads it (one query per page at most)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": cache(lambda: unread_count(user))}
