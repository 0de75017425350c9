"""The city's scoring pages: the rounds, one round's settings and progress, the rubric, the
ranking (only once a scored phase is closed), the sheets behind each figure, reopening a sheet,
and the documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.accounts.permissions import may
from clusterdesk.county.views.documents import XLSX, download
from clusterdesk.declarations import clock
from clusterdesk.declarations.models import Application
from clusterdesk.documents.scoresheet import sheet_docx, summary_docx, summary_xlsx
from clusterdesk.errors import DomainError
from clusterdesk.panel.aggregate import METHODS
from clusterdesk.panel.rubric import OPINIONS
from clusterdesk.review.enums import AssignmentStatus, PhaseStatus
from clusterdesk.review.models import Assignment
from clusterdesk.rounds.domain import reviewed_rounds
from clusterdesk.rounds.models import Round
from clusterdesk.scoring.domain.documents import (
    cluster_name,
    county_of,
    expert_identity,
    sheet_document,
    summary_document,
)
from clusterdesk.scoring.domain.progress import phase_progress, submitted_sheets
from clusterdesk.scoring.domain.ranking import closed_scored_phases, ranking_for, scored_phases
from clusterdesk.scoring.domain.settings import (
    rubric_of,
    scoring_settings,
    sheets_exist,
    update_settings,
)
from clusterdesk.scoring.domain.sheets import phase_open, reopen_sheet
from clusterdesk.scoring.models import ScoreSheet, SheetStatus
from clusterdesk.scoring.permissions import MANAGE, VIEW
from clusterdesk.scoring.views.expert import docx_response, pdf_response

MAX_ASPECT_ROWS = 20
EXTRA_ROWS = 2


def _round(pk: int) -> Round:
    return get_object_or_404(Round, pk=pk)


@require_GET
@require(VIEW.refusal)
def rounds_page(request: HttpRequest) -> HttpResponse:
    rounds = reviewed_rounds().order_by("-reference_date", "-pk")
    return render(request, "scoring/rounds.html", {"rounds": rounds})


@require_GET
@require(VIEW.refusal)
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    settings = scoring_settings(round_)
    now = clock.now()
    phases = [
        {
            "phase": phase,
            "progress": phase_progress(phase),
            "open": phase_open(phase, now),
            # Which sheets were submitted (never what they say) so one can be reopened.
            "submitted": submitted_sheets(phase) if phase_open(phase, now) else [],
        }
        for phase in scored_phases(round_)
    ]
    return render(
        request,
        "scoring/round.html",
        {
            "round": round_,
            "settings": settings,
            "rubric": rubric_of(settings),
            "method": METHODS[settings.aggregate],
            "phases": phases,
            "closed": bool(closed_scored_phases(round_)),
        },
    )


def _rubric_rows(post) -> list[dict]:
    """The posted aspect rows (aspect-<i>-<field>); a row left wholly blank is dropped."""
    rows = []
    for index in range(MAX_ASPECT_ROWS + EXTRA_ROWS):
        prefix = f"aspect-{index}-"
        row = {
            name: post.get(prefix + name, "").strip()
            for name in ("key", "name", "weight", "min_score", "max_score", "guidance")
        }
        if not any(row.values()):
            continue
        row["comment_required"] = post.get(prefix + "comment_required") == "on"
        for name in ("min_score", "max_score"):
            if not row[name]:
                row.pop(name)
        rows.append(row)
    return rows


@require_http_methods(["GET", "POST"])
@require(VIEW.refusal)
def rubric_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    settings = scoring_settings(round_)
    locked = sheets_exist(round_)
    rows = None
    status = 200
    if request.method == "POST":
        why = MANAGE.refusal(request.user)
        if why:
            raise PermissionDenied(why)
        rows = None if locked else _rubric_rows(request.POST)
        try:
            update_settings(
                round_,
                request.user,
                rubric=None if rows is None else {"aspects": rows},
                aggregate=request.POST.get("aggregate", ""),
                margin=request.POST.get("disagreement_margin", ""),
            )
        except DomainError as refused:
            messages.error(request, refused.message)
            status = 400
        else:
            messages.success(request, "评分设置已保存。")
            return redirect("scoring:rubric", round_.pk)
    aspects = rows if rows is not None else settings.rubric["aspects"]
    shown = list(aspects) + [{} for _ in range(0 if locked else EXTRA_ROWS)]
    return render(
        request,
        "scoring/rubric.html",
        {
            "round": round_,
            "settings": settings,
            "rows": [(i, row) for i, row in enumerate(shown)],
            "locked": locked,
            "methods": METHODS.items(),
            "aggregate": request.POST.get("aggregate", settings.aggregate),
            "margin": request.POST.get("disagreement_margin", settings.disagreement_margin),
            "can_manage": may("scoring.manage", request.user),
        },
        status=status,
    )


@require_GET
@require(VIEW.refusal)
def ranking_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    settings = scoring_settings(round_)
    ranking = ranking_for(round_)
    return render(
        request,
        "scoring/ranking.html",
        {
            "round": round_,
            "settings": settings,
            "method": METHODS[settings.aggregate],
            "phases": closed_scored_phases(round_),
            "ranking": ranking,
        },
    )


def _summary(pk: int):
    round_ = _round(pk)
    return round_, summary_document(round_, ranking_for(round_))


@require_GET
@require(VIEW.refusal)
def ranking_docx(request: HttpRequest, pk: int) -> HttpResponse:
    round_, summary = _summary(pk)
    return docx_response(summary_docx(summary), f"评审汇总表-{round_.name}.docx")


@require_GET
@require(VIEW.refusal)
def ranking_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    round_, summary = _summary(pk)
    return download(summary_xlsx(summary), f"评审汇总表-{round_.name}.xlsx", XLSX)


@require_GET
@require(VIEW.refusal)
def application_scores(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    """Each expert's sheet behind one application's figures (closed scored phases only)."""
    round_ = _round(pk)
    application = get_object_or_404(
        Application.objects.defer("data"), pk=application_pk, round=round_
    )
    phases = closed_scored_phases(round_)
    assignments = (
        Assignment.objects.filter(application=application, phase__in=phases)
        .select_related("phase", "expert__expert_profile", "score_sheet")
        .order_by("phase__position", "status", "pk")
    )
    rubric = rubric_of(scoring_settings(round_))
    entries = []
    for assignment in assignments:
        sheet = getattr(assignment, "score_sheet", None)
        name, organisation, title = expert_identity(assignment.expert)
        entries.append(
            {
                "assignment": assignment,
                "sheet": sheet,
                "name": name,
                "organisation": organisation,
                "title": title,
                "lines": [
                    (
                        aspect,
                        (sheet.scores if sheet else {}).get(aspect.key, ""),
                        (sheet.comments if sheet else {}).get(aspect.key, ""),
                    )
                    for aspect in rubric.aspects
                ],
                "opinion": OPINIONS.get(sheet.opinion, "") if sheet else "",
                "counted": bool(
                    sheet
                    and sheet.status == SheetStatus.SUBMITTED
                    and assignment.status == AssignmentStatus.ACTIVE
                ),
            }
        )
    row = next((r for r in ranking_for(round_) if r.application.pk == application.pk), None)
    return render(
        request,
        "scoring/application.html",
        {
            "round": round_,
            "app": application,
            "cluster_name": cluster_name(application),
            "county": county_of(application),
            "phases": phases,
            "entries": entries,
            "row": row,
            "method": METHODS[scoring_settings(round_).aggregate],
            "can_manage": may("scoring.manage", request.user),
        },
    )


def _city_sheet(pk: int, sheet_pk: int) -> ScoreSheet:
    """A sheet of the round, for the city: only of a scored phase that has been closed or, for
    reopening, one that is open (submitted sheets are reopened while experts can still act)."""
    return get_object_or_404(
        ScoreSheet.objects.select_related(
            "assignment__phase__round",
            "assignment__application__organisation",
            "assignment__expert__expert_profile",
        ),
        pk=sheet_pk,
        assignment__phase__round_id=pk,
    )


def _sealed(sheet: ScoreSheet) -> bool:
    return sheet.assignment.phase.status != PhaseStatus.CLOSED


@require_GET
@require(VIEW.refusal)
def city_sheet_docx(request: HttpRequest, pk: int, sheet_pk: int) -> HttpResponse:
    sheet = _city_sheet(pk, sheet_pk)
    if _sealed(sheet):
        raise Http404("评审阶段结束前评分不公开。")
    rubric = rubric_of(scoring_settings(sheet.assignment.phase.round))
    document = sheet_document(sheet.assignment, sheet, rubric, show_county=True)
    name = f"专家评分表-{document.cluster_name}-{document.expert_name}.docx"
    return docx_response(sheet_docx(document), name)


@require_GET
@require(VIEW.refusal)
def city_sheet_pdf(request: HttpRequest, pk: int, sheet_pk: int) -> HttpResponse:
    sheet = _city_sheet(pk, sheet_pk)
    if _sealed(sheet):
        raise Http404("评审阶段结束前评分不公开。")
    rubric = rubric_of(scoring_settings(sheet.assignment.phase.round))
    document = sheet_document(sheet.assignment, sheet, rubric, show_county=True)
    return pdf_response(
        request, document, f"专家评分表-{document.cluster_name}-{document.expert_name}.pdf"
    )


@require_POST
@require(MANAGE.refusal)
def city_sheet_reopen(request: HttpRequest, pk: int, sheet_pk: int) -> HttpResponse:
    """退回重评: while the phase is open (the city sees that a sheet was submitted, not what it
    says); the expert is told on their page, with the reason."""
    sheet = _city_sheet(pk, sheet_pk)
    try:
        reopen_sheet(sheet, request.user, request.POST.get("reason", ""))
    except DomainError as refused:
        messages.error(request, f"未退回：{refused.message}")
    else:
        messages.success(request, "评分表已退回专家重新评分。")
    return redirect("scoring:round", pk)
