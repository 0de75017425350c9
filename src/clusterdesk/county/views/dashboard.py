"""The county dashboard (/county/): every round the county has applications in (open rounds
first), deadlines, the county's applications with their state, the city's reason for a return,
and their documents. The city bureau and admins are sent to the city's desk (审核工作台), whose
收件箱 replaced the all-county overview that once lived here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clusterdesk.accounts.access import require
from clusterdesk.accounts.enums import Role
from clusterdesk.county.domain.board import (
    county_board,
    county_work_refusal,
    dashboard_refusal,
    new_draft,
)
from clusterdesk.county.domain.documents import save_summary_header
from clusterdesk.documents.pdf import libreoffice_available
from clusterdesk.errors import DomainError
from clusterdesk.rounds.domain import open_rounds
from clusterdesk.web.errors import BadInput
from clusterdesk.web.params import object_id

# A page number past any real list still must not overflow the database's integers.
MAX_PAGE = 10_000


@require(dashboard_refusal)
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.COUNTY_OFFICER:
        # By name, not by import: the desk is a layer above the county's pages.
        wanted = object_id(request.GET.get("round"))
        return redirect(reverse("intake:desk") + (f"?round={wanted}" if wanted else ""))
    # ?round=<id>&page=<n>: one round's applications page by page (the board shows a page each).
    only = object_id(request.GET.get("round")) if "round" in request.GET else None
    if "round" in request.GET and only is None:
        raise Http404("没有该申报轮次。")
    page = min(object_id(request.GET.get("page")) or 1, MAX_PAGE)
    boards = county_board(user, only, page)
    if only is not None and not boards:
        raise Http404("没有该申报轮次。")
    return render(
        request,
        "county/dashboard.html",
        {
            "rounds": [{"board": board, "header": board.header} for board in boards],
            "single_round": only is not None,
            "pdf_available": libreoffice_available(),
        },
    )


@require_POST
@require(county_work_refusal)
def new_application(request: HttpRequest) -> HttpResponse:
    round_id = object_id(request.POST.get("round"))
    if round_id is None:
        raise BadInput("请选择要新建申报的申报轮次。")
    round_ = get_object_or_404(open_rounds(), pk=round_id)
    try:
        application = new_draft(round_, request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("county:dashboard")
    messages.success(request, "已新建申报草稿，请逐页填写申报表。")
    return redirect("form:page", application.pk, "cover")


@require_POST
@require(county_work_refusal)
def save_header(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = get_object_or_404(open_rounds(), pk=round_id)
    try:
        save_summary_header(
            request.user,
            round_,
            department=request.POST.get("department", ""),
            contact=request.POST.get("contact", ""),
            mobile=request.POST.get("mobile", ""),
        )
    except ValidationError as invalid:
        for message in invalid.messages:
            messages.error(request, f"推荐汇总表表头未保存：{message}")
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "推荐汇总表表头已保存。")
    return redirect("county:dashboard")
