"""Admin for append-only records (events, submission snapshots): shown, never added, changed or
deleted there. Their models refuse it too (``AppendOnly``); this keeps the buttons away."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """For a ``ModelAdmin`` or an inline (whose permission checks also take ``obj``)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
