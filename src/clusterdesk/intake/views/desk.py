"""The city's intake desk: 审核工作台, 收件箱 (filter, sort, bulk accept), and one application
read by the city with 受理 and 退回修改. Exports run in the background (clusterdesk.exports)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from clusterdesk.accounts.access import require
from clusterdesk.declarations import clock
from clusterdesk.declarations.domain.comments import comments_of, draft_count
from clusterdesk.declarations.domain.integrity import latest_checks
from clusterdesk.declarations.domain.queries import visible_applications
from clusterdesk.declarations.domain.timeline import timeline
from clusterdesk.declarations.workflow import TransitionRefused
from clusterdesk.intake.domain.desk import (
    NAME,
    State,
    accept,
    bulk_accept,
    chosen_round,
    desk,
    desk_rounds,
    inbox_list,
    send_back,
)
from clusterdesk.intake.domain.formal import evaluate, latest_check, record_check
from clusterdesk.intake.domain.paper import ReceiptForm, latest_submission, receipts, record_receipt
from clusterdesk.intake.domain.reading import reading
from clusterdesk.intake.filters import ACCEPTED, InboxFilter
from clusterdesk.intake.permissions import DECIDE, DESK
from clusterdesk.intake.tables import PER_PAGE, InboxTable
from clusterdesk.web.params import object_id


def _round(request: HttpRequest, source=None):
    """The round asked for (?round=), else the newest open one; 404 for an unknown one."""
    source = request.GET if source is None else source
    rounds = desk_rounds()
    wanted = object_id(source.get("round")) if source.get("round") else None
    if source.get("round") and wanted is None:
        raise Http404("没有该申报轮次。")
    round_ = chosen_round(rounds, wanted)
    if round_ is None and wanted is not None:
        raise Http404("没有该申报轮次。")
    return rounds, round_


def _inbox_url(round_, **filters) -> str:
    query = {"round": round_.pk, **{k: v for k, v in filters.items() if v not in (None, "")}}
    return f"{reverse('intake:inbox')}?{urlencode(query)}"


@require_GET
@require(DESK.refusal)
def desk_page(request: HttpRequest) -> HttpResponse:
    rounds, round_ = _round(request)
    context = {"rounds": rounds, "round": round_, "desk": None}
    if round_ is not None:
        board = desk(request.user, round_)
        links = []
        for line, not_submitted, late in board.rows:
            unit = line.unit.pk
            links.append(
                {
                    "line": line,
                    "not_submitted": not_submitted,
                    "late": late,
                    "paper_missing": board.paper_missing(line),
                    "paper_yes": _inbox_url(round_, organisation=unit, paper="yes"),
                    "paper_no": _inbox_url(round_, organisation=unit, paper="no"),
                    "all": _inbox_url(round_, organisation=unit),
                    "drafts": _inbox_url(round_, organisation=unit, state=State.DRAFT),
                    "submitted": _inbox_url(round_, organisation=unit, state=State.SUBMITTED),
                    "returned": _inbox_url(round_, organisation=unit, state=State.RETURNED),
                    "accepted": _inbox_url(round_, organisation=unit, state=ACCEPTED),
                }
            )
        context.update(
            desk=board,
            lines=links,
            totals=board.totals,
            total_links={
                "all": _inbox_url(round_),
                "drafts": _inbox_url(round_, state=State.DRAFT),
                "submitted": _inbox_url(round_, state=State.SUBMITTED),
                "returned": _inbox_url(round_, state=State.RETURNED),
                "accepted": _inbox_url(round_, state=ACCEPTED),
                "paper_yes": _inbox_url(round_, paper="yes"),
                "paper_no": _inbox_url(round_, paper="no"),
            },
        )
    return render(request, "intake/desk.html", context)


def _filtered(request: HttpRequest):
    rounds, round_ = _round(request)
    if round_ is None:
        return rounds, None, None
    filterset = InboxFilter(request.GET or None, queryset=inbox_list(request.user, round_))
    return rounds, round_, filterset


@require_GET
@require(DESK.refusal)
def inbox_page(request: HttpRequest) -> HttpResponse:
    rounds, round_, filterset = _filtered(request)
    context = {"rounds": rounds, "round": round_, "filter": filterset, "table": None}
    if filterset is not None:
        table = InboxTable(filterset.qs, user=request.user)
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        context.update(table=table, query=query.urlencode(), export_query=request.GET.urlencode())
    return render(request, "intake/inbox.html", context)


@require_POST
@require(DECIDE.refusal)
def inbox_accept(request: HttpRequest) -> HttpResponse:
    _rounds, round_ = _round(request, request.POST)
    if round_ is None:
        raise Http404("没有该申报轮次。")
    ids = request.POST.getlist("ids")
    back = request.POST.get("back", "")
    target = back if back.startswith(reverse("intake:inbox") + "?") else _inbox_url(round_)
    if not ids:
        messages.error(request, "请先勾选要受理的申报。")
        return redirect(target)
    result = bulk_accept(request.user, round_, ids)
    if result.accepted:
        messages.success(
            request, f"已受理 {len(result.accepted)} 份申报：" + "；".join(result.accepted)
        )
    if result.refused:
        messages.error(
            request,
            f"{len(result.refused)} 份未受理："
            + "；".join(f"{label}：{why}" for label, why in result.refused),
        )
    return redirect(target)


def _application(request: HttpRequest, pk: int):
    return get_object_or_404(
        visible_applications(request.user).defer("data").annotate(name=F(NAME)), pk=pk
    )


def _application_page(
    request: HttpRequest, app, receipt_form: ReceiptForm | None = None, status: int = 200
) -> HttpResponse:
    latest = latest_submission(app)
    recorded = list(receipts(app))
    check = latest_check(app, latest)
    # The auto items as they stand now, beside the boxes the officer ticks (a preview: only
    # 记录审查结果 records it). Only for the officer who decides, and only once submitted.
    preview = None
    if latest is not None and not DECIDE.refusal(request.user):
        preview = evaluate(app, latest)
    return render(
        request,
        "intake/application.html",
        {
            "app": app,
            "latest": latest,
            # Does the latest snapshot still hold what was submitted (recomputed SHA-256)?
            "snapshot": latest_checks([app.pk]).get(app.pk),
            "timeline": timeline(app),
            # 审核意见 (declarations/comments/_review.html)
            "comments": comments_of(app, request.user),
            "draft_comments": draft_count(app),
            "reading": reading(app),
            "can_accept": app.state == State.SUBMITTED,
            "can_return": app.state in (State.SUBMITTED, State.UNDER_REVIEW),
            "receipt": recorded[0] if recorded else None,
            "earlier_receipts": recorded[1:],
            "check": check,
            "preview": preview,
            "receipt_form": receipt_form or ReceiptForm(initial={"received_on": clock.today()}),
        },
        status=status,
    )


@require_GET
@require(DESK.refusal)
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, _application(request, pk))


@require_POST
@require(DECIDE.refusal)
def application_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """登记纸质材料: a form error re-shows the page with the field named, nothing saved."""
    app = _application(request, pk)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "未登记：" + "；".join(e for es in form.errors.values() for e in es)
        )
        return _application_page(request, app, form, status=400)
    try:
        receipt = record_receipt(app, request.user, form.cleaned_data)
    except TransitionRefused as refused:
        messages.error(request, f"未登记：{refused.message}")
        return _application_page(request, app, form, status=400)
    text = f"已登记纸质材料：正本 {receipt.originals} 份、副本 {receipt.copies} 份。"
    if receipt.shortfall:
        text += receipt.shortfall + "。"
    if receipt.matches is False:
        text += "电子版 SHA-256 与提交快照不一致。"
    messages.success(request, text)
    return redirect("intake:application", app.pk)


def _posted_version(request: HttpRequest, app) -> None:
    """The version the officer read: if someone moved the application since, the door refuses."""
    version = object_id(request.POST.get("version"))
    if version is not None:
        app.version = version


def _decide(request: HttpRequest, pk: int, act, refused: str, done: str) -> HttpResponse:
    """受理 or 退回: ``act(app)`` through the door at the version read; the outcome as a message."""
    app = _application(request, pk)
    _posted_version(request, app)
    try:
        act(app)
    except TransitionRefused as why:
        messages.error(request, f"{refused}：{why.message}")
    else:
        messages.success(request, done)
    return redirect("intake:application", app.pk)


@require_POST
@require(DECIDE.refusal)
def application_accept(request: HttpRequest, pk: int) -> HttpResponse:
    confirm = request.POST.get("confirm_failed") == "1"
    return _decide(
        request,
        pk,
        lambda app: accept(app, request.user, confirm_failed=confirm),
        "未受理",
        "已受理，申报进入审核。",
    )


@require_POST
@require(DECIDE.refusal)
def application_return(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _decide(
        request,
        pk,
        lambda app: send_back(app, request.user, reason),
        "未退回",
        "已退回修改，区县可见退回理由。",
    )


@require_POST
@require(DECIDE.refusal)
def application_formal_check(request: HttpRequest, pk: int) -> HttpResponse:
    """记录形式审查: the auto items decided now, the manual ones as ticked (``item`` ids)."""
    app = _application(request, pk)
    try:
        check = record_check(
            app, latest_submission(app), request.user, set(request.POST.getlist("item"))
        )
    except TransitionRefused as refused:
        messages.error(request, f"未记录：{refused.message}")
    else:
        if check.passed:
            messages.success(request, "已记录形式审查：通过。")
        else:
            failed = "、".join(item["text"] for item in check.failed_items)
            messages.warning(request, f"已记录形式审查：不通过（{failed}）。")
    return redirect(f"{reverse('intake:application', args=[app.pk])}#formal")
