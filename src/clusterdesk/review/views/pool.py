"""The city's expert pool (专家库) and each expert's own conflict register."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.errors import DomainError
from clusterdesk.review.domain.experts import (
    create_expert,
    declare_conflict,
    end_conflict,
    expert_pool,
    set_active,
    update_expert,
)
from clusterdesk.review.forms import ConflictForm, EndConflictForm, ExpertForm, NewExpertForm
from clusterdesk.review.models import ConflictDeclaration, ExpertProfile, ReviewEvent
from clusterdesk.review.permissions import EXPERT, MANAGE
from clusterdesk.review.views.common import form_errors, say_refused

MAX_FILTER = 50


@require_http_methods(["GET"])
@require(MANAGE.refusal)
def experts_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:MAX_FILTER]
    field = request.GET.get("field", "").strip()[:MAX_FILTER]
    active = request.GET.get("active", "")
    active = active if active in ("yes", "no") else ""
    experts = expert_pool(q=q, field=field, active=active).prefetch_related("conflicts")
    return render(
        request,
        "review/experts.html",
        {"experts": experts, "q": q, "field": field, "active": active},
    )


@require_http_methods(["GET", "POST"])
@require(MANAGE.refusal)
def expert_create(request: HttpRequest) -> HttpResponse:
    form = NewExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = create_expert(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(
                request, f"已添加专家“{profile.name}”，登录用户名：{profile.user.username}。"
            )
            return redirect("review:expert_edit", pk=profile.pk)
    return render(request, "review/expert_form.html", {"form": form, "profile": None})


@require_http_methods(["GET", "POST"])
@require(MANAGE.refusal)
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(ExpertProfile.objects.select_related("user"), pk=pk)
    initial = {
        "name": profile.name,
        "organisation_name": profile.organisation_name,
        "title": profile.title,
        "fields": "、".join(profile.fields or []),
        "phone": profile.phone,
    }
    form = ExpertForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_expert(profile, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, f"已保存专家“{form.cleaned_data['name']}”的信息。")
            return redirect("review:expert_edit", pk=profile.pk)
    events = ReviewEvent.objects.filter(expert=profile.user).select_related("actor")
    return render(
        request,
        "review/expert_form.html",
        {
            "form": form,
            "profile": profile,
            "declarations": profile.conflicts.order_by("-created_at", "pk"),
            "events": events.order_by("-at", "-pk")[:50],
        },
    )


@require_POST
@require(MANAGE.refusal)
def expert_active(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(ExpertProfile, pk=pk)
    wanted = request.POST.get("active")
    if wanted not in ("0", "1"):
        messages.error(request, "请选择启用或停用。")
        return redirect("review:expert_edit", pk=pk)
    try:
        set_active(
            profile, actor=request.user, active=wanted == "1", reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        say_refused(request, exc)
    else:
        messages.success(request, f"专家“{profile.name}”已{'启用' if wanted == '1' else '停用'}。")
    return redirect("review:expert_edit", pk=pk)


# --- the expert's own register ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require(EXPERT.refusal)
def conflicts_page(request: HttpRequest) -> HttpResponse:
    profile = request.user.expert_profile
    form = ConflictForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                declare_conflict(profile, actor=request.user, **form.cleaned_data)
            except (ValidationError, DomainError) as exc:
                if isinstance(exc, ValidationError):
                    _attach(form, exc)
                else:
                    say_refused(request, exc)
            else:
                messages.success(request, f"已登记与“{form.cleaned_data['counterpart']}”的关联。")
                return redirect("review:conflicts")
        if form.errors:
            messages.error(request, "未登记：" + form_errors(form))
    return render(
        request,
        "review/conflicts.html",
        {
            "profile": profile,
            "form": form,
            "declarations": profile.conflicts.order_by("-created_at", "pk"),
        },
    )


@require_POST
@require(EXPERT.refusal)
def conflict_end(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = (
        ConflictDeclaration.objects.filter(pk=pk, expert__user=request.user)
        .select_related("expert", "expert__user")
        .first()
    )
    if declaration is None:
        raise Http404("没有该利益关联记录。")
    form = EndConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未保存：" + form_errors(form))
        return redirect("review:conflicts")
    try:
        end_conflict(declaration, actor=request.user, ended_on=form.cleaned_data["ended_on"])
    except (ValidationError, DomainError) as exc:
        say_refused(request, exc)
    else:
        messages.success(request, f"已登记与“{declaration.counterpart}”的关联结束。")
    return redirect("review:conflicts")


def _attach(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)
