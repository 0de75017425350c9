"""What the expert's home and the city's progress page list.

The expert's list comes only from ``review.domain.access.open_assignments`` (the one way an
expert reaches an application). The city's progress counts sheets per expert and phase, never
their scores: those stay sealed until the phase is closed (``ranking``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q

from clusterdesk.accounts.models import User
from clusterdesk.review.domain.access import open_assignments
from clusterdesk.review.enums import AssignmentStatus
from clusterdesk.review.models import Assignment, ReviewPhase
from clusterdesk.scoring.models import ScoreSheet, SheetStatus

NAME = "application__data__part1__cluster_name"
UNSCORED, DRAFT, SUBMITTED = "未评", "草稿", "已提交"


@dataclass(frozen=True)
class Task:
    assignment: Assignment
    cluster_name: str
    status: str  # 未评 / 草稿 / 已提交


def status_text(sheet_status: str | None) -> str:
    if sheet_status == SheetStatus.SUBMITTED:
        return SUBMITTED
    return DRAFT if sheet_status == SheetStatus.DRAFT else UNSCORED


def my_tasks(user: User) -> list[Task]:
    """The expert's assignments in phases open now, soonest deadline first."""
    assignments = (
        open_assignments(user)
        .select_related("phase", "application")
        .defer("application__data")
        .annotate(cluster=F(NAME), sheet_status=F("score_sheet__status"))
        .order_by(F("phase__closes_at").asc(nulls_last=True), "phase__position", "pk")
    )
    return [
        Task(a, a.cluster or "（未填集群名称）", status_text(a.sheet_status)) for a in assignments
    ]


@dataclass(frozen=True)
class ExpertProgress:
    expert_id: int
    name: str
    assigned: int
    submitted: int
    drafts: int

    @property
    def unscored(self) -> int:
        return self.assigned - self.submitted - self.drafts


def phase_progress(phase: ReviewPhase) -> list[ExpertProgress]:
    """Per expert: assignments, submitted and draft sheets (counts only)."""
    rows = (
        Assignment.objects.filter(phase=phase, status=AssignmentStatus.ACTIVE)
        .values("expert_id", "expert__username", "expert__expert_profile__name")
        .annotate(
            assigned=Count("pk"),
            submitted=Count("pk", filter=Q(score_sheet__status=SheetStatus.SUBMITTED)),
            drafts=Count("pk", filter=Q(score_sheet__status=SheetStatus.DRAFT)),
        )
        .order_by("expert__expert_profile__name", "expert_id")
    )
    return [
        ExpertProgress(
            row["expert_id"],
            row["expert__expert_profile__name"] or row["expert__username"],
            row["assigned"],
            row["submitted"],
            row["drafts"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class SubmittedSheet:
    sheet_id: int
    expert_name: str
    cluster_name: str
    submitted_at: object


def submitted_sheets(phase: ReviewPhase) -> list[SubmittedSheet]:
    """Who submitted which sheet in an open phase (for 退回重评), without any score."""
    rows = (
        ScoreSheet.objects.filter(
            assignment__phase=phase,
            assignment__status=AssignmentStatus.ACTIVE,
            status=SheetStatus.SUBMITTED,
        )
        .values_list(
            "pk",
            "assignment__expert__expert_profile__name",
            "assignment__expert__username",
            "assignment__application__data__part1__cluster_name",
            "submitted_at",
        )
        .order_by("-submitted_at", "pk")
    )
    return [
        SubmittedSheet(pk, name or username, cluster or "（未填集群名称）", at)
        for pk, name, username, cluster, at in rows
    ]
