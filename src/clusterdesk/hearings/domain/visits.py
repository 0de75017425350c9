"""实地走访: planning a visit, recording its findings per rubric aspect and its conclusion,
attaching photos and PDFs, and what the ranking and the decision read back.

Files are checked and stored like evidence (``evidence.sniffing`` by content, the size limit of
evidence uploads, the content-addressed store and ``evidence.Blob``), but only photos and PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.evidence.domain.uploads import max_file_bytes
from clusterdesk.evidence.models import Blob
from clusterdesk.evidence.sniffing import RefusedFile, check_file, clean_name, too_large_message
from clusterdesk.hearings.domain.defence import HearingRefused, _allowed
from clusterdesk.hearings.models import (
    Conclusion,
    HearingAction,
    HearingEvent,
    SiteVisit,
    SiteVisitFile,
)
from clusterdesk.panel.rubric import default_rubric
from clusterdesk.review.models import ExpertProfile
from clusterdesk.scoring.domain.settings import rubric_of
from clusterdesk.scoring.models import ScoringSettings
from clusterdesk.shared.blobstore import BlobStore, default_store

MAX_MEMBERS = 500
MAX_EXPERTS = 20
MAX_FINDING = 2000
MAX_NOTES = 5000
MAX_FILES = 50
# Photos and scanned PDFs only: what a visit brings back (evidence.sniffing's kinds).
VISIT_KINDS = ("pdf", "jpeg", "png", "gif", "webp")
VISIT_ALLOWED_TEXT = "PDF 和图片（JPG、PNG、GIF、WebP）"
VISIT_ACCEPT = ".pdf,.jpg,.jpeg,.png,.gif,.webp"
# The states in which a cluster may still be visited: under review, or proposed (a visit
# prompted by an objection during 公示).
VISITABLE = (ApplicationState.UNDER_REVIEW, ApplicationState.PROPOSED)
FLAG_TEXT = {Conclusion.FALSE: "实地走访：不属实", Conclusion.PARTLY: "实地走访：部分属实"}


@dataclass(frozen=True)
class Aspect:
    key: str
    name: str


def aspects_for(round_: Any) -> list[Aspect]:
    """The aspects of the round's rubric (scoring's setting), else the default rubric's."""
    stored = ScoringSettings.objects.filter(round=round_).first()  # read only: no get_or_create
    rubric = rubric_of(stored) if stored is not None else default_rubric()
    return [Aspect(aspect.key, aspect.name) for aspect in rubric.aspects]


def _event(visit: SiteVisit, action: str, actor: User, at: dt.datetime, **detail: Any) -> None:
    HearingEvent.objects.create(
        round_id=visit.round_id,
        application_id=visit.application_id,
        visit=visit,
        action=action,
        actor=actor,
        at=at,
        detail=detail,
    )


def _check_plan(planned_on: dt.date | None, members: str, experts: Sequence[User]) -> str:
    if planned_on is None:
        raise HearingRefused("请填写走访日期。")
    members = (members or "").strip()
    if len(members) > MAX_MEMBERS:
        raise HearingRefused(f"走访人员不能超过 {MAX_MEMBERS} 个字。")
    if len(experts) > MAX_EXPERTS:
        raise HearingRefused(f"走访专家最多 {MAX_EXPERTS} 名。")
    in_pool = set(
        ExpertProfile.objects.filter(
            user__in=[expert.pk for expert in experts], active=True
        ).values_list("user_id", flat=True)
    )
    for expert in experts:
        if expert.role != Role.EXPERT or not expert.is_active or expert.pk not in in_pool:
            raise HearingRefused(f"“{expert}”不是专家库中的在用专家，不能作为走访专家。")
    if not members and not experts:
        raise HearingRefused("请填写走访人员或选择走访专家（至少一项）。")
    return members


@transaction.atomic
def plan_visit(
    round_: Any,
    application: Application,
    *,
    planned_on: dt.date,
    members: str = "",
    experts: Sequence[User] = (),
    actor: User,
    at: dt.datetime | None = None,
) -> SiteVisit:
    """Plan the visit of ``application`` (one per round)."""
    _allowed(actor)
    at = at or clock.now()
    if application.round_id != round_.pk:
        raise HearingRefused("所选申报不属于本申报轮次。")
    if application.state not in VISITABLE:
        raise HearingRefused(
            f"申报当前为“{application.get_state_display()}”，只有审核中或拟认定的申报可以安排实地走访。"
        )
    members = _check_plan(planned_on, members, experts)
    if SiteVisit.objects.filter(round=round_, application=application).exists():
        raise HearingRefused("该申报在本轮已安排实地走访，请在原有走访中记录。")
    try:
        with transaction.atomic():
            visit = SiteVisit.objects.create(
                round=round_,
                application=application,
                planned_on=planned_on,
                members=members,
                created_by=actor,
                created_at=at,
            )
    except IntegrityError:  # planned at the same moment by someone else
        raise HearingRefused("该申报在本轮已安排实地走访，请在原有走访中记录。") from None
    visit.experts.set(experts)
    _event(
        visit,
        HearingAction.VISIT_PLANNED,
        actor,
        at,
        planned_on=planned_on.isoformat(),
        members=members,
        experts=[expert.pk for expert in experts],
    )
    return visit


