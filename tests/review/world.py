"""The review on the access matrix's county world: the world's expert in the pool with a
declaration and an open assignment to a third county's cluster under review (never the own or
the other county's application: an expert must see neither), and a second expert. Built once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.factories import TEST_NOW, make_application, make_user

from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.review.enums import PhaseKind, PhaseStatus
from clusterdesk.review.models import Assignment, ConflictDeclaration, ExpertProfile, ReviewPhase

CLUSTER = "评审测试集群"


@dataclass
class ReviewWorld:
    phase: ReviewPhase
    profile: ExpertProfile  # the world's expert
    colleague: ExpertProfile
    declaration: ConflictDeclaration
    assignment: Assignment  # the world's expert's, open


def review_world(round_, expert, city) -> ReviewWorld:
    profile, _ = ExpertProfile.objects.get_or_create(
        user=expert,
        defaults={"name": "矩阵专家", "organisation_name": "宁波第一研究院", "fields": ["模具"]},
    )
    colleague = ExpertProfile.objects.exclude(user=expert).first()
    if colleague is None:
        colleague = ExpertProfile.objects.create(
            user=make_user("expert"), name="同组专家", organisation_name="宁波第二研究院"
        )
    declaration = profile.conflicts.first() or ConflictDeclaration.objects.create(
        expert=profile, counterpart="宁波某模具有限公司", relation="顾问"
    )
    phase = ReviewPhase.objects.filter(round=round_, name="矩阵评审").first()
    if phase is None:
        phase = ReviewPhase.objects.create(
            round=round_,
            kind=PhaseKind.PRE_REVIEW,
            name="矩阵评审",
            position=0,
            status=PhaseStatus.OPEN,
            opens_at=TEST_NOW - dt.timedelta(days=1),
        )
    assignment = Assignment.objects.filter(phase=phase, expert=expert).first()
    if assignment is None:
        application = make_application(
            round_=round_,
            cluster_name=CLUSTER,
            path=(S.SUBMITTED, S.UNDER_REVIEW),
            city_officer=city,
        )
        assignment = Assignment.objects.create(
            phase=phase,
            application=application,
            expert=expert,
            why="领域匹配：模具；分配前已有任务 0 件",
            created_at=TEST_NOW,
        )
    return ReviewWorld(phase, profile, colleague, declaration, assignment)
