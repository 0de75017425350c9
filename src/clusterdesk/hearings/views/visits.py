"""实地走访 pages: plan a visit, the visit's page (findings, conclusion, files), record,
upload, download. All the city bureau's (admins read): the findings are internal to the city."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.declarations.models import Application
from clusterdesk.evidence.domain.uploads import max_file_bytes
from clusterdesk.evidence.handlers import SizeLimitHandler
from clusterdesk.evidence.sniffing import KINDS, extension_of
from clusterdesk.evidence.views import DOWNLOAD_CSP
from clusterdesk.hearings.domain import visits
from clusterdesk.hearings.domain.defence import HearingRefused
from clusterdesk.hearings.forms import VisitPlanForm, VisitRecordForm
from clusterdesk.hearings.models import HearingEvent, SiteVisit
from clusterdesk.hearings.permissions import MANAGE, VIEW
from clusterdesk.rounds.models import Round
from clusterdesk.shared.blobstore import BlobCorrupt, BlobMissing, default_store

log = logging.getLogger(__name__)


def _visitable(round_id: int):
    return (
        Application.objects.filter(round_id=round_id, state__in=visits.VISITABLE)
        .select_related("organisation")
        .order_by("organisation__position", "pk")
    )


@require_http_methods(["GET", "POST"])
@require(MANAGE.refusal)
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    initial = {}
    wanted = request.GET.get("application", "")
    if wanted.isdigit():
        initial["application"] = wanted
    form = VisitPlanForm(
        request.POST if request.method == "POST" else None,
        applications=_visitable(round_.pk),
        initial=initial,
    )
    context = {"round": round_, "form": form}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = visits.plan_visit(
                    round_,
                    data["application"],
                    planned_on=data["planned_on"],
                    members=data["members"],
                    experts=list(data["experts"]),
                    actor=request.user,
                )
            except HearingRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, f"已安排实地走访（{visit.planned_on:%Y-%m-%d}）。")
                return redirect("hearings:visit", pk=visit.pk)
        return render(request, "hearings/visit_new.html", context, status=400)
    return render(request, "hearings/visit_new.html", context)


def _visit(pk: int) -> SiteVisit:
    return get_object_or_404(
        SiteVisit.objects.select_related("round", "application__organisation", "recorded_by"),
        pk=pk,
    )


def _visit_page(request, visit, form=None, status=200) -> HttpResponse:
    aspects = visits.aspects_for(visit.round)
    form = form or VisitRecordForm(initial=VisitRecordForm.initial_for(visit), aspects=aspects)
    names = {aspect.key: aspect.name for aspect in aspects}
    context = {
        "visit": visit,
        "round": visit.round,
        "experts": list(visit.experts.select_related("expert_profile")),
        "findings": [(names.get(key, key), text) for key, text in (visit.findings or {}).items()],
        "files": list(visit.files.select_related("blob", "uploaded_by")),
        "events": list(
            HearingEvent.objects.filter(visit=visit).select_related("actor").order_by("at", "pk")
        ),
        "form": form,
        "finding_fields": [form[f"finding_{aspect.key}"] for aspect in aspects],
        "can_manage": not MANAGE.refusal(request.user),
        "accept": visits.VISIT_ACCEPT,
        "allowed": visits.VISIT_ALLOWED_TEXT,
        "max_mb": max_file_bytes() >> 20,
    }
    return render(request, "hearings/visit.html", context, status=status)


@require_GET
@require(VIEW.refusal)
def visit_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _visit_page(request, _visit(pk))


@require_POST
@require(MANAGE.refusal)
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(pk)
    form = VisitRecordForm(request.POST, aspects=visits.aspects_for(visit.round))
    if form.is_valid():
        data = form.cleaned_data
        try:
            visits.record_visit(
                visit,
                findings=form.findings(),
                conclusion=data["conclusion"],
                notes=data["notes"],
                actor=request.user,
            )
        except HearingRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "已保存走访结论。")
            return redirect("hearings:visit", pk=visit.pk)
    return _visit_page(request, visit, form, status=400)


@csrf_exempt  # checked in _upload, once the size limit is in place (as evidence uploads)
@require_POST
@require(MANAGE.refusal)
def visit_upload(request: HttpRequest, pk: int) -> HttpResponse:
    limit = SizeLimitHandler(request, max_file_bytes())
    request.upload_handlers.insert(0, limit)
    return _upload(request, pk, limit)


@csrf_protect
def _upload(request: HttpRequest, pk: int, limit: SizeLimitHandler) -> HttpResponse:
    visit = _visit(pk)
    files = request.FILES.getlist("file")
    result = visits.attach_visit_file(visit, files, actor=request.user, too_large=limit.too_large)
    if not files and not result.refused:
        result.refused.append("请选择要上传的文件。")
    for name in result.added:
        messages.success(request, f"已上传“{name}”。")
    for text in result.refused:
        messages.error(request, text)
    return redirect("hearings:visit", pk=visit.pk)


@require_GET
@require(VIEW.refusal)
def visit_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    visit = _visit(pk)
    found = visits.visit_file(visit, file_pk)
    if found is None:
        raise Http404("没有找到该文件。")
    blob = found.blob
    try:
        stream = default_store().open(blob.sha256)  # verified against its SHA-256
    except BlobMissing:
        log.error("site visit blob %s is recorded but missing from the store", blob.sha256)
        return HttpResponse(
            "该文件已丢失，请联系系统管理员。", status=404, content_type="text/plain; charset=utf-8"
        )
    except BlobCorrupt:
        log.error("site visit blob %s does not match its hash", blob.sha256)
        return HttpResponse(
            "该文件校验失败（SHA-256 不一致），可能已损坏，请联系系统管理员。",
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    name = found.name
    kind = KINDS.get(blob.kind)
    if kind and extension_of(name) not in kind.extensions:
        name += kind.extensions[0]
    response = FileResponse(
        stream, as_attachment=True, filename=name, content_type=blob.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-cache"
    response["ETag"] = f'"{blob.sha256}"'
    return response


def visit_url(visit: SiteVisit) -> str:
    return reverse("hearings:visit", args=[visit.pk])