@transaction.atomic
def record_visit(
    visit: SiteVisit,
    *,
    findings: dict[str, str],
    conclusion: str,
    notes: str = "",
    actor: User,
    at: dt.datetime | None = None,
) -> SiteVisit:
    """Record (or correct) the findings per aspect and the conclusion; 部分属实 and 不属实 need
    notes."""
    _allowed(actor)
    at = at or clock.now()
    visit = SiteVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.planned_on > timezone.localdate(at):
        raise HearingRefused(f"走访定于 {visit.planned_on:%Y-%m-%d}，尚未进行，不能记录走访结论。")
    names = {aspect.key: aspect.name for aspect in aspects_for(visit.round)}
    stored: dict[str, str] = {}
    for key, raw in (findings or {}).items():
        if key not in names:
            raise HearingRefused(f"“{key}”不是本轮评分标准中的评审方面。")
        text = (raw or "").strip()
        if len(text) > MAX_FINDING:
            raise HearingRefused(f"“{names[key]}”的核查情况不能超过 {MAX_FINDING} 字。")
        if text:
            stored[key] = text
    if conclusion not in Conclusion.values:
        raise HearingRefused("请选择核查结论：属实、部分属实或不属实。")
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise HearingRefused(f"结论说明不能超过 {MAX_NOTES} 字。")
    if conclusion in (Conclusion.PARTLY, Conclusion.FALSE) and not notes:
        raise HearingRefused(
            f"核查结论为“{Conclusion(conclusion).label}”时必须填写结论说明（哪些内容与申报不符）。"
        )
    before = {"conclusion": visit.conclusion, "findings": visit.findings, "notes": visit.notes}
    visit.findings, visit.conclusion, visit.notes = stored, conclusion, notes
    visit.recorded_by, visit.recorded_at = actor, at
    visit.save(update_fields=["findings", "conclusion", "notes", "recorded_by", "recorded_at"])
    _event(
        visit,
        HearingAction.VISIT_RECORDED,
        actor,
        at,
        findings=stored,
        conclusion=conclusion,
        notes=notes,
        before=before if before["conclusion"] else None,
    )
    return visit


@dataclass
class AttachResult:
    added: list[str] = field(default_factory=list)  # file names
    refused: list[str] = field(default_factory=list)  # Chinese messages, one per file


def attach_visit_file(
    visit: SiteVisit,
    files: Iterable[UploadedFile],
    *,
    actor: User,
    too_large: Iterable[str] = (),
    store: BlobStore | None = None,
    at: dt.datetime | None = None,
) -> AttachResult:
    """Check and store photos and PDFs of a visit; a refused file does not stop the others."""
    _allowed(actor)
    at = at or clock.now()
    store = store or default_store()
    limit = max_file_bytes()
    result = AttachResult()
    result.refused += [too_large_message(clean_name(name), limit) for name in too_large]
    count = SiteVisitFile.objects.filter(visit=visit).count()
    for upload in files:
        name = clean_name(upload.name or "")
        try:
            kind = check_file(name, upload.size or 0, upload, limit)
        except RefusedFile as refused:
            result.refused.append(refused.message)
            continue
        if kind.key not in VISIT_KINDS:
            result.refused.append(f"“{name}”不能作为走访文件上传：只接受{VISIT_ALLOWED_TEXT}。")
            continue
        if count >= MAX_FILES:
            result.refused.append(f"“{name}”未上传：每次走访最多 {MAX_FILES} 个文件。")
            continue
        stored = store.put(upload)
        with transaction.atomic():
            blob, _ = Blob.objects.get_or_create(
                sha256=stored.sha256,
                defaults={
                    "size": stored.size,
                    "kind": kind.key,
                    "content_type": kind.content_type,
                    "created_by": actor,
                },
            )
            # Two uploads at once must not both take the last place: count under the visit's
            # row lock (the count above only spares the store a file that cannot fit).
            SiteVisit.objects.select_for_update().filter(pk=visit.pk).exists()
            count = SiteVisitFile.objects.filter(visit=visit).count()
            if count >= MAX_FILES:
                result.refused.append(f"“{name}”未上传：每次走访最多 {MAX_FILES} 个文件。")
                continue
            if SiteVisitFile.objects.filter(visit=visit, blob=blob).exists():
                result.refused.append(f"“{name}”已上传过（内容相同），未重复上传。")
                continue
            SiteVisitFile.objects.create(
                visit=visit, blob=blob, name=name, uploaded_by=actor, uploaded_at=at
            )
            _event(visit, HearingAction.VISIT_FILE, actor, at, name=name, sha256=stored.sha256)
        count += 1
        result.added.append(name)
    return result


# --- what others read -----------------------------------------------------------------------


def visits_of_round(round_: Any) -> QuerySet[SiteVisit]:
    return (
        SiteVisit.objects.filter(round=round_)
        .select_related("application__organisation", "recorded_by")
        .prefetch_related("experts__expert_profile")
        .order_by("planned_on", "pk")
    )


def conclusions_for(round_: Any) -> dict[int, SiteVisit]:
    """Application id → its recorded visit in ``round_`` (visits without a conclusion yet are
    left out), for the decision page."""
    recorded = SiteVisit.objects.filter(round=round_).exclude(conclusion="")
    return {visit.application_id: visit for visit in recorded}


def ranking_flags(round_: Any, application_ids: list[int]) -> dict[int, list[str]]:
    """scoring's RANKING_FLAGS hook: "实地走访：不属实" / "实地走访：部分属实" per application
    id, in one query."""
    rows = SiteVisit.objects.filter(
        round=round_,
        application_id__in=list(application_ids),
        conclusion__in=list(FLAG_TEXT),
    ).values_list("application_id", "conclusion")
    return {application_id: [FLAG_TEXT[conclusion]] for application_id, conclusion in rows}


def visit_file(visit: SiteVisit, file_pk: int) -> SiteVisitFile | None:
    return SiteVisitFile.objects.select_related("blob").filter(visit=visit, pk=file_pk).first()
