"""The city's registry pages: the registry (filter, Excel export), 发文 for a round's 拟认定
applications, and 择优推荐 with its package download."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.county.views.documents import XLSX, ZIP, download, heavy
from clusterdesk.declarations import clock
from clusterdesk.declarations.models import Application
from clusterdesk.documents.certified_list import render_certified_xlsx
from clusterdesk.errors import DomainError
from clusterdesk.registry.domain.package import build_recommendation_package, package_name
from clusterdesk.registry.domain.publish import candidates, publish
from clusterdesk.registry.domain.recommend import (
    Pick,
    eligible,
    recommend,
    recommended_lines,
)
from clusterdesk.registry.domain.registry import line_of, registry_rows, row_notes
from clusterdesk.registry.domain.settings import change_settings, registry_settings
from clusterdesk.registry.filters import RegistryFilter
from clusterdesk.registry.models import MAX_QUOTA, Recommendation
from clusterdesk.registry.permissions import MANAGE, VIEW
from clusterdesk.registry.views.common import pick_round
from clusterdesk.rounds.domain import reviewed_rounds
from clusterdesk.rounds.models import Round
from clusterdesk.web.params import object_id

PER_PAGE = 50
# Far beyond any round's 拟认定 list; a forged form cannot make the page read more.
MAX_IDS = 500


def _problems(form: forms.Form) -> str:
    return "；".join(
        f"{form.fields[name].label}：{'，'.join(errors)}"
        if name in form.fields
        else "，".join(errors)
        for name, errors in form.errors.items()
    )


# --- the registry -------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> RegistryFilter:
    return RegistryFilter(request.GET or None, queryset=registry_rows(clock.today()))


def _valid(filterset: RegistryFilter) -> bool:
    """No filter asked, or every filter understood (a bad one selects nothing, never all)."""
    return not filterset.is_bound or filterset.is_valid()


@require_GET
@require(VIEW.refusal)
def registry_page(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    rows = filterset.qs if _valid(filterset) else registry_rows(clock.today()).none()
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    notes = row_notes(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/list.html",
        {
            "filter": filterset,
            "page": page,
            "lines": [(row, line_of(row), notes.get(row.pk, ())) for row in page.object_list],
            "query": query.urlencode(),
            "rounds": reviewed_rounds().order_by("-submission_deadline", "-pk"),
        },
    )


@require_GET
@require(VIEW.refusal)
def registry_export(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    if not _valid(filterset):
        messages.error(request, f"未导出：筛选条件有误（{_problems(filterset.form)}）。")
        return redirect("registry:list")
    lines = [line_of(row) for row in filterset.qs.iterator(chunk_size=500)]
    content = render_certified_xlsx(lines, "中小企业特色产业集群认定名录")
    return download(content, f"认定名录-{clock.today():%Y%m%d}.xlsx", XLSX)


# --- 发文 ---------------------------------------------------------------------------------------


class PublishForm(forms.Form):
    document_number = forms.CharField(label="文号", max_length=60)
    issued_on = forms.DateField(label="发文日期")


def _publish_page(request, round_, form, status=200) -> HttpResponse:
    settings = registry_settings(round_)
    return render(
        request,
        "registry/publish.html",
        {
            "round": round_,
            "settings": settings,
            "candidates": candidates(round_, request.user),
            "form": form,
            "can_publish": MANAGE.refusal(request.user) is None,
            "publications": round_.publications.order_by("-issued_on", "-pk"),
            "changes": round_.registry_changes.select_related("actor")[:20],
            "settings_form": SettingsForm(
                initial={
                    "validity_years": settings.validity_years,
                    "recommendation_quota": settings.recommendation_quota,
                    "document_prefix": settings.document_prefix,
                }
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require(VIEW.refusal)
def publish_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    if request.method == "GET":
        prefix = registry_settings(round_).document_prefix
        return _publish_page(
            request,
            round_,
            PublishForm(initial={"document_number": f"{prefix}〔{clock.today().year}〕号"}),
        )
    problem = MANAGE.refusal(request.user)
    if problem:
        raise PermissionDenied(problem)
    back = reverse("registry:publish", args=[round_.pk])
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未发文：{_problems(form)}")
        return redirect(back)
    ids = [object_id(raw) for raw in request.POST.getlist("ids")[:MAX_IDS]]
    applications = list(
        Application.objects.filter(round=round_, pk__in=[i for i in ids if i]).defer("data")
    )
    if not applications:
        messages.error(request, "未发文：请至少勾选一个拟认定的集群。")
        return redirect(back)
    try:
        publication = publish(
            round_,
            applications,
            form.cleaned_data["document_number"],
            form.cleaned_data["issued_on"],
            request.user,
        )
    except DomainError as refused:
        messages.error(request, f"未发文：{refused.message}")
        return redirect(back)
    messages.success(
        request,
        f"已登记发文“{publication.document_number}”，认定 {len(applications)} 个集群。",
    )
    return redirect(back)


class SettingsForm(forms.Form):
    validity_years = forms.IntegerField(label="认定有效期（年）", min_value=1, max_value=10)
    recommendation_quota = forms.IntegerField(label="择优推荐名额", min_value=1, max_value=10)
    document_prefix = forms.CharField(label="发文字号前缀", max_length=30)


@require_POST
@require(MANAGE.refusal)
def settings_change(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    back = reverse("registry:publish", args=[round_.pk])
    form = SettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"设置未保存：{_problems(form)}")
        return redirect(back)
    try:
        change_settings(round_, request.user, **form.cleaned_data)
    except DomainError as refused:
        messages.error(request, f"设置未保存：{refused.message}")
        return redirect(back)
    messages.success(request, "已保存本轮次的认定设置。")
    return redirect(back)


# --- 择优推荐 -----------------------------------------------------------------------------------


class LetterForm(forms.Form):
    issued_on = forms.DateField(label="发函日期")
    letter_number = forms.CharField(label="函号", max_length=60, required=False)
    contact = forms.CharField(label="联系人", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)


@require_http_methods(["GET", "POST"])
@require(VIEW.refusal)
def recommend_page(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    rounds, round_ = pick_round(request, source)
    if request.method == "POST":
        return _recommend(request, round_)
    context = {
        "rounds": rounds,
        "round": round_,
        "can_recommend": MANAGE.refusal(request.user) is None,
    }
    if round_ is not None:
        context.update(
            quota=registry_settings(round_).recommendation_quota,
            eligible=[(row, line_of(row)) for row in eligible(clock.today())],
            form=LetterForm(initial={"issued_on": clock.today()}),
            recommendations=[
                (recommendation, recommended_lines(recommendation))
                for recommendation in round_.recommendations.select_related("created_by")[:20]
            ],
        )
    return render(request, "registry/recommend.html", context)


def _recommend(request: HttpRequest, round_) -> HttpResponse:
    problem = MANAGE.refusal(request.user)
    if problem:
        raise PermissionDenied(problem)
    if round_ is None:
        messages.error(request, "未推荐：请选择申报轮次。")
        return redirect("registry:recommend")
    back = f"{reverse('registry:recommend')}?round={round_.pk}"
    form = LetterForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未推荐：{_problems(form)}")
        return redirect(back)
    picks = []
    for raw in request.POST.getlist("pick")[: MAX_QUOTA + 1]:
        pk = object_id(raw)
        if pk is not None:
            picks.append(Pick(pk, request.POST.get(f"reason_{pk}", "")[:2000]))
    try:
        recommendation = recommend(round_, picks, request.user, **form.cleaned_data)
    except DomainError as refused:
        messages.error(request, f"未推荐：{refused.message}")
        return redirect(back)
    messages.success(request, f"已记录{recommendation}，共 {len(picks)} 个集群，可下载推荐材料。")
    return redirect(back)


@require_GET
@require(VIEW.refusal)
@heavy
def recommendation_package(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation, pk=pk)
    handle, name = tempfile.mkstemp(prefix="clusterdesk-recommend-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        build_recommendation_package(recommendation, path)
        file = path.open("rb")
    except DomainError as refused:
        messages.error(request, f"未导出：{refused.message}")
        return redirect(f"{reverse('registry:recommend')}?round={recommendation.round_id}")
    finally:
        path.unlink(missing_ok=True)  # the open file stays readable until closed (POSIX)
    return FileResponse(
        file, as_attachment=True, filename=package_name(recommendation), content_type=ZIP
    )
