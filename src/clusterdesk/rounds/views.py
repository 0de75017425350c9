"""Round management for the city bureau: list, create, edit, open, close.

Access: ``require(round_management_refusal)`` answers 403 with the reason, and every round is
looked up through ``manageable_rounds(user)``, so the rule holds in the query as well.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clusterdesk.accounts.access import require
from clusterdesk.errors import DomainError
from clusterdesk.form.criteria import list_profiles, load_profile
from clusterdesk.rounds.domain import (
    close_round,
    create_round,
    manageable_rounds,
    open_round,
    round_management_refusal,
    set_thresholds,
    template_profiles,
    threshold_refusal,
    threshold_settings,
    update_round,
)
from clusterdesk.rounds.enums import RoundAction
from clusterdesk.rounds.forms import RoundForm, ThresholdsForm
from clusterdesk.rounds.models import Round

manager_only = require(round_management_refusal)


@manager_only
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = list(manageable_rounds(request.user).annotate(application_count=Count("applications")))
    profile_names = {profile.id: profile.name for profile in list_profiles()}
    for round_ in rounds:
        round_.profile_name = profile_names.get(round_.criteria_profile, round_.criteria_profile)
        round_.unset_count = sum(s.value is None for s in threshold_settings(round_))
    context = {"rounds": rounds, "can_set_thresholds": threshold_refusal(request.user) is None}
    return render(request, "rounds/list.html", context)


@manager_only
def round_create(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = create_round(actor=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已创建申报轮次“{round_}”，并开放申报。")
            return redirect("rounds:list")
    return render(request, "rounds/form.html", {"form": form, "round": None})


@manager_only
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(manageable_rounds(request.user), pk=pk)
    # A bound ModelForm writes the posted values into its instance; keep the stored name apart.
    stored_name = round_.name
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = update_round(round_, actor=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存申报轮次“{round_}”。")
            return redirect("rounds:list")
    events = round_.events.select_related("actor")
    context = {
        "form": form,
        "round": round_,
        "stored_name": stored_name,
        "events": events,
        "can_set_thresholds": threshold_refusal(request.user) is None,
        "unset_thresholds": sum(s.value is None for s in threshold_settings(round_)),
    }
    return render(request, "rounds/form.html", context)


@require(threshold_refusal)
def round_thresholds(request: HttpRequest, pk: int) -> HttpResponse:
    """The thresholds the round's profile leaves unset, set by the city officer (with history)."""
    round_ = get_object_or_404(Round.objects.all(), pk=pk)
    settings = threshold_settings(round_)
    form = ThresholdsForm(settings, request.POST or None)
    if request.method == "POST" and form.is_valid():
        set_thresholds(round_, actor=request.user, values=form.cleaned_data)
        messages.success(request, f"已保存申报轮次“{round_}”的认定标准阈值。")
        return redirect("rounds:thresholds", pk=round_.pk)
    context = {
        "round": round_,
        "profile": load_profile(round_.criteria_profile),
        "form": form,
        "templates": template_profiles(),
        "events": round_.events.filter(action=RoundAction.THRESHOLDS).select_related("actor"),
    }
    return render(request, "rounds/thresholds.html", context)


@manager_only
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_status(request, pk, open_round, "已开放申报。")


@manager_only
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_status(request, pk, close_round, "已关闭，区县不能再新建申报。")


def _set_status(
    request: HttpRequest, pk: int, change: Callable[..., Round], done: str
) -> HttpResponse:
    round_ = get_object_or_404(manageable_rounds(request.user), pk=pk)
    try:
        change(round_, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"申报轮次“{round_}”{done}")
    return redirect("rounds:list")
