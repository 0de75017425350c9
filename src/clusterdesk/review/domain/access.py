"""What an expert reaches: only their own active assignments in phases that are open now.

``open_assignments`` is the only way an expert gets to an application (the scoring pages build
on it); ``expert_assignment`` answers one of them or ``AssignmentNotFound`` (a 404 in the views,
so that ids leak nothing).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from clusterdesk.accounts.models import User
from clusterdesk.accounts.permissions import may
from clusterdesk.declarations import clock
from clusterdesk.errors import DomainError
from clusterdesk.review.enums import AssignmentStatus, PhaseStatus
from clusterdesk.review.models import Assignment


class AssignmentNotFound(DomainError):
    def __init__(self) -> None:
        super().__init__("没有该评审任务，或其评审阶段不在进行中。")


def open_assignments(user: User) -> QuerySet[Assignment]:
    """The expert's active assignments in phases open now; none for anyone else."""
    if not user.is_authenticated or not may("review.expert", user):
        return Assignment.objects.none()
    now = clock.now()
    return (
        Assignment.objects.filter(
            expert=user,
            expert__is_active=True,
            expert__expert_profile__active=True,
            status=AssignmentStatus.ACTIVE,
            phase__status=PhaseStatus.OPEN,
        )
        .filter(Q(phase__opens_at__isnull=True) | Q(phase__opens_at__lte=now))
        .filter(Q(phase__closes_at__isnull=True) | Q(phase__closes_at__gt=now))
        .select_related("phase", "phase__round", "application", "application__organisation")
        .order_by("phase__closes_at", "phase_id", "application__pk")
    )


def expert_assignment(user: User, assignment_pk: int) -> Assignment:
    assignment = open_assignments(user).filter(pk=assignment_pk).first()
    if assignment is None:
        raise AssignmentNotFound()
    return assignment
