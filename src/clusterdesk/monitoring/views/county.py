"""The county's 年度报告 page: its own certified clusters, the reports per year, start one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clusterdesk.accounts.access import require
from clusterdesk.errors import DomainError
from clusterdesk.monitoring.domain.pages import county_lines
from clusterdesk.monitoring.domain.reports import own_certifications, start_report
from clusterdesk.monitoring.permissions import COUNTY


@require(COUNTY.refusal)
def county_reports(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/county.html", {"lines": county_lines(request.user)})


@require(COUNTY.refusal)
@require_POST
def start(request: HttpRequest, certification_id: int) -> HttpResponse:
    certification = own_certifications(request.user).filter(pk=certification_id).first()
    if certification is None:
        raise Http404("没有找到该认定集群。")
    raw = request.POST.get("year", "")
    year: object = int(raw) if raw.isdigit() and len(raw) == 4 else raw
    try:
        application = start_report(certification, year, request.user)
    except DomainError as refused:
        messages.error(request, f"报告年度：{refused.message}")
        return redirect("monitoring:county")
    messages.success(request, f"已建立{year}年度发展情况报告，请填写。")
    return redirect("form:start", application.pk)
