"""The city's pages: the 会审 decision, starting a 公示, objections and their handling."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.declarations.enums import ApplicationState as State
from clusterdesk.intake.domain.desk import chosen_round
from clusterdesk.publicity.domain import decision as decisions
from clusterdesk.publicity.domain import objections as objection_doors
from clusterdesk.publicity.domain import publicity as publicities
from clusterdesk.publicity.domain.ranking import rows_for
from clusterdesk.publicity.models import Objection, Outcome, Publicity
from clusterdesk.publicity.permissions import DECIDE, READ
from clusterdesk.publicity.views.inputs import BadInput, date_field, text_field
from clusterdesk.publicity.views.notice import notice_response
from clusterdesk.rounds.domain import reviewed_rounds_open_first
from clusterdesk.rounds.models import Round
from clusterdesk.web.params import object_id


@require_GET
@require(READ.refusal)
def home(request: HttpRequest) -> HttpResponse:
    rounds = reviewed_rounds_open_first()
    wanted = object_id(request.GET.get("round")) if request.GET.get("round") else None
    if request.GET.get("round") and wanted is None:
        raise Http404("没有该申报轮次。")
    round_ = chosen_round(rounds, wanted)
    if round_ is None and wanted is not None:
        raise Http404("没有该申报轮次。")
    context = {"rounds": rounds, "round": round_}
    if round_ is not None:
        context.update(
            under_review=rows_for(round_),
            decisions=decisions.decisions_of(round_),
            publicities=[(p, publicities.status_of(p)) for p in publicities.publicities_of(round_)],
            awaiting=publicities.awaiting_publicity(round_),
            working_days=publicities.WORKING_DAYS,
        )
    return render(request, "publicity/home.html", context)


def _choices(request: HttpRequest, rows) -> list[decisions.Choice]:
    proposed = {object_id(raw) for raw in request.POST.getlist("proposed")}
    return [
        decisions.Choice(
            application_id=row.application.pk,
            proposed=row.application.pk in proposed,
            reason=text_field(request.POST, f"reason_{row.application.pk}"),
            departure_reason=text_field(request.POST, f"departure_{row.application.pk}"),
        )
        for row in rows
    ]


@require_http_methods(["GET", "POST"])
@require(READ.refusal)
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    rows = rows_for(round_)
    problems: list[str] = []
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        denied = DECIDE.refusal(request.user)
        if denied:
            raise PermissionDenied(denied)
        try:
            held_on = date_field(posted.get("held_on"), "会审日期")
            recorded = decisions.record_decision(
                round_,
                held_on,
                text_field(posted, "members"),
                text_field(posted, "minutes"),
                _choices(request, rows),
                request.user,
            )
        except decisions.DecisionRefused as refused:
            problems = refused.problems
        except BadInput as bad:
            problems = [bad.message]
        else:
            proposed = sum(item.proposed for item in recorded.items.all())
            messages.success(
                request,
                f"会审决定已记录：拟认定 {proposed} 个，不予认定 {len(rows) - proposed} 个；"
                "区县已收到通知。",
            )
            return redirect(f"{reverse('publicity:home')}?round={round_.pk}")
    proposed_ids = (
        {object_id(raw) for raw in posted.getlist("proposed")} if posted is not None else set()
    )
    return render(
        request,
        "publicity/decision.html",
        {
            "round": round_,
            "rows": [
                {
                    "row": row,
                    "proposed": row.application.pk in proposed_ids,
                    "reason": posted.get(f"reason_{row.application.pk}", "") if posted else "",
                    "departure": posted.get(f"departure_{row.application.pk}", "")
                    if posted
                    else "",
                }
                for row in rows
            ],
            "problems": problems,
            "posted": posted or {},
            "decisions": decisions.decisions_of(round_),
        },
        status=400 if problems else 200,
    )


@require_POST
@require(DECIDE.refusal)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    try:
        starts_on = date_field(request.POST.get("starts_on"), "公示开始日期")
        publicity = publicities.start_publicity(
            round_, starts_on, text_field(request.POST, "contact"), request.user
        )
    except (publicities.PublicityRefused, BadInput) as refused:
        messages.error(request, f"公示未发起：{refused.message}")
        return redirect(f"{reverse('publicity:home')}?round={round_.pk}")
    messages.success(
        request,
        f"公示已发起：{publicity.starts_on:%Y-%m-%d}至{publicity.ends_on:%Y-%m-%d}"
        f"（{publicity.working_days}个工作日），共 {publicity.items.count()} 个集群。",
    )
    return redirect("publicity:detail", publicity.pk)


def _publicity(pk: int) -> Publicity:
    return get_object_or_404(Publicity.objects.select_related("round"), pk=pk)


@require_GET
@require(READ.refusal)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = _publicity(pk)
    items = list(publicity.items.select_related("application"))
    return render(
        request,
        "publicity/detail.html",
        {
            "publicity": publicity,
            "status": publicities.status_of(publicity),
            "items": items,
            "proposed_items": [i for i in items if i.application.state == State.PROPOSED],
            "objections": objection_doors.objections_of(publicity),
            "outcomes": [(Outcome.UPHELD, "成立"), (Outcome.DISMISSED, "不成立")],
            "today": publicities.today(),
        },
    )


@require_POST
@require(DECIDE.refusal)
def objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = _publicity(pk)
    post = request.POST
    try:
        objection = objection_doors.record_objection(
            publicity,
            publicities.in_publicity(publicity, object_id(post.get("application"))),
            text_field(post, "name"),
            text_field(post, "organisation"),
            text_field(post, "contact"),
            text_field(post, "content"),
            date_field(post.get("received_on"), "收到日期"),
            request.user,
        )
    except (objection_doors.ObjectionRefused, BadInput) as refused:
        messages.error(request, f"异议未登记：{refused.message}")
    else:
        if objection.signed:
            messages.success(request, f"已登记异议（予以受理）：{objection}。")
        else:
            messages.warning(request, f"已登记异议，不予受理：{objection.not_accepted_reason}")
    return redirect("publicity:detail", publicity.pk)


@require_POST
@require(DECIDE.refusal)
def objection_handle(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection, pk=pk)
    post = request.POST
    try:
        if post.get("action") == "override":
            objection_doors.override_objection(objection, request.user, text_field(post, "reason"))
            done = "已记录会审研究决定。"
        else:
            outcome = post.get("outcome") or Outcome.PENDING
            objection_doors.handle_objection(
                objection, request.user, text_field(post, "notes"), outcome
            )
            done = "已记录调查核实情况。" if outcome == Outcome.PENDING else "已记录处理结论。"
    except (objection_doors.ObjectionRefused, BadInput) as refused:
        messages.error(request, f"未保存：{refused.message}")
    else:
        messages.success(request, done)
    return redirect("publicity:detail", objection.publicity_id)


@require_POST
@require(DECIDE.refusal)
def reject(request: HttpRequest, pk: int, application_id: int) -> HttpResponse:
    publicity = _publicity(pk)
    application = publicities.in_publicity(publicity, application_id)
    if application is None:
        raise Http404("该集群不在本次公示名单中。")
    try:
        objection_doors.reject_proposed(
            application, request.user, text_field(request.POST, "reason")
        )
    except (objection_doors.ObjectionRefused, BadInput) as refused:
        messages.error(request, f"未保存：{refused.message}")
    else:
        messages.success(request, f"“{application}”已不予认定，区县已收到通知。")
    return redirect("publicity:detail", publicity.pk)


@require_GET
@require(READ.refusal)
def notice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return notice_response(request, _publicity(pk), fmt)
