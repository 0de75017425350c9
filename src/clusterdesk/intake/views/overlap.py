"""交叉比对: the flags of a round between two applications (this round's or an earlier one's),
filtered by kind and status, and dismissing one (已核实，非抄袭) with a reason."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.errors import DomainError
from clusterdesk.intake.domain.desk import chosen_round, desk_rounds
from clusterdesk.intake.domain.overlap_flags import (
    KINDS,
    STATUSES,
    counts,
    dismiss,
    filtered,
    flags_for,
    of_round,
    shown,
)
from clusterdesk.intake.permissions import DESK, OVERLAP_DISMISS
from clusterdesk.web.params import object_id

PER_PAGE = 20


@require_GET
@require(DESK.refusal)
def overlap_page(request: HttpRequest) -> HttpResponse:
    rounds = desk_rounds()
    raw = request.GET.get("round", "")
    wanted = object_id(raw) if raw else None
    round_ = chosen_round(rounds, wanted)
    if raw and (wanted is None or round_ is None):
        raise Http404("没有该申报轮次。")
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    context: dict = {
        "rounds": rounds,
        "round": round_,
        "kinds": KINDS,
        "statuses": STATUSES,
        "kind": kind if kind in KINDS else "",
        "status": status if status in STATUSES else "",
        "page": None,
        "can_dismiss": not OVERLAP_DISMISS.refusal(request.user),
    }
    if round_ is not None:
        flags = of_round(flags_for(request.user), round_)
        listed = filtered(flags, kind=kind, status=status).order_by("-found_at", "pk")
        page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
        query = {k: v for k, v in (("round", round_.pk), ("kind", kind), ("status", status)) if v}
        context.update(
            counts=counts(flags),
            page=page,
            shown=[shown(flag) for flag in page.object_list],
            query=urlencode(query),
        )
    return render(request, "intake/overlap.html", context)


@require_POST
@require(OVERLAP_DISMISS.refusal)
def overlap_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """已核实，非抄袭; a refusal (no reason, already dismissed, not found) says why and
    changes nothing."""
    back = request.POST.get("back", "")
    # Back to the page the officer came from: the list or an application page of the desk.
    desk = reverse("intake:desk")
    target = back if back.startswith(desk) and "//" not in back else reverse("intake:overlap")
    try:
        dismiss(request.user, pk, request.POST.get("reason", ""))
    except DomainError as refused:
        messages.error(request, f"未核实：{refused.message}")
        return redirect(target)
    messages.success(
        request, "已记录：已核实，非抄袭。重新提交或重建索引后，同一提示仍视为已核实。"
    )
    return redirect(target)
