"""修改记录: every save of an application's form, who made it and what it changed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from clusterdesk.declarations.domain.history import history
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.domain.restore import restorable, restore_before
from clusterdesk.declarations.permissions import EDIT
from clusterdesk.errors import DomainError
from clusterdesk.web.params import object_id

SHOWN_REVISIONS = 20  # per page: an import's revision can hold the whole form twice


@login_required
@require_safe
def application_history(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    before = object_id(request.GET.get("before"))
    entries = history(application, limit=SHOWN_REVISIONS, before=before)
    context = {
        "application": application,
        "entries": entries,
        # The link to older revisions starts below the last one shown.
        "older": entries[-1].version if len(entries) == SHOWN_REVISIONS else None,
        "paged": before is not None,
        # 恢复到此版本之前 is offered on imports, to those who may edit the application now.
        "may_restore": EDIT.refusal(request.user, application) is None,
        "restorable": [entry.version for entry in entries if restorable(entry.source_key)],
    }
    return render(request, "declarations/history.html", context)


@login_required
@require_POST
def restore_import(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """恢复到此版本之前: the boxes an import changed get their values from before it back,
    as a new revision."""
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    refusal = EDIT.refusal(request.user, application)
    if refusal:
        raise PermissionDenied(refusal)
    try:
        new_version = restore_before(application, version, request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("form:history", pk=application.pk)
    messages.success(
        request, f"已恢复到第 {version} 版导入之前的内容（记为第 {new_version} 版），请核对。"
    )
    return redirect(reverse("form:history", args=[application.pk]) + f"#version-{new_version}")
