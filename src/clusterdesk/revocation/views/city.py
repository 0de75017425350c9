"""The city's revocation pages: the list of revocations and the revoke form of a registry row."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clusterdesk.accounts.access import require
from clusterdesk.declarations import clock
from clusterdesk.errors import DomainError
from clusterdesk.registry.domain.registry import day_text, line_of, registry_rows
from clusterdesk.registry.domain.settings import registry_settings
from clusterdesk.revocation.domain import revocation_refusal, revoke
from clusterdesk.revocation.domain.notice import revocations
from clusterdesk.revocation.domain.revoke import MAX_NUMBER, MAX_REASON
from clusterdesk.revocation.enums import RevocationReason
from clusterdesk.revocation.permissions import MANAGE, VIEW

PER_PAGE = 50


@require_GET
@require(VIEW.refusal)
def revocation_list(request: HttpRequest) -> HttpResponse:
    rows = revocations().order_by("-decided_on", "-pk")
    wanted = request.GET.get("reason_class", "")
    if wanted in RevocationReason.values:
        rows = rows.filter(reason_class=wanted)
    elif wanted:
        rows = rows.none()  # an unknown class selects nothing, never everything
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "revocation/list.html",
        {
            "page": page,
            "classes": RevocationReason.choices,
            "wanted": wanted,
            "query": f"reason_class={wanted}&" if wanted in RevocationReason.values else "",
        },
    )


_DATE = forms.DateField()


def _day(raw: str):
    """The date typed (2024-05-06, 2024/5/6 …), or None when it is not one."""
    try:
        return _DATE.clean((raw or "").strip()[:20])
    except ValidationError:
        return None


def _form_page(request, row, values, status=200) -> HttpResponse:
    return render(
        request,
        "revocation/new.html",
        {
            "row": row,
            "line": line_of(row),
            "refusal": revocation_refusal(row, request.user),
            "classes": RevocationReason.choices,
            "values": values,
            "max_reason": MAX_REASON,
            "max_number": MAX_NUMBER,
            "today": clock.today(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require(MANAGE.refusal)
def revocation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The revoke form of one certification (from its registry row). ``?reason_class=`` only
    preselects a class (e.g. from a major change's decision); the city still confirms."""
    row = get_object_or_404(registry_rows(clock.today()), pk=pk)
    if request.method == "GET":
        prefill = request.GET.get("reason_class", "")
        prefix = registry_settings(row.application.round).document_prefix
        values = {
            "reason_class": prefill if prefill in RevocationReason.values else "",
            "reason": "",
            "document_number": f"{prefix}〔{clock.today().year}〕号",
            "decided_on": clock.today().isoformat(),
        }
        return _form_page(request, row, values)
    values = {
        name: request.POST.get(name, "")
        for name in ("reason_class", "reason", "document_number", "decided_on")
    }
    decided_on = _day(values["decided_on"])
    try:
        if decided_on is None:
            raise DomainError("决定日期：请填写有效的日期。")
        revocation = revoke(
            row,
            reason_class=values["reason_class"],
            reason=values["reason"],
            document_number=values["document_number"],
            decided_on=decided_on,
            actor=request.user,
        )
    except DomainError as refused:
        messages.error(request, f"未撤销：{refused.message}")
        return _form_page(request, row, values)
    messages.success(
        request,
        f"已撤销“{row.cluster_name or row.application}”的认定（{revocation.document_number}，"
        f"{day_text(revocation.decided_on)}），可下载撤销认定通报。",
    )
    return redirect("revocation:detail", pk=revocation.pk)
