"""Assigning experts to the applications of a phase: automatic (``panel.assignment``), by hand
with a reason, removal, 回避 and 补充分配. Conflicts (``panel.conflicts``) refuse an expert with
the reason; every change writes a ``ReviewEvent``; an assignment row is never deleted."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse

from clusterdesk.accounts.models import User
from clusterdesk.declarations import clock
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import Application
from clusterdesk.errors import DomainError
from clusterdesk.notifications.domain import Message, city_officers, notify
from clusterdesk.notifications.enums import NotificationKind
from clusterdesk.panel import assignment as planner
from clusterdesk.panel.conflicts import (
    ApplicationFacts,
    Conflict,
    Declared,
    ExpertFacts,
    application_units,
    conflict_map,
)
from clusterdesk.review.domain.events import check, record, required_reason
from clusterdesk.review.domain.settings import review_settings
from clusterdesk.review.enums import AssignmentStatus, EventAction, PhaseStatus
from clusterdesk.review.models import Assignment, ExpertProfile, ReviewPhase

ACTIVE = AssignmentStatus.ACTIVE


def applications_under_review(round_) -> QuerySet[Application]:
    return (
        Application.objects.filter(round=round_, state=ApplicationState.UNDER_REVIEW)
        .select_related("organisation")
        .order_by("organisation__position", "pk")
    )


# --- facts for the pure core ------------------------------------------------------------------


def expert_facts(profiles) -> list[ExpertFacts]:
    return [
        ExpertFacts(
            key=profile.user_id,
            name=profile.name,
            organisation=profile.organisation_name,
            declared=tuple(
                Declared(c.counterpart, c.relation, c.started_on, c.ended_on)
                for c in profile.conflicts.all()
            ),
        )
        for profile in profiles
    ]


def application_facts(application: Application) -> ApplicationFacts:
    return ApplicationFacts(
        key=application.pk,
        label=str(application),
        units=application_units(application.data, application.organisation.name),
    )


def topics(application: Application) -> tuple[str, ...]:
    """What an expert's fields are matched against: the 主导产业 (Attachment 1), the industry
    type and the cluster's name."""
    data = application.data or {}
    summary = data.get("attachment1") if isinstance(data.get("attachment1"), dict) else {}
    leading = summary.get("leading_industry")
    values = (leading, application.listed_industry, application.cluster_name)
    return tuple(value for value in values if isinstance(value, str) and value)


def _pool():
    return ExpertProfile.objects.select_related("user").prefetch_related("conflicts")


def phase_conflicts(
    phase: ReviewPhase, applications, profiles
) -> dict[tuple[int, int], list[Conflict]]:
    settings = review_settings(phase.round)
    return conflict_map(
        expert_facts(profiles),
        [application_facts(a) for a in applications],
        phase.round.reference_date,
        settings.conflict_years,
    )


def conflicts_of(
    phase: ReviewPhase, application: Application, profile: ExpertProfile
) -> list[Conflict]:
    found = phase_conflicts(phase, [application], [profile])
    return found.get((application.pk, profile.user_id), [])


# --- the page's view of a phase -----------------------------------------------------------------


@dataclass
class Row:
    application: Application
    active: list[Assignment] = field(default_factory=list)
    ended: list[Assignment] = field(default_factory=list)  # recused or removed
    conflicts: list[tuple[ExpertProfile, list[Conflict]]] = field(default_factory=list)
    needed: int = 0


@dataclass
class Board:
    phase: ReviewPhase
    per_application: int
    rows: list[Row]
    loads: list[tuple[ExpertProfile, int]]
    experts: list[ExpertProfile]  # active, for the manual pickers


