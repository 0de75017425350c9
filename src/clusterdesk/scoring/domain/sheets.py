"""The one door for score sheets: save a draft, submit, reopen. Each checks who acts, that the
assignment's phase is open (scoring after it closed is refused, nothing changes), the sheet's
version (two tabs, or a reopen meanwhile, cannot silently overwrite each other) and the rubric;
submit and reopen write a ``ScoreSheetEvent``.

The demo seed calls these with an explicit ``at`` (the moment they happen) and actor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse

from clusterdesk.accounts.models import User
from clusterdesk.accounts.permissions import refusal
from clusterdesk.declarations import clock
from clusterdesk.errors import DomainError
from clusterdesk.notifications.domain import Message, notify
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.panel.rubric import (
    MAX_COMMENT,
    MAX_REASON,
    OPINIONS,
    Problem,
    Rubric,
    check_draft,
    check_sheet,
    score_value,
    weighted_total,
)
from clusterdesk.review.enums import AssignmentStatus, PhaseStatus
from clusterdesk.review.models import Assignment, ReviewPhase
from clusterdesk.scoring.domain.settings import rubric_of, scoring_settings
from clusterdesk.scoring.models import ScoreSheet, ScoreSheetEvent, SheetAction, SheetStatus

MAX_REOPEN_REASON = 1000


class SheetRefused(DomainError):
    """Refused with problems per field (``problems``), the first as the message."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


class SheetConflict(DomainError):
    """The sheet changed since the version the caller read."""


def phase_open(phase: ReviewPhase, at: dt.datetime) -> bool:
    """Open at ``at``: status open and inside its times (the contract's ``is_open`` at a moment)."""
    if phase.status != PhaseStatus.OPEN:
        return False
    if phase.opens_at and at < phase.opens_at:
        return False
    return not (phase.closes_at and at >= phase.closes_at)


def scoring_refusal(assignment: Assignment, at: dt.datetime) -> str | None:
    """Why nobody may score this assignment now, in Chinese; None if it may be scored."""
    phase = assignment.phase
    if assignment.status != AssignmentStatus.ACTIVE:
        return "该评审任务已失效（已回避或已撤换），不能评分。"
    if not phase.scored:
        return f"“{phase.name}”阶段不评分。"
    if not phase_open(phase, at):
        if phase.status == PhaseStatus.PENDING or (phase.opens_at and at < phase.opens_at):
            return f"“{phase.name}”阶段尚未开始，不能评分。"
        return f"“{phase.name}”阶段已结束，不能再评分或修改评分。"
    return None


def sheet_of(assignment: Assignment) -> ScoreSheet | None:
    try:
        return assignment.score_sheet
    except ScoreSheet.DoesNotExist:
        return None


def empty_sheet(assignment: Assignment) -> ScoreSheet:
    """An unsaved blank sheet (shown before the expert types anything; 未评)."""
    return ScoreSheet(assignment=assignment)


def rubric_for(assignment: Assignment) -> Rubric:
    return rubric_of(scoring_settings(assignment.phase.round))


def _cleaned(rubric: Rubric, data: dict[str, Any]) -> dict[str, Any]:
    """The posted sheet reduced to what is stored: known shapes only, bounded, blanks dropped."""
    if not isinstance(data, dict):
        raise SheetRefused("评分表内容无法识别。")
    scores = data.get("scores") or {}
    comments = data.get("comments") or {}
    if not isinstance(scores, dict) or not isinstance(comments, dict):
        raise SheetRefused("评分表内容无法识别。")
    if len(scores) > 50 or len(comments) > 50:
        raise SheetRefused("评分表内容过多。")
    opinion = data.get("opinion") or ""
    reason = data.get("opinion_reason") or ""
    if not isinstance(opinion, str) or not isinstance(reason, str):
        raise SheetRefused("总体意见无法识别。")
    clean_scores: dict[str, Any] = {}
    for key, raw in scores.items():
        if isinstance(raw, str | int | float) and not isinstance(raw, bool):
            text = str(raw).strip()[:20]
            if text:
                clean_scores[str(key)[:40]] = text
        elif raw is not None:
            clean_scores[str(key)[:40]] = "?"  # check_* names it as not a number
    clean_comments = {
        str(key)[:40]: (text if isinstance(text, str) else str(text))[: MAX_COMMENT + 1]
        for key, text in comments.items()
        if text not in (None, "")
    }
    return {
        "scores": clean_scores,
        "comments": clean_comments,
        "opinion": opinion.strip()[:20],
        "opinion_reason": reason[: MAX_REASON + 1],
    }


def _normalised(scores: dict[str, Any]) -> dict[str, str]:
    """Stored as the number's plain text ("8", "7.5"): exact, and JSON has no Decimal."""
    return {key: format(score_value(value).normalize(), "f") for key, value in scores.items()}


def _locked(assignment: Assignment, actor: User, version: int | None, at: dt.datetime):
    """The expert's own sheet, locked for the change, after every check that comes first."""
    why = refusal("scoring.expert", actor)
    if why:
        raise SheetRefused(why)
    if assignment.expert_id != actor.pk:
        raise SheetRefused("这不是您的评审任务。")
    assignment = (
        Assignment.objects.select_related("phase__round")
        .select_for_update(of=("self",))
        .get(pk=assignment.pk)
    )
    why = scoring_refusal(assignment, at)
    if why:
        raise SheetRefused(why)
    sheet = ScoreSheet.objects.select_for_update().filter(assignment=assignment).first()
    if sheet is None:
        sheet = ScoreSheet.objects.create(assignment=assignment, updated_at=at)
    if sheet.status == SheetStatus.SUBMITTED:
        raise SheetRefused("评分表已提交，不能再修改；如需修改请联系市经信局退回。")
    if version is not None and version != sheet.version:
        raise SheetConflict("评分表已在其他窗口修改过，请刷新页面后再改。")
    return assignment, sheet


