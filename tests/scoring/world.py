"""A round under expert review for the scoring tests: applications under review, experts with
profiles, the scored phase open now and assignments (built on the models, so that these tests
depend on the review app's contract, not on its pages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from clusterdesk.accounts.enums import Role
from clusterdesk.accounts.models import User
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Application
from clusterdesk.panel.rubric import RECOMMEND, default_rubric
from clusterdesk.review.enums import AssignmentStatus, PhaseKind, PhaseStatus
from clusterdesk.review.models import Assignment, ExpertProfile, ReviewPhase
from clusterdesk.rounds.models import Round
from tests.factories import TEST_NOW, make_application, make_city_officer, make_round, make_user

RUBRIC = default_rubric()


def make_expert(name: str = "张专家", **fields: Any) -> User:
    user = make_user(Role.EXPERT)
    ExpertProfile.objects.create(
        user=user, name=name, organisation_name="宁波大学", title="教授", fields=["模具"], **fields
    )
    return user


def make_phase(round_: Round, *, status: str = PhaseStatus.OPEN, scored: bool = True, **fields):
    closed = {"closed_at": TEST_NOW} if status == PhaseStatus.CLOSED else {}
    return ReviewPhase.objects.create(
        round=round_,
        kind=fields.pop("kind", PhaseKind.EXPERT_REVIEW),
        name=fields.pop("name", "专家评审（含现场答辩）"),
        scored=scored,
        status=status,
        opens_at=fields.pop("opens_at", TEST_NOW - dt.timedelta(days=1)),
        closes_at=fields.pop("closes_at", TEST_NOW + dt.timedelta(days=7)),
        **closed,
        **fields,
    )


def assign(phase: ReviewPhase, application: Application, expert: User) -> Assignment:
    return Assignment.objects.create(
        phase=phase,
        application=application,
        expert=expert,
        why="领域匹配：模具",
        created_at=timezone.now(),
    )


def full_sheet(score: Any = "8", opinion: str = RECOMMEND, reason: str = "") -> dict[str, Any]:
    return {
        "scores": {aspect.key: score for aspect in RUBRIC.aspects},
        "comments": {aspect.key: f"{aspect.name}：论据充分" for aspect in RUBRIC.aspects},
        "opinion": opinion,
        "opinion_reason": reason,
    }


def close(phase: ReviewPhase) -> None:
    ReviewPhase.objects.filter(pk=phase.pk).update(status=PhaseStatus.CLOSED, closed_at=TEST_NOW)
    phase.refresh_from_db()


@dataclass
class World:
    round: Round
    city: User
    phase: ReviewPhase
    applications: list[Application]
    experts: list[User]
    assignments: dict[tuple[int, int], Assignment] = field(default_factory=dict)

    def of(self, application_index: int, expert_index: int) -> Assignment:
        return self.assignments[(application_index, expert_index)]


def make_world(applications: int = 2, experts: int = 3) -> World:
    round_ = make_round()
    city = make_city_officer()
    apps = [
        make_application(
            round_=round_,
            cluster_name=f"评分测试{i}号产业集群",
            path=(S.SUBMITTED, S.UNDER_REVIEW),
            city_officer=city,
        )
        for i in range(applications)
    ]
    people = [make_expert(f"专家{i}") for i in range(experts)]
    phase = make_phase(round_)
    world = World(round_, city, phase, apps, people)
    for a, application in enumerate(apps):
        for e, expert in enumerate(people):
            world.assignments[(a, e)] = assign(phase, application, expert)
    return world


__all__ = ["AssignmentStatus", "PhaseStatus"]


# --- the access matrix's world ------------------------------------------------------------------

MATRIX_CLUSTER = "评分矩阵集群"


@dataclass
class MatrixWorld:
    open_assignment: Assignment  # the world's expert's, in a scored phase open now
    closed_sheet: Any  # a submitted sheet of a scored phase the city has closed


def matrix_world(round_: Round, expert: User, city: User) -> MatrixWorld:
    """The world's expert in the pool with an open scored assignment to a third county's
    cluster, and a submitted sheet of a closed scored phase (never the own or the other
    county's application). Built once per world."""
    from clusterdesk.scoring.domain.sheets import submit_sheet  # noqa: PLC0415
    from clusterdesk.scoring.models import ScoreSheet  # noqa: PLC0415

    ExpertProfile.objects.get_or_create(
        user=expert,
        defaults={"name": "矩阵专家", "organisation_name": "宁波第一研究院", "fields": ["模具"]},
    )
    open_phase = ReviewPhase.objects.filter(round=round_, name="矩阵评分").first()
    if open_phase is None:
        application = make_application(
            round_=round_,
            cluster_name=MATRIX_CLUSTER,
            path=(S.SUBMITTED, S.UNDER_REVIEW),
            city_officer=city,
        )
        open_phase = make_phase(round_, name="矩阵评分", position=8)
        closed_phase = make_phase(round_, name="矩阵已结束评分", position=9)
        assign(open_phase, application, expert)
        submit_sheet(assign(closed_phase, application, expert), full_sheet("8"), 0, expert)
        close(closed_phase)
    return MatrixWorld(
        open_assignment=Assignment.objects.get(phase=open_phase, expert=expert),
        closed_sheet=ScoreSheet.objects.get(
            assignment__phase__round=round_, assignment__phase__name="矩阵已结束评分"
        ),
    )


def rubric_post(aggregate: str = "mean", margin: str = "10") -> dict[str, str]:
    """The rubric page's form with the default rubric as shown, and the given aggregate."""
    post = {"aggregate": aggregate, "disagreement_margin": margin}
    for i, aspect in enumerate(RUBRIC.aspects):
        post.update(
            {
                f"aspect-{i}-key": aspect.key,
                f"aspect-{i}-name": aspect.name,
                f"aspect-{i}-weight": aspect.weight_text,
                f"aspect-{i}-min_score": "0",
                f"aspect-{i}-max_score": "10",
                f"aspect-{i}-guidance": aspect.guidance,
            }
        )
        if aspect.comment_required:
            post[f"aspect-{i}-comment_required"] = "on"
    return post