def board(phase: ReviewPhase) -> Board:
    settings = review_settings(phase.round)
    applications = list(applications_under_review(phase.round))
    profiles = list(_pool())
    conflicts = phase_conflicts(phase, applications, profiles)
    assignments = (
        Assignment.objects.filter(phase=phase)
        .select_related("expert", "expert__expert_profile")
        .order_by("created_at", "pk")
    )
    rows = {a.pk: Row(a) for a in applications}
    for assignment in assignments:
        row = rows.get(assignment.application_id)
        if row is None:
            continue
        (row.active if assignment.status == ACTIVE else row.ended).append(assignment)
    for row in rows.values():
        row.needed = max(0, settings.experts_per_application - len(row.active))
        for profile in profiles:
            found = conflicts.get((row.application.pk, profile.user_id))
            if found and profile.active:
                row.conflicts.append((profile, found))
    loads = Counter(
        Assignment.objects.filter(phase=phase, status=ACTIVE).values_list("expert_id", flat=True)
    )
    return Board(
        phase=phase,
        per_application=settings.experts_per_application,
        rows=list(rows.values()),
        loads=[(p, loads.get(p.user_id, 0)) for p in profiles if p.active or loads.get(p.user_id)],
        experts=[p for p in profiles if p.active],
    )


# --- the doors ------------------------------------------------------------------------------------


@dataclass
class AutoResult:
    created: list[Assignment]
    unfilled: list[tuple[Application, str]]


def auto_assign(phase: ReviewPhase, actor: User, at: dt.datetime | None = None) -> AutoResult:
    """Bring every application under review to N active experts, automatically."""
    check("review.manage", actor)
    at = at or clock.now()
    with transaction.atomic():
        phase = _locked(phase)
        applications = list(applications_under_review(phase.round))
        if not applications:
            raise DomainError("本轮没有审核中的申报，无需分配。")
        profiles = list(_pool())
        if not profiles:
            raise DomainError("专家库中还没有专家，请先添加专家。")
        plan = _plan(phase, applications, profiles)
        by_id = {a.pk: a for a in applications}
        users = {p.user_id: p.user for p in profiles}
        created = []
        for pick in plan.picks:
            assignment = Assignment.objects.create(
                phase=phase,
                application=by_id[pick.application],
                expert=users[pick.expert],
                why=pick.why,
                created_at=at,
            )
            created.append(assignment)
            record(
                EventAction.AUTO_ASSIGNED,
                actor,
                phase=phase,
                application=assignment.application,
                expert=assignment.expert,
                reason=pick.why,
                at=at,
                detail={"assignment": assignment.pk},
            )
        _notify_assigned(phase, created)
    unfilled = [(by_id[u.application], u.why) for u in plan.unfilled]
    return AutoResult(created, unfilled)


def _plan(phase, applications, profiles, only=None, extra_barred=None) -> planner.Plan:
    settings = review_settings(phase.round)
    conflicts = phase_conflicts(phase, applications, profiles)
    existing = Assignment.objects.filter(phase=phase, application__in=applications)
    assigned: dict[int, list[int]] = {}
    barred: dict[int, dict[int, str]] = {}
    for a in existing:
        if a.status == ACTIVE:
            assigned.setdefault(a.application_id, []).append(a.expert_id)
        else:
            barred.setdefault(a.application_id, {})[a.expert_id] = a.get_status_display()
    loads = Counter(
        Assignment.objects.filter(phase=phase, status=ACTIVE).values_list("expert_id", flat=True)
    )
    candidates = [
        planner.Candidate(
            key=p.user_id,
            name=p.name,
            fields=tuple(p.fields or ()),
            active=p.active and p.user.is_active,
            load=loads.get(p.user_id, 0),
        )
        for p in profiles
    ]
    targets = [
        planner.Target(
            key=a.pk,
            label=str(a),
            topics=topics(a),
            assigned=tuple(assigned.get(a.pk, ())),
            barred=barred.get(a.pk, {}),
        )
        for a in applications
        if only is None or a.pk in only
    ]
    return planner.assign(targets, candidates, settings.experts_per_application, conflicts)


