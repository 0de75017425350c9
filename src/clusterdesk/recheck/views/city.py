"""The city's 复核 pages: the due list and the 复核 rounds (/recheck/), one case with its
outcomes. Views translate HTTP only; every change goes through ``recheck.domain``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.declarations import clock
from clusterdesk.errors import DomainError
from clusterdesk.recheck.domain import due, material, outcomes, rounds
from clusterdesk.recheck.models import RecheckCase
from clusterdesk.recheck.permissions import MANAGE, VIEW
from clusterdesk.registry.models import Certification
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round
from clusterdesk.web.params import object_id


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _cases():
    return (
        RecheckCase.objects.select_related(
            "round",
            "application",
            "application__organisation",
            "certification",
            "certification__publication",
        )
        .defer("application__data")
        .prefetch_related("steps")
        .order_by("-round__created_at", "round_id", "pk")
    )


def _status(case: RecheckCase) -> str:
    steps = sorted(case.steps.all(), key=lambda s: (s.recorded_at, s.pk))
    return outcomes.status_text(case, steps[-1] if steps else None)


@require_GET
@require(VIEW.refusal)
def home(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    rechecks = list(Round.objects.filter(kind=RoundKind.RECHECK).order_by("-created_at", "-pk"))
    by_round: dict[int, list] = {r.pk: [] for r in rechecks}
    for case in _cases():
        by_round.setdefault(case.round_id, []).append((case, _status(case)))
    return render(
        request,
        "recheck/home.html",
        {
            "due": due.due_certifications(today),
            "today": today,
            "default_name": rounds.default_name(today),
            "rounds": [(r, by_round.get(r.pk, [])) for r in rechecks],
        },
    )


@require_POST
@require(MANAGE.refusal)
def open_round(request: HttpRequest) -> HttpResponse:
    ids = [pk for pk in (object_id(raw) for raw in request.POST.getlist("certification")) if pk]
    chosen = list(Certification.objects.filter(pk__in=ids))
    if len(chosen) != len(set(ids)):
        messages.error(request, "未发起复核：所选集群不存在，请刷新页面后重试。")
        return redirect("recheck:home")
    try:
        round_ = rounds.open_recheck(request.POST.get("name", ""), chosen, request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("recheck:home")
    messages.success(
        request,
        f"已发起“{round_}”：{round_.recheck_cases.count()} 个集群进入复核。"
        "请在“专家评审”中安排评审阶段和专家。",
    )
    return redirect("recheck:home")


def _case(pk: int) -> RecheckCase:
    return get_object_or_404(_cases(), pk=pk)


@require_GET
@require(VIEW.refusal)
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    steps = sorted(case.steps.all(), key=lambda s: (s.recorded_at, s.pk))
    current = steps[-1] if steps and steps[-1].kind == "rectify" else None
    return render(
        request,
        "recheck/case.html",
        {
            "case": case,
            "status": _status(case),
            "steps": steps,
            "rectifying": current,
            "follow_up_due": current is not None and clock.today() >= current.deadline,
            "open": case.application.state in due.OPEN_STATES,
            "under_review": case.application.state == "under_review",
            "reports": material.with_figures(material.reports_of(case.certification)),
            "renewal": Certification.objects.filter(renews=case.certification)
            .select_related("publication")
            .first(),
            "today": clock.today(),
        },
    )


def _done(request: HttpRequest, case: RecheckCase, action, success: str) -> HttpResponse:
    try:
        action()
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, success)
    return redirect("recheck:case", pk=case.pk)


@require_POST
@require(MANAGE.refusal)
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    return _done(
        request,
        case,
        lambda: outcomes.order_rectification(
            case,
            deadline=_date(request.POST.get("deadline")),
            requirements=request.POST.get("requirements", ""),
            actor=request.user,
        ),
        "已责令限期整改，并通知区县。",
    )


@require_POST
@require(MANAGE.refusal)
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    return _done(
        request,
        case,
        lambda: outcomes.record_follow_up(
            case, passed=True, note=request.POST.get("note", ""), actor=request.user
        ),
        "已记录整改复查通过：该集群回到会审名单。",
    )


@require_POST
@require(MANAGE.refusal)
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    return _done(
        request,
        case,
        lambda: outcomes.revoke_case(
            case,
            reason=request.POST.get("reason", ""),
            document_number=request.POST.get("document_number", ""),
            decided_on=_date(request.POST.get("decided_on")),
            actor=request.user,
        ),
        "复核不通过：已撤销认定并通知区县。",
    )
