"""Deleting a draft (the county, with a confirmation page) and restoring it (the city bureau)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from clusterdesk.accounts.access import require
from clusterdesk.county.domain import drafts as domain
from clusterdesk.county.domain.board import county_work_refusal
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.workflow import TransitionRefused

REASON_MAX = 500


@require(county_work_refusal)
def delete_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what will happen, and the button; POST: delete (an optional reason)."""
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    problem = None
    reason = request.POST.get("reason", "")[:REASON_MAX] if request.method == "POST" else ""
    if request.method == "POST":
        try:
            domain.delete_draft(application, request.user, reason)
        except TransitionRefused as refused:
            problem = refused.message
        else:
            messages.success(request, f"草稿“{application}”已删除。如需恢复，请联系市经信局。")
            return redirect("county:dashboard")
    return render(
        request,
        "county/delete.html",
        {
            "application": application,
            "problem": problem,
            "refusal": domain.delete_refusal(application, request.user),
            "reason": reason,
        },
        status=400 if problem else 200,
    )


@require_safe
@require(domain.restore_refusal)
def deleted_drafts(request: HttpRequest) -> HttpResponse:
    """The city bureau's list of deleted drafts, each with a 恢复 form."""
    return render(request, "county/deleted.html", {"drafts": domain.deleted_drafts(request.user)})


@require_POST
@require(domain.restore_refusal)
def restore_draft(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    reason = request.POST.get("reason", "")[:REASON_MAX]
    try:
        domain.restore_draft(application, request.user, reason)
    except TransitionRefused as refused:
        messages.error(request, f"未能恢复“{application}”：{refused.message}")
    else:
        messages.success(
            request, f"“{application}”已恢复为草稿，{application.organisation}可继续填写。"
        )
    return redirect("county:deleted")