def assign_manually(
    phase: ReviewPhase,
    application: Application,
    expert: User,
    actor: User,
    reason: str,
    *,
    at: dt.datetime | None = None,
) -> Assignment:
    """The city adds an expert by hand, with a reason; a conflicted expert is refused."""
    check("review.manage", actor)
    reason = required_reason(reason, "分配理由")
    at = at or clock.now()
    with transaction.atomic():
        phase = _locked(phase)
        profile = _profile(expert)
        _check_application(phase, application)
        if not profile.active or not profile.user.is_active:
            raise DomainError(f"专家“{profile.name}”已停用，不能分配。")
        conflicts = conflicts_of(phase, application, profile)
        if conflicts:
            raise DomainError(
                f"专家“{profile.name}”须回避，不能分配：" + "；".join(c.reason for c in conflicts)
            )
        if Assignment.objects.filter(
            phase=phase, application=application, expert=expert, status=ACTIVE
        ).exists():
            raise DomainError(f"专家“{profile.name}”已分配评审该申报。")
        match = planner.matching_field(profile.fields or (), topics(application))
        why = f"人工分配：{reason}" + (f"（领域匹配：{match}）" if match else "")
        assignment = _create(phase, application, expert, why[:300], at)
        record(
            EventAction.ASSIGNED,
            actor,
            phase=phase,
            application=application,
            expert=expert,
            reason=reason,
            at=at,
            detail={"assignment": assignment.pk},
        )
        _notify_assigned(phase, [assignment])
    return assignment


def remove(
    assignment: Assignment, actor: User, reason: str, at: dt.datetime | None = None
) -> Assignment:
    """The city takes an expert off an application, with a reason (status 已撤换, kept)."""
    check("review.manage", actor)
    reason = required_reason(reason, "撤换理由")
    with transaction.atomic():
        current = _locked_assignment(assignment)
        if current.status != ACTIVE:
            raise DomainError(f"该分配已{current.get_status_display()[1:]}，无需撤换。")
        current.status = AssignmentStatus.REMOVED
        current.removal_reason = reason
        current.save(update_fields=["status", "removal_reason"])
        record(
            EventAction.REMOVED,
            actor,
            phase=current.phase,
            application=current.application,
            expert=current.expert,
            reason=reason,
            at=at,
            detail={"assignment": current.pk},
        )
    return current


def recuse(
    assignment: Assignment, actor: User, reason: str, at: dt.datetime | None = None
) -> Assignment:
    """The expert declares 回避 on their own assignment; the city officers are told."""
    check("review.expert", actor)
    reason = required_reason(reason, "回避理由")
    with transaction.atomic():
        current = _locked_assignment(assignment)
        if current.expert_id != actor.pk:
            raise DomainError("只能对本人的评审任务申请回避。")
        if current.status != ACTIVE:
            raise DomainError(f"该评审任务已{current.get_status_display()[1:]}。")
        if not current.phase.is_open:
            raise DomainError(f"“{current.phase.name}”不在进行中，不能申请回避。")
        current.status = AssignmentStatus.RECUSED
        current.recusal_reason = reason
        current.save(update_fields=["status", "recusal_reason"])
        record(
            EventAction.RECUSED,
            actor,
            phase=current.phase,
            application=current.application,
            expert=current.expert,
            reason=reason,
            at=at,
            detail={"assignment": current.pk},
        )
        name = actor.expert_profile.name
        notify(
            city_officers(),
            Message(
                NotificationKind.RECUSAL,
                f"专家{name}申请回避“{current.application}”",
                f"专家{name}在“{current.phase.name}”中对“{current.application}”申请回避。\n"
                f"理由：{reason}\n请补充分配其他专家。",
                reverse("review:assignments", kwargs={"pk": current.phase_id}),
            ),
            application=current.application,
        )
    return current


