"""The tracking pages: the city dashboard, the lagging list (and its Excel), one cluster, the
county's overview, the thresholds, the annual monitoring report (Word)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.accounts.enums import Role
from clusterdesk.county.views.documents import XLSX, download
from clusterdesk.declarations import clock
from clusterdesk.errors import DomainError
from clusterdesk.panel.tracking import RULES, line_chart
from clusterdesk.rounds.enums import RoundKind
from clusterdesk.rounds.models import Round
from clusterdesk.tracking.domain.compute import certifications, default_year, one, tracked
from clusterdesk.tracking.domain.dashboard import dashboard, lagging, status_of
from clusterdesk.tracking.domain.export import lagging_xlsx
from clusterdesk.tracking.domain.settings import change_thresholds, tracking_settings
from clusterdesk.tracking.permissions import CLUSTER, COUNTY, MANAGE, VIEW
from clusterdesk.web.params import object_id

MIN_YEAR, MAX_YEAR = 2000, 2100
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filters(request: HttpRequest):
    """(rounds, the round asked for or None, the year): 404 for an unknown round or bad year."""
    rounds = list(
        Round.objects.filter(kind=RoundKind.DECLARATION, applications__certification__isnull=False)
        .distinct()
        .order_by("-first_data_year", "-pk")
    )
    round_ = None
    raw = request.GET.get("round")
    if raw:
        wanted = object_id(raw)
        round_ = next((r for r in rounds if r.pk == wanted), None)
        if round_ is None:
            raise Http404("没有该申报轮次。")
    raw_year = request.GET.get("year")
    if raw_year:
        year = object_id(raw_year)
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            raise Http404("年度有误。")
    else:
        year = default_year()
    return rounds, round_, year


@require_GET
@require(VIEW.refusal)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    rounds, round_, year = _filters(request)
    clusters = tracked(certifications(round_id=round_ and round_.pk), through=year)
    board = dashboard(clusters)
    return render(
        request,
        "tracking/dashboard.html",
        {
            "rounds": rounds,
            "round": round_,
            "year": year,
            "years": range(year - 4, year + 2),
            "board": board,
            "total": len(clusters),
            "settings": [(r, tracking_settings(r)) for r in rounds] if rounds else [],
            "can_manage": MANAGE.refusal(request.user) is None,
        },
    )


def _lagging(request):
    rounds, round_, year = _filters(request)
    clusters = tracked(certifications(round_id=round_ and round_.pk), through=year)
    return rounds, round_, year, lagging(clusters)


@require_GET
@require(VIEW.refusal)
def lagging_page(request: HttpRequest) -> HttpResponse:
    rounds, round_, year, rows = _lagging(request)
    return render(
        request,
        "tracking/lagging.html",
        {
            "rounds": rounds,
            "round": round_,
            "year": year,
            "years": range(year - 4, year + 2),
            "rows": rows,
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@require(VIEW.refusal)
def lagging_export(request: HttpRequest) -> HttpResponse:
    _rounds, _round, year, rows = _lagging(request)
    return download(lagging_xlsx(rows, year), f"滞后集群清单-{year}.xlsx", XLSX)


@require_GET
@require(CLUSTER.refusal)
def cluster_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = user.organisation_id if user.role == Role.COUNTY_OFFICER else None
    if user.role == Role.COUNTY_OFFICER and organisation is None:
        raise Http404("没有该集群。")
    cluster = one(pk, organisation_id=organisation)
    if cluster is None:
        raise Http404("没有该集群。")
    charts = []
    years: list[int] = []
    if cluster.track is not None:
        for indicator in cluster.track.indicators:
            if indicator.trajectory:
                charts.append((f"chart-{indicator.rule.key}", line_chart(indicator)))
            years = sorted({c.year for c in indicator.years}) or years
    return render(
        request,
        "tracking/cluster.html",
        {
            "cluster": cluster,
            "status": status_of(cluster),
            "charts": charts,
            "years": years,
            "rules": RULES,
            "reports": sorted(cluster.reports.values(), key=lambda r: r.year),
            "is_city": user.role != Role.COUNTY_OFFICER,
        },
    )


@require_GET
@require(COUNTY.refusal)
def county_page(request: HttpRequest) -> HttpResponse:
    clusters = tracked(certifications(organisation_id=request.user.organisation_id))
    return render(
        request,
        "tracking/county.html",
        {"clusters": [(c, status_of(c)) for c in clusters]},
    )


@require_POST
@require(MANAGE.refusal)
def settings_change(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk, kind=RoundKind.DECLARATION)
    try:
        change_thresholds(
            round_,
            request.user,
            lagging=request.POST.get("lagging", ""),
            serious=request.POST.get("serious", ""),
        )
    except DomainError as refused:
        messages.error(request, f"阈值未保存：{refused.message}")
    else:
        messages.success(request, f"已保存{round_.name}的目标跟踪阈值。")
    return redirect(reverse("tracking:dashboard"))


@require_GET
@require(VIEW.refusal)
def report_docx(request: HttpRequest, year: int) -> HttpResponse:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("年度有误。")
    from clusterdesk.tracking.domain.report import monitoring_report  # noqa: PLC0415 - matplotlib is heavy

    clusters = tracked(certifications(), through=year)
    content = monitoring_report(clusters, year, clock.today())
    return download(content, f"{year}年度中小企业特色产业集群监测报告.docx", DOCX)
