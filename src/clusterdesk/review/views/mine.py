"""The expert's own assignments (open phases only) and 回避 in one click with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.errors import DomainError
from clusterdesk.review.domain.access import AssignmentNotFound, expert_assignment, open_assignments
from clusterdesk.review.domain.assignments import recuse
from clusterdesk.review.forms import RecusalForm
from clusterdesk.review.models import ReviewSettings
from clusterdesk.review.permissions import EXPERT
from clusterdesk.review.views.common import form_errors, say_refused


@require_GET
@require(EXPERT.refusal)
def my_assignments(request: HttpRequest) -> HttpResponse:
    assignments = list(open_assignments(request.user))
    anonymous = set(
        ReviewSettings.objects.filter(
            round_id__in={a.phase.round_id for a in assignments}, anonymise_county=True
        ).values_list("round_id", flat=True)
    )
    rows = [(a, a.phase.round_id in anonymous) for a in assignments]
    return render(request, "review/my_assignments.html", {"rows": rows})


@require_POST
@require(EXPERT.refusal)
def recuse_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        assignment = expert_assignment(request.user, pk)
    except AssignmentNotFound as exc:
        raise Http404(exc.message) from exc
    form = RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未回避：" + form_errors(form))
        return redirect("review:my_assignments")
    try:
        recuse(assignment, request.user, form.cleaned_data["reason"])
    except DomainError as exc:
        say_refused(request, exc)
    else:
        messages.success(
            request, f"已对“{assignment.application}”申请回避，市经信局将另行安排专家。"
        )
    return redirect("review:my_assignments")
