"""The user's notifications: the list, and marking them read.

Every notification is looked up by id *and* recipient, so another user's id is simply not
found (404), never revealed.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.accounts.permissions import refusal
from clusterdesk.declarations import clock
from clusterdesk.notifications.models import Notification

# The list shows the latest ones; older notices are of no use on a desk.
SHOWN = 200

signed_in = require(lambda user: refusal("notification.list", user))


@require_GET
@signed_in
def notification_list(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(recipient=request.user)
    context = {
        "notifications": list(mine.order_by("-created_at", "-pk")[:SHOWN]),
        "unread": mine.filter(read_at__isnull=True).count(),
        "total": mine.count(),
        "shown": SHOWN,
    }
    return render(request, "notifications/list.html", context)


@require_POST
@signed_in
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    return redirect("notifications:list")


@require_POST
@signed_in
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=clock.now()
    )
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。")
    return redirect("notifications:list")
