"""答辩与走访 pages: the round's overview, the defence slots (schedule, change, cancel, record),
the 日程表 downloads, the county's own slots and the expert's read-only schedule."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusterdesk.accounts.access import require
from clusterdesk.county.views.documents import DOCX, PDF, download, heavy
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.documents.errors import PdfError
from clusterdesk.hearings.domain import defence, schedule
from clusterdesk.hearings.domain.visits import VISITABLE, visits_of_round
from clusterdesk.hearings.forms import AutoScheduleForm, DefenceRecordForm, SlotForm
from clusterdesk.hearings.models import DefenceRecord, DefenceSlot
from clusterdesk.hearings.permissions import COUNTY, EXPERT, MANAGE, VIEW
from clusterdesk.review.models import ReviewPhase
from clusterdesk.rounds.domain import reviewed_rounds
from clusterdesk.rounds.models import Round

EMPTY_QA_ROWS = 3


def overview_url(round_id: int) -> str:
    return reverse("hearings:round", args=[round_id])


def _under_review(round_id: int):
    return (
        Application.objects.filter(round_id=round_id, state=ApplicationState.UNDER_REVIEW)
        .select_related("organisation")
        .order_by("organisation__position", "pk")
    )


@require_GET
@require(VIEW.refusal)
def index(request: HttpRequest) -> HttpResponse:
    rounds = reviewed_rounds().order_by("-last_data_year", "-pk")
    return render(request, "hearings/index.html", {"rounds": rounds})


@require_GET
@require(VIEW.refusal)
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    phases = list(ReviewPhase.objects.filter(round=round_).order_by("position", "pk"))
    slots = list(defence.slots_of_round(round_))
    waiting = list(_under_review(round_.pk))
    defence_phases = []
    for phase in phases:
        if not phase.with_defence:
            continue
        mine = [slot for slot in slots if slot.phase_id == phase.pk]
        scheduled = {slot.application_id for slot in mine}
        defence_phases.append(
            {
                "phase": phase,
                "slots": mine,
                "unscheduled": [app for app in waiting if app.pk not in scheduled],
                "auto_form": AutoScheduleForm(auto_id=f"auto-{phase.pk}-%s"),
            }
        )
    visits = list(visits_of_round(round_))
    visited = {visit.application_id for visit in visits}
    context = {
        "round": round_,
        "phases": phases,
        "defence_phases": defence_phases,
        "visits": visits,
        "unvisited": [
            app
            for app in Application.objects.filter(round=round_, state__in=VISITABLE)
            .select_related("organisation")
            .order_by("organisation__position", "pk")
            if app.pk not in visited
        ],
        "can_manage": not MANAGE.refusal(request.user),
        "now": defence.clock.now(),
    }
    return render(request, "hearings/round.html", context)


@require_GET
@require(VIEW.refusal)
def schedule_docx(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    return download(schedule.schedule_docx(round_), schedule.schedule_name(round_, "docx"), DOCX)


@require_GET
@require(VIEW.refusal)
@heavy
def schedule_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    try:
        content = schedule.schedule_pdf(round_)
    except PdfError as failed:  # PdfUnavailable included: LibreOffice is not installed
        return render(
            request, "county/pdf_unavailable.html", {"message": failed.message}, status=503
        )
    return download(content, schedule.schedule_name(round_, "pdf"), PDF)


def _slot_form_page(request, template, context, status=200) -> HttpResponse:
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@require(MANAGE.refusal)
def slot_new(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(ReviewPhase.objects.select_related("round"), pk=pk)
    if not phase.with_defence:
        raise Http404("该评审环节不含现场答辩。")
    applications = _under_review(phase.round_id)
    initial = {}
    wanted = request.GET.get("application", "")
    if wanted.isdigit():
        initial["application"] = wanted
    form = SlotForm(
        request.POST if request.method == "POST" else None,
        applications=applications,
        initial=initial,
    )
    context = {"phase": phase, "round": phase.round, "form": form, "slot": None}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                slot = defence.schedule_defence(
                    phase,
                    data["application"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    online_link=data["online_link"],
                    actor=request.user,
                )
            except defence.HearingRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    f"已安排“{slot.application.cluster_name}”的现场答辩（{defence.when_text(slot)}），"
                    "并已通知该区（县、市）经信部门。",
                )
                return redirect(overview_url(phase.round_id))
        return _slot_form_page(request, "hearings/slot_form.html", context, status=400)
    return _slot_form_page(request, "hearings/slot_form.html", context)


@require_POST
@require(MANAGE.refusal)
def slot_auto(request: HttpRequest, pk: int) -> HttpResponse:
    """按序号自动排期; a refusal is shown on the overview and nothing is scheduled."""
    phase = get_object_or_404(ReviewPhase.objects.select_related("round"), pk=pk)
    if not phase.with_defence:
        raise Http404("该评审环节不含现场答辩。")
    form = AutoScheduleForm(request.POST)
    if not form.is_valid():
        for field in form:
            for error in field.errors:
                messages.error(request, f"未排期：{field.label}：{error}")
        return redirect(overview_url(phase.round_id))
    data = form.cleaned_data
    try:
        slots = defence.auto_schedule(
            phase,
            day=data["date"],
            first_start=data["first_start"],
            minutes=data["minutes"],
            gap=data["gap"],
            place=data["place"],
            online_link=data["online_link"],
            actor=request.user,
        )
    except defence.HearingRefused as refused:
        messages.error(request, f"未排期：{refused.message}")
    else:
        messages.success(
            request, f"已按序号安排 {len(slots)} 场答辩，并已通知各区（县、市）经信部门。"
        )
    return redirect(overview_url(phase.round_id))


def _slot(pk: int) -> DefenceSlot:
    return get_object_or_404(
        DefenceSlot.objects.select_related("phase__round", "application__organisation"), pk=pk
    )


@require_http_methods(["GET", "POST"])
@require(MANAGE.refusal)
def slot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    slot = _slot(pk)
    form = SlotForm(
        request.POST if request.method == "POST" else None, initial=SlotForm.initial_for(slot)
    )
    context = {"phase": slot.phase, "round": slot.phase.round, "form": form, "slot": slot}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                defence.change_defence(
                    slot,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    online_link=data["online_link"],
                    actor=request.user,
                )
            except defence.HearingRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, "已调整答辩安排，并已通知该区（县、市）经信部门。")
                return redirect(overview_url(slot.phase.round_id))
        return _slot_form_page(request, "hearings/slot_form.html", context, status=400)
    return _slot_form_page(request, "hearings/slot_form.html", context)


@require_POST
@require(MANAGE.refusal)
def slot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    slot = _slot(pk)
    round_id = slot.phase.round_id
    try:
        defence.cancel_defence(slot, actor=request.user, reason=request.POST.get("reason", ""))
    except defence.HearingRefused as refused:
        messages.error(request, f"未取消：{refused.message}")
    else:
        messages.success(request, "已取消该答辩安排，并已通知该区（县、市）经信部门。")
    return redirect(overview_url(round_id))


def _qa_rows(request: HttpRequest, record: DefenceRecord | None) -> list[dict]:
    if request.method == "POST":
        questions = request.POST.getlist("question")[: defence.MAX_QUESTIONS + 1]
        answers = request.POST.getlist("answer")[: defence.MAX_QUESTIONS + 1]
        answers += [""] * (len(questions) - len(answers))
        rows = [{"question": q, "answer": a} for q, a in zip(questions, answers, strict=False)]
    else:
        rows = list(record.questions) if record else []
    return rows + [{"question": "", "answer": ""}] * EMPTY_QA_ROWS


@require_http_methods(["GET", "POST"])
@require(MANAGE.refusal)
def slot_record(request: HttpRequest, pk: int) -> HttpResponse:
    slot = _slot(pk)
    record = DefenceRecord.objects.filter(slot=slot).first()
    initial = {}
    if record is not None:
        initial = {
            "attended": "yes" if record.attended else "no",
            "attendees": record.attendees,
            "notes": record.notes,
        }
    form = DefenceRecordForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {
        "slot": slot,
        "round": slot.phase.round,
        "record": record,
        "form": form,
        "qa_rows": _qa_rows(request, record),
        "when": defence.when_text(slot),
        "where": defence.where_text(slot),
    }
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            questions = request.POST.getlist("question")
            answers = request.POST.getlist("answer")
            if len(questions) > defence.MAX_QUESTIONS + EMPTY_QA_ROWS:
                form.add_error(None, f"问答记录最多 {defence.MAX_QUESTIONS} 组。")
            else:
                answers += [""] * (len(questions) - len(answers))
                try:
                    defence.record_defence(
                        slot,
                        attended=data["attended"] == "yes",
                        attendees=data["attendees"],
                        questions=list(zip(questions, answers, strict=False)),
                        notes=data["notes"],
                        actor=request.user,
                    )
                except defence.HearingRefused as refused:
                    form.add_error(None, refused.message)
                else:
                    messages.success(request, "已保存答辩记录。")
                    return redirect(overview_url(slot.phase.round_id))
        return render(request, "hearings/slot_record.html", context, status=400)
    return render(request, "hearings/slot_record.html", context)


@require_GET
@require(COUNTY.refusal)
def my_slots(request: HttpRequest) -> HttpResponse:
    slots = list(defence.county_slots(request.user))
    return render(request, "hearings/my.html", {"slots": slots, "now": defence.clock.now()})


@require_GET
@require(EXPERT.refusal)
def expert_schedule(request: HttpRequest) -> HttpResponse:
    slots = list(defence.expert_slots(request.user))
    return render(request, "hearings/expert.html", {"slots": slots})
