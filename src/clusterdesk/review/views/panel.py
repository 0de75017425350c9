"""The city's review pages: rounds overview, a round's phases and settings, a phase's
assignments (automatic, by hand, removal, 补充分配)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.accounts.models import User
from clusterdesk.declarations.models import Application
from clusterdesk.errors import DomainError
from clusterdesk.review.domain import assignments as doors
from clusterdesk.review.domain.phases import (
    add_pre_review,
    close_phase,
    open_phase,
    phases_for,
    remove_phase,
    update_phase,
)
from clusterdesk.review.domain.settings import review_settings, update_settings
from clusterdesk.review.forms import ManualForm, PhaseForm, RemovalForm, ReplaceForm, SettingsForm
from clusterdesk.review.models import Assignment, ReviewEvent, ReviewPhase
from clusterdesk.review.permissions import MANAGE
from clusterdesk.review.views.common import form_errors, say_refused
from clusterdesk.rounds.domain import reviewed_rounds
from clusterdesk.rounds.models import Round


@require_GET
@require(MANAGE.refusal)
def overview(request: HttpRequest) -> HttpResponse:
    rounds = reviewed_rounds().order_by("-last_data_year", "-pk")
    rows = [(round_, list(round_.review_phases.order_by("position", "pk"))) for round_ in rounds]
    return render(request, "review/overview.html", {"rows": rows})


@require_GET
@require(MANAGE.refusal)
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    phases = phases_for(round_)
    settings = review_settings(round_)
    forms = [
        (
            phase,
            PhaseForm(
                initial={
                    "name": phase.name,
                    "opens_at": phase.opens_at,
                    "closes_at": phase.closes_at,
                },
                prefix=f"p{phase.pk}",
            ),
        )
        for phase in phases
    ]
    settings_form = SettingsForm(
        initial={
            "experts_per_application": settings.experts_per_application,
            "conflict_years": settings.conflict_years,
            "anonymise_county": settings.anonymise_county,
        }
    )
    events = ReviewEvent.objects.filter(round=round_, application__isnull=True).select_related(
        "actor"
    )
    return render(
        request,
        "review/round.html",
        {
            "round": round_,
            "phases": forms,
            "settings_form": settings_form,
            "events": events.order_by("-at", "-pk")[:50],
            "under_review": doors.applications_under_review(round_).count(),
        },
    )


@require_POST
@require(MANAGE.refusal)
def settings_save(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "评审设置未保存：" + form_errors(form))
    else:
        try:
            update_settings(round_, request.user, **form.cleaned_data)
        except DomainError as exc:
            say_refused(request, exc)
        else:
            messages.success(request, "评审设置已保存。")
    return redirect("review:round", pk=pk)


@require_POST
@require(MANAGE.refusal)
def phase_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    try:
        add_pre_review(round_, request.user)
    except DomainError as exc:
        say_refused(request, exc)
    else:
        messages.success(request, "已新增预审阶段。")
    return redirect("review:round", pk=pk)


def _phase(pk: int) -> ReviewPhase:
    return get_object_or_404(ReviewPhase.objects.select_related("round"), pk=pk)


@require_POST
@require(MANAGE.refusal)
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = _phase(pk)
    form = PhaseForm(request.POST, prefix=f"p{phase.pk}")
    if not form.is_valid():
        messages.error(request, f"“{phase.name}”未保存：" + form_errors(form))
    else:
        try:
            update_phase(phase, request.user, **form.cleaned_data)
        except DomainError as exc:
            say_refused(request, exc)
        else:
            messages.success(request, f"“{form.cleaned_data['name']}”已保存。")
    return redirect("review:round", pk=phase.round_id)


@require_POST
@require(MANAGE.refusal)
def phase_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, open_phase, "已开放")


@require_POST
@require(MANAGE.refusal)
def phase_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, close_phase, "已结束")


@require_POST
@require(MANAGE.refusal)
def phase_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, remove_phase, "已删除")


def _act(request, pk, door, done) -> HttpResponse:
    phase = _phase(pk)
    try:
        door(phase, request.user)
    except DomainError as exc:
        say_refused(request, exc)
    else:
        messages.success(request, f"“{phase.name}”{done}。")
    return redirect("review:round", pk=phase.round_id)


# --- assignments ------------------------------------------------------------------------------


@require_GET
@require(MANAGE.refusal)
def assignments_page(request: HttpRequest, pk: int) -> HttpResponse:
    phase = _phase(pk)
    board = doors.board(phase)
    events = (
        ReviewEvent.objects.filter(phase=phase, application__isnull=False)
        .select_related("actor", "application", "expert", "expert__expert_profile")
        .order_by("-at", "-pk")[:100]
    )
    return render(
        request, "review/assignments.html", {"phase": phase, "board": board, "events": events}
    )


@require_POST
@require(MANAGE.refusal)
def auto_assign(request: HttpRequest, pk: int) -> HttpResponse:
    phase = _phase(pk)
    try:
        result = doors.auto_assign(phase, request.user)
    except DomainError as exc:
        say_refused(request, exc)
    else:
        if result.created:
            messages.success(request, f"已自动分配 {len(result.created)} 个评审任务。")
        else:
            messages.info(request, "各申报的评审专家已足额，没有新的分配。")
        for application, why in result.unfilled:
            messages.error(request, f"“{application}”未能足额分配：{why}")
    return redirect("review:assignments", pk=pk)


@require_POST
@require(MANAGE.refusal)
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    phase = _phase(pk)
    form = ManualForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未分配：" + form_errors(form))
        return redirect("review:assignments", pk=pk)
    application = Application.objects.filter(
        pk=form.cleaned_data["application"], round=phase.round
    ).first()
    expert = User.objects.filter(
        pk=form.cleaned_data["expert"], expert_profile__isnull=False
    ).first()
    if application is None:
        messages.error(request, "未分配：申报不存在或不属于本轮。")
    elif expert is None:
        messages.error(request, "未分配：专家库中没有该专家。")
    else:
        try:
            doors.assign_manually(
                phase, application, expert, request.user, form.cleaned_data["reason"]
            )
        except DomainError as exc:
            say_refused(request, exc)
        else:
            messages.success(
                request, f"已分配专家{expert.expert_profile.name}评审“{application}”。"
            )
    return redirect("review:assignments", pk=pk)


def _assignment(pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("phase", "application", "expert"), pk=pk
    )


@require_POST
@require(MANAGE.refusal)
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    form = RemovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未撤换：" + form_errors(form))
    else:
        try:
            doors.remove(assignment, request.user, form.cleaned_data["reason"])
        except DomainError as exc:
            say_refused(request, exc)
        else:
            messages.success(request, "已撤换该专家，请补充分配。")
    return redirect("review:assignments", pk=assignment.phase_id)


@require_POST
@require(MANAGE.refusal)
def assignment_replace(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    form = ReplaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未补充分配：" + form_errors(form))
        return redirect("review:assignments", pk=assignment.phase_id)
    expert = None
    if form.cleaned_data.get("expert"):
        expert = User.objects.filter(
            pk=form.cleaned_data["expert"], expert_profile__isnull=False
        ).first()
        if expert is None:
            messages.error(request, "未补充分配：专家库中没有该专家。")
            return redirect("review:assignments", pk=assignment.phase_id)
    try:
        new = doors.replace(assignment, request.user, expert, form.cleaned_data.get("reason", ""))
    except (DomainError, ValidationError) as exc:
        say_refused(request, exc)
    else:
        messages.success(request, f"已补充分配专家{new.expert.expert_profile.name}：{new.why}")
    return redirect("review:assignments", pk=assignment.phase_id)
