"""The city's 年度报告 pages: the reports per year with filters, one report read-only with the
consistency warnings, comments at the field, return with a reason, accept; the year's round."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clusterdesk.accounts.access import require
from clusterdesk.accounts.models import Organisation
from clusterdesk.declarations.domain.comments import comments_of
from clusterdesk.declarations.enums import ApplicationState as State
from clusterdesk.declarations.models import CommentStatus
from clusterdesk.errors import DomainError
from clusterdesk.monitoring.domain import reports as report_door
from clusterdesk.monitoring.domain.changes import decide
from clusterdesk.monitoring.domain.pages import city_reports, report_years_open
from clusterdesk.monitoring.domain.reports import STATE_LABELS
from clusterdesk.monitoring.domain.windows import annual_rounds, change_window, open_annual_round
from clusterdesk.monitoring.models import (
    ChangeDecision,
    ClusterReport,
    MajorChangeCase,
    MajorChangeDecision,
)
from clusterdesk.monitoring.permissions import MANAGE, VIEW


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 9 else None


@require(VIEW.refusal)
def city_list(request: HttpRequest) -> HttpResponse:
    year, county = _int(request.GET.get("year")), _int(request.GET.get("county"))
    state = request.GET.get("state") or None
    if state not in STATE_LABELS:
        state = None
    return render(
        request,
        "monitoring/city.html",
        {
            "rows": city_reports(year, state, county),
            "years": report_years_open(),
            "states": [(s.value, label) for s, label in STATE_LABELS.items()],
            "counties": Organisation.objects.filter(
                pk__in=ClusterReport.objects.values("application__organisation_id")
            ).order_by("position", "pk"),
            "year": year,
            "state": state,
            "county": county,
            "rounds": annual_rounds().order_by("-last_data_year"),
            "may_manage": MANAGE.refusal(request.user) is None,
        },
    )


def _report(pk: int) -> ClusterReport:
    # A lookup across the foreign key is not range-checked: an id past the database's integer
    # would fail there instead of finding nothing.
    if not 0 < pk < 1 << 63:
        raise Http404
    return get_object_or_404(
        ClusterReport.objects.select_related(
            "application__round", "application__organisation", "certification__application"
        ).exclude(application__state__in=(State.DRAFT, State.DELETED)),
        application_id=pk,
    )


@require(VIEW.refusal)
def city_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    application = report.application
    # The intake desk's 审核意见 (declarations/comments/_review.html): the threads, and the
    # picker that anchors a comment at a field of the report; the county sees each at its field.
    comments = comments_of(application, request.user)
    return render(
        request,
        "monitoring/report.html",
        {
            "report": report,
            "application": application,
            "state_label": STATE_LABELS.get(application.state, application.get_state_display()),
            "findings": report_door.consistency_findings(application),
            "comments": comments,
            "draft_comments": sum(c.status == CommentStatus.DRAFT for c in comments),
            "may_manage": MANAGE.refusal(request.user) is None,
            "may_decide": application.state in (State.SUBMITTED, State.UNDER_REVIEW),
        },
    )


@require(MANAGE.refusal)
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = _report(pk)
    application = report.application
    try:
        if action == "accept":
            report_door.accept_report(application, request.user)
            messages.success(request, "年度发展情况报告已审核通过。")
        elif action == "return":
            report_door.return_report(application, request.POST.get("reason", ""), request.user)
            messages.success(request, "年度发展情况报告已退回修改。")
        else:  # comment
            report_door.add_comment(
                application,
                request.user,
                request.POST.get("path", "").strip(),
                request.POST.get("text", ""),
            )
            messages.success(request, "意见已保存，退回时一并发给区县。")
    except DomainError as refused:
        label = {"accept": "审核通过", "return": "退回理由"}.get(action, "意见")
        messages.error(request, f"{label}：{refused.message}")
    return redirect("monitoring:report", application.pk)


def _when(raw: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 0, 0))


@require(MANAGE.refusal)
@require_POST
def open_round(request: HttpRequest) -> HttpResponse:
    raw_year = request.POST.get("year", "").strip()
    year: object = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else raw_year
    opens_raw = request.POST.get("opens_on", "").strip()
    closes_raw = request.POST.get("closes_on", "").strip()
    opens_at = _when(opens_raw) if opens_raw else None
    closes_at = _when(closes_raw) if closes_raw else None
    if (opens_raw and opens_at is None) or (closes_raw and closes_at is None):
        messages.error(request, "填报时间：请按 2024-01-01 的格式填写日期。")
        return redirect("monitoring:city")
    if closes_at is not None:
        closes_at = closes_at.replace(hour=23, minute=59)
    try:
        round_ = open_annual_round(year, actor=request.user, opens_at=opens_at, closes_at=closes_at)
    except DomainError as refused:
        messages.error(request, f"报告年度：{refused.message}")
    else:
        messages.success(request, f"已建立“{round_}”。")
    return redirect("monitoring:city")


# --- major changes ---------------------------------------------------------------------------


@require(VIEW.refusal)
def change_list(request: HttpRequest) -> HttpResponse:
    cases = MajorChangeCase.objects.select_related(
        "report__certification__application", "report__application__organisation", "decision"
    ).order_by("-opened_at", "-pk")
    return render(request, "monitoring/changes.html", {"cases": cases})


@require(VIEW.refusal)
def change_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(
        MajorChangeCase.objects.select_related(
            "report__certification__application", "report__application__organisation"
        ),
        pk=pk,
    )
    decision = MajorChangeDecision.objects.filter(case=case).first()
    if request.method == "POST":
        problem = MANAGE.refusal(request.user)
        if problem:
            raise PermissionDenied(problem)
        try:
            decide(
                case,
                decision=request.POST.get("decision", ""),
                note=request.POST.get("note", ""),
                actor=request.user,
            )
        except DomainError as refused:
            messages.error(request, f"决定：{refused.message}")
            return redirect("monitoring:change", case.pk)
        if request.POST.get("decision") == ChangeDecision.REVOKE:
            messages.success(request, "已决定启动撤销，请在撤销认定页面填写撤销文号并确认。")
            url = reverse("revocation:new", args=[case.report.certification_id])
            return redirect(f"{url}?reason_class=other")
        messages.success(request, "已接受变更。")
        return redirect("monitoring:change", case.pk)
    return render(
        request,
        "monitoring/change.html",
        {
            "case": case,
            "decision": decision,
            "choices": ChangeDecision.choices,
            "may_manage": MANAGE.refusal(request.user) is None,
        },
    )


@require(MANAGE.refusal)
@require_POST
def change_round_window(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(annual_rounds(), pk=pk)
    opens_at = _when(request.POST.get("opens_on", "").strip())
    closes_at = _when(request.POST.get("closes_on", "").strip())
    if opens_at is None or closes_at is None:
        messages.error(request, "填报时间：请按 2024-01-01 的格式填写开始日期和截止日期。")
        return redirect("monitoring:city")
    try:
        change_window(
            round_,
            opens_at=opens_at,
            closes_at=closes_at.replace(hour=23, minute=59),
            actor=request.user,
        )
    except DomainError as refused:
        messages.error(request, f"填报时间：{refused.message}")
    else:
        messages.success(request, f"“{round_}”的填报时间已修改。")
    return redirect("monitoring:city")