def save_draft(
    assignment: Assignment,
    data: dict[str, Any],
    version: int | None,
    actor: User,
    at: dt.datetime | None = None,
) -> ScoreSheet:
    """Autosave: blanks allowed, wrong values refused (``SheetRefused`` with the problems)."""
    at = at or clock.now()
    with transaction.atomic():
        assignment, sheet = _locked(assignment, actor, version, at)
        rubric = rubric_for(assignment)
        clean = _cleaned(rubric, data)
        problems = check_draft(
            rubric, clean["scores"], clean["comments"], clean["opinion"], clean["opinion_reason"]
        )
        if problems:
            raise SheetRefused("未保存：" + problems[0].message, problems)
        _apply(sheet, clean, at)
        sheet.save()
    return sheet


def submit_sheet(
    assignment: Assignment,
    data: dict[str, Any] | None,
    version: int | None,
    actor: User,
    at: dt.datetime | None = None,
) -> ScoreSheet:
    """Submit (locks the sheet): every aspect scored in range, required comments, the opinion
    and, for 不推荐, its reason. ``data`` None submits what was saved."""
    at = at or clock.now()
    with transaction.atomic():
        assignment, sheet = _locked(assignment, actor, version, at)
        rubric = rubric_for(assignment)
        if data is None:
            data = {
                "scores": sheet.scores,
                "comments": sheet.comments,
                "opinion": sheet.opinion,
                "opinion_reason": sheet.opinion_reason,
            }
        clean = _cleaned(rubric, data)
        problems = check_sheet(
            rubric, clean["scores"], clean["comments"], clean["opinion"], clean["opinion_reason"]
        )
        if problems:
            raise SheetRefused("未提交：" + problems[0].message, problems)
        _apply(sheet, clean, at)
        sheet.status = SheetStatus.SUBMITTED
        sheet.total = weighted_total(rubric, sheet.scores)
        sheet.submitted_at = at
        sheet.save()
        ScoreSheetEvent.objects.create(
            sheet=sheet,
            action=SheetAction.SUBMIT,
            actor=actor,
            at=at,
            detail={
                "scores": sheet.scores,
                "comments": sheet.comments,
                "opinion": sheet.opinion,
                "opinion_reason": sheet.opinion_reason,
                "total": str(sheet.total),
            },
        )
    return sheet


def reopen_sheet(
    sheet: ScoreSheet, actor: User, reason: str, at: dt.datetime | None = None
) -> ScoreSheet:
    """The city sends a submitted sheet back to its expert, with a reason (the scores stay as
    drafts for the expert to change); only while the phase is open, so the expert can act."""
    at = at or clock.now()
    why = refusal("scoring.manage", actor)
    if why:
        raise SheetRefused(why)
    reason = (reason or "").strip()
    if not reason:
        raise SheetRefused("请填写退回理由。")
    if len(reason) > MAX_REOPEN_REASON:
        raise SheetRefused(f"退回理由不能超过 {MAX_REOPEN_REASON} 字。")
    with transaction.atomic():
        sheet = (
            ScoreSheet.objects.select_for_update(of=("self",))
            .select_related("assignment__phase__round", "assignment__application")
            .get(pk=sheet.pk)
        )
        if sheet.status != SheetStatus.SUBMITTED:
            raise SheetRefused("该评分表尚未提交，无需退回。")
        phase = sheet.assignment.phase
        if not phase_open(phase, at):
            raise SheetRefused(
                f"“{phase.name}”阶段未在进行中，退回后专家无法修改，请先开放该阶段。"
            )
        if sheet.assignment.status != AssignmentStatus.ACTIVE:
            raise SheetRefused("该评审任务已失效（已回避或已撤换），不能退回。")
        sheet.status = SheetStatus.DRAFT
        sheet.total = None
        sheet.submitted_at = None
        sheet.version += 1
        sheet.updated_at = at
        sheet.save()
        ScoreSheetEvent.objects.create(
            sheet=sheet, action=SheetAction.REOPEN, actor=actor, at=at, reason=reason
        )
        assignment = sheet.assignment
        name = assignment.application.listed_name or "（未填集群名称）"
        notify(
            [assignment.expert],
            Message(
                NotificationKind.ASSIGNED,
                f"评分表被退回重评：{name}",
                f"市经信局退回了您对“{name}”的评分表，请在“{phase.name}”阶段结束前修改后重新提交。"
                f"\n退回理由：{reason}",
                reverse("scoring:sheet", args=[assignment.pk]),
            ),
        )
    return sheet


def _apply(sheet: ScoreSheet, clean: dict[str, Any], at: dt.datetime) -> None:
    sheet.scores = _normalised(clean["scores"])
    sheet.comments = {k: v for k, v in clean["comments"].items() if v.strip()}
    sheet.opinion = clean["opinion"] if clean["opinion"] in OPINIONS else ""
    sheet.opinion_reason = clean["opinion_reason"]
    sheet.version += 1
    sheet.updated_at = at


def last_reopen(sheet: ScoreSheet) -> ScoreSheetEvent | None:
    if sheet.pk is None:
        return None
    return sheet.events.filter(action=SheetAction.REOPEN).order_by("-at", "-pk").first()