def replace(
    assignment: Assignment,
    actor: User,
    expert: User | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Assignment:
    """补充分配 for a recused or removed assignment: the next best expert chosen automatically
    (with why), or ``expert`` by hand (with a reason)."""
    check("review.manage", actor)
    at = at or clock.now()
    with transaction.atomic():
        current = _locked_assignment(assignment)
        if current.status == ACTIVE:
            raise DomainError("该分配仍有效，请先撤换或等待专家回避后再补充分配。")
        phase = current.phase
        application = current.application
        if expert is not None:
            new = assign_manually(phase, application, expert, actor, reason, at=at)
            record(
                EventAction.REPLACED,
                actor,
                phase=phase,
                application=application,
                expert=expert,
                reason=f"接替{_name(current.expert)}：{new.why}",
                at=at,
                detail={"assignment": new.pk, "replaces": current.pk},
            )
            return new
        profiles = list(_pool())
        active = Assignment.objects.filter(phase=phase, application=application, status=ACTIVE)
        settings = review_settings(phase.round)
        if active.count() >= settings.experts_per_application:
            raise DomainError(
                f"该申报已有 {active.count()} 名有效评审专家，达到每份 "
                f"{settings.experts_per_application} 名，无需补充。"
            )
        plan = _plan(phase, [application], profiles, only={application.pk})
        if not plan.picks:
            why = plan.unfilled[0].why if plan.unfilled else "没有可选专家。"
            raise DomainError(f"无法自动补充分配：{why}")
        pick = plan.picks[0]
        new_expert = next(p.user for p in profiles if p.user_id == pick.expert)
        new = _create(phase, application, new_expert, f"补充分配：{pick.why}"[:300], at)
        record(
            EventAction.REPLACED,
            actor,
            phase=phase,
            application=application,
            expert=new_expert,
            reason=f"接替{_name(current.expert)}：{pick.why}",
            at=at,
            detail={"assignment": new.pk, "replaces": current.pk},
        )
        _notify_assigned(phase, [new])
    return new


def _create(phase, application, expert, why, at) -> Assignment:
    try:
        with transaction.atomic():
            return Assignment.objects.create(
                phase=phase, application=application, expert=expert, why=why, created_at=at
            )
    except IntegrityError as exc:
        raise DomainError("该专家已分配评审该申报。") from exc


def _locked(phase: ReviewPhase) -> ReviewPhase:
    current = ReviewPhase.objects.select_for_update().select_related("round").get(pk=phase.pk)
    if current.status == PhaseStatus.CLOSED:
        raise DomainError(f"“{current.name}”已结束，不能再调整专家分配。")
    return current


def _locked_assignment(assignment: Assignment) -> Assignment:
    current = (
        Assignment.objects.select_for_update()
        .select_related("phase", "phase__round", "application", "expert")
        .get(pk=assignment.pk)
    )
    if current.phase.status == PhaseStatus.CLOSED:
        raise DomainError(f"“{current.phase.name}”已结束，不能再调整专家分配。")
    return current


def _profile(expert: User) -> ExpertProfile:
    profile = ExpertProfile.objects.filter(user=expert).prefetch_related("conflicts").first()
    if profile is None:
        raise DomainError("该用户不在专家库中。")
    return profile


def _check_application(phase: ReviewPhase, application: Application) -> None:
    if application.round_id != phase.round_id:
        raise DomainError("该申报不属于本轮评审。")
    if application.state != ApplicationState.UNDER_REVIEW:
        raise DomainError(f"申报“{application}”不在审核中，不能分配专家。")


def _name(user: User) -> str:
    profile = getattr(user, "expert_profile", None)
    return f"专家{profile.name}" if profile else str(user)


def _notify_assigned(phase: ReviewPhase, created: list[Assignment]) -> None:
    """Each expert hears of their new tasks once per batch (no application named: the list page
    shows them only while the phase is open)."""
    per_expert = Counter(a.expert_id for a in created)
    if not per_expert:
        return
    users = {a.expert_id: a.expert for a in created}
    for expert_id, count in sorted(per_expert.items()):
        notify(
            [users[expert_id]],
            Message(
                NotificationKind.ASSIGNED,
                f"新的评审任务：{phase.round}{phase.name}",
                f"您被分配评审 {count} 份申报（{phase.name}）。"
                "阶段开放后可在“我的评审任务”中查看。",
                reverse("review:my_assignments"),
            ),
        )
